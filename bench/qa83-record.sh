#!/usr/bin/env bash
# qa83: Go pods serving real HTTP/2 requests (net/http's bundled http2 server over TLS) from real HTTP/2 clients, scraped
# by a real Prometheus, a goroutine and a heap profile saved every minute: does an unchanged canary whose inbound HTTP/2
# connections grow read as a goroutine leak (qa77 recorded HTTP/1.1 only)?
#   bench/qa83-record.sh [--dry-run] OUT [SLICES]  # 7 pods at once, 100 requests/s each over HTTP/2, SLICES 1-minute slices (17)
# Every pod is bench/go-pod with -http -h2 (GET /order over TLS, HTTP/2 by ALPN; /metrics over HTTP/1.1 on its
# client_golang port); one load process (go-pod -load with https URLs: one HTTP/2 connection per client) drives them all:
#   b1-b3 base, 20 clients throughout (the baseline);   s1 base, 20 throughout (A/A, steady);
#   r1 base, 10 -> 200 clients over 15 minutes (A/A, a weight step's clients arriving);
#   r2 goleak (one main.awaitAck goroutine per 2,000 requests, 3 a minute) under the same 10 -> 200;
#   h1 hangleak (one request in 2,000 whose handler waits forever in main.awaitAck, under
#      net/http.(*http2serverConn).runHandler; the client resets the stream after 30 s, the connection stays) under 10 -> 200.
# Prometheus (Debian's 2.42) on 127.0.0.1:22500 scrapes each pod's /metrics (22501-22507) every 10 s; HTTP/2 on 22511-22517.
# Then bench/qa83-assemble.py OUT canary-judge/src/test/resources/qa83.
set -euo pipefail
# The mechanics (build, Prometheus, pods, load) are bench/go-connections-record.sh's; this script holds the layout.
pods="b1:base:hold,20,20 b2:base:hold,20,20 b3:base:hold,20,20 s1:base:hold,20,20 r1:base:hold,10,200
r2:goleak:hold,10,200 h1:hangleak:hold,10,200"
exec "$(dirname "$0")/go-connections-record.sh" --prometheus-port 22500 --h2 --heap \
  --assemble bench/qa83-assemble.py --pods "$pods" "$@"
