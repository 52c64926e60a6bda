#!/usr/bin/env bash
# qa77: Go pods serving real net/http requests from real keep-alive HTTP clients, scraped by a real Prometheus, a
# goroutine profile saved every minute: does an unchanged canary whose inbound connections grow read as a goroutine leak?
#   bench/qa77-record.sh [--dry-run] OUT [SLICES]  # 9 pods at once, 100 requests/s each over HTTP, SLICES 1-minute slices (17)
# Every pod is bench/go-pod with -http (GET /order on its client_golang /metrics port, net/http: one goroutine per open
# connection); one load process (go-pod -load) drives them all:
#   b1-b3 base, 20 keep-alive clients throughout (the baseline);   s1 base, 20 throughout (A/A, steady);
#   r1 base, 10 -> 200 clients over 15 minutes (A/A, a weight step's clients arriving);
#   r2 goleak (one main.awaitAck goroutine per 2,000 requests, 3 a minute) under the same 10 -> 200;
#   h1 hangleak (one request in 2,000 whose handler waits forever in main.awaitAck, under net/http.(*conn).serve) under 10 -> 200;
#   c1 base, 100 clients that close their connection after 1 s idle, requests at random gaps (connections come and go);
#   c2 goleak as r2 under c1's churn.
# Prometheus (Debian's 2.42) on 127.0.0.1:22410 scrapes each pod's /metrics (22411-22419) every 10 s.
# Then bench/qa77-assemble.py OUT canary-judge/src/test/resources/qa77.
set -euo pipefail
# The mechanics (build, Prometheus, pods, load) are bench/go-connections-record.sh's; this script holds the layout.
pods="b1:base:hold,20,20 b2:base:hold,20,20 b3:base:hold,20,20 s1:base:hold,20,20 r1:base:hold,10,200
r2:goleak:hold,10,200 h1:hangleak:hold,10,200 c1:base:churn,100,100,100,1s c2:goleak:churn,100,100,100,1s"
exec "$(dirname "$0")/go-connections-record.sh" --prometheus-port 22410 \
  --assemble bench/qa77-assemble.py --pods "$pods" "$@"
