#!/usr/bin/env bash
# qa91: the held-out session for the Go heap series (issue 13): Go 1.19 pods serving HTTP/2 over TLS (bench/go-pod -http
# -h2, as bench/qa87-record.sh), a heap and a goroutine profile every minute, client_golang's /metrics scraped every 10 s
# by a real Prometheus (Debian's 2.42), recorded before the series rule was fixed and judged only after:
#   bench/qa91-record.sh OUT [SLICES [RAMP]]    # 5 pods, 100 requests/s each, SLICES 1-minute slices (22), RAMP (10m)
#   b1-b3 base, 20 clients throughout (the baseline);
#   r1 base, 10 -> 200 clients over RAMP, then 200 (A/A: a weight step, then its plateau);
#   l1 leak (main.rememberOrder keeps ~0.7 MiB/min) under the same 10 -> 200.
# Prometheus on 127.0.0.1:22700 scrapes /metrics on 22701-22705; HTTP/2 on 22711-22715.
# Then bench/qa91-assemble.py OUT canary-judge/src/test/resources/qa91/session.
# The pods, load and recording are bench/qa87-record.sh's (without g1), on these ports.
set -euo pipefail
PODS="b1:base:hold,20,20 b2:base:hold,20,20 b3:base:hold,20,20 r1:base:hold,10,200 l1:leak:hold,10,200" \
  PROMETHEUS_PORT=22700 ASSEMBLE=bench/qa91-assemble.py exec "$(cd "$(dirname "$0")" && pwd)/qa87-record.sh" "$@"
