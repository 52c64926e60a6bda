#!/usr/bin/env bash
# A rare endpoint the canary amplifies (qa85): io.canaryjudge.qa79.MixPod (test sources) with its fifth endpoint,
# /export → ExportService.render (its own loop, ~1/20 of a search's CPU), recorded as separate JVMs under
# async-profiler 4.2 (itimer 1 ms + alloc 256 KB, 6 JFR slices of SLICE_MS after 30 s warm-up, -XX:+DebugNonSafepoints),
# three pods at a time beside one io.canaryjudge.qa79.MixLoad JVM (HTTP/1.1 over loopback, RATE requests/s a pod, each
# pod its own mix), as bench/qa79-record.sh does. Ports 22540-22542.
#   bench/qa85-record.sh OUT CP     the committed recording (resources/qa85): qa79's size, 6 × 10 s at 150/s a pod,
#                                   4 sessions, ~8 min
#   PLAN=long SLICE_MS=40000 RATE=300 bench/qa85-record.sh OUT CP     ~6× the samples a pod, 2 sessions, ~10 min
#   mixes (weights of /search /quote /product /cart /export): global 20/30/40/9.5/0.5 (a rare client type's exports at
#   0.5 % of the requests); export10 18/27/36/9/10 and export20 16/24/32/8/20 (an A/B route sending that client type
#   to the canary: /export ×20 and ×40, every other endpoint ×0.9 and ×0.8)
#     b1-b4, aa1, aa2           unchanged, global mix
#     amp20, amp20b, amp10      unchanged, export20 / export20 / export10: the rare endpoint amplified
#     new20, new10              a real new hot path in /product's code (CatalogService.audit: SHA-256 of the page 80
#                               times, ~0.2 of a search's CPU a product page), export20 / export10
#     (long: b1 b2 b3 aa1 amp20 new20 only)
#   Each pod into OUT/<name>/ (slice-N.jfr, requests.csv, endpoints.csv); OUT/<name>.log has the served rate. Then
#   bench/qa79-collapse.sh OUT CP CPUOUT pod... gives the CPU-only test pods.
# CP: the test class path (bench/test-classpath.sh).
set -euo pipefail
out=$1 cp=$2
first_port=22540 slice_ms=${SLICE_MS:-10000} rate=${RATE:-150}
declare -A mix=([global]=20/30/40/9.5/0.5 [export10]=18/27/36/9/10 [export20]=16/24/32/8/20)
mkdir -p "$out"
. "$(dirname "$0")/mixpod-sessions.sh"
if [ "${PLAN:-short}" = short ]; then
  session b1 none 1 global amp20 none 1 export20 aa1 none 1 global
  # (When recorded, session 2 ran a third pod: an earlier audit, a loop the JIT inlined into render; discarded.)
  session b2 none 1 global amp10 none 1 export10
  session b3 none 1 global new20 audit 1 export20 aa2 none 1 global
  session b4 none 1 global new10 audit 1 export10 amp20b none 1 export20
else
  session b1 none 1 global amp20 none 1 export20 aa1 none 1 global
  session b2 none 1 global new20 audit 1 export20 b3 none 1 global
fi
