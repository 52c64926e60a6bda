#!/usr/bin/env bash
# Canaries that serve a different request mix (qa79): io.canaryjudge.qa79.MixPod (test sources; a shop API with four
# endpoints of unlike cost on the JDK's HTTP server) recorded as separate JVMs under async-profiler 4.2 (itimer 1 ms +
# alloc 256 KB, 6 JFR slices of 10 s after 30 s warm-up, -XX:+DebugNonSafepoints), three pods at a time beside one
# io.canaryjudge.qa79.MixLoad JVM (HTTP/1.1 over loopback, 150 requests/s a pod, each pod its own mix). Ports 22431-22433.
#   bench/qa79-record.sh OUT CP
#   mixes (weights of /search /quote /product /cart): global 20/30/40/10; search2x 40/22.5/30/7.5 (an A/B route sending
#   the canary twice the searches); search4x 80/7.5/10/2.5; noquote 20/0/40/10 (a route that never sends /quote)
#     b1..b4                    unchanged, global mix
#     aa1, aa2                  unchanged, global mix (A/A canaries)
#     s2x, s4x, noquote         unchanged, shifted mix (A/A canaries under a different mix)
#     rank130g                  SearchService.rank's loop x1.3, global mix
#     rank130s                  SearchService.rank's loop x1.3, search2x mix
#     price130s                 PriceService.price's loop x1.3, search2x mix (a regression the mix lightens)
#   Each pod into OUT/<name>/ (slice-N.jfr, requests.csv, endpoints.csv); OUT/<name>.log has the served rate.
# CP: the test class path (bench/test-classpath.sh).
set -euo pipefail
out=$1 cp=$2
first_port=22431 slice_ms=10000 rate=150
declare -A mix=([global]=20/30/40/10 [search2x]=40/22.5/30/7.5 [search4x]=80/7.5/10/2.5 [noquote]=20/0/40/10)
mkdir -p "$out"
. "$(dirname "$0")/mixpod-sessions.sh"
session b1 none 1 global aa1 none 1 global s2x none 1 search2x
session b2 none 1 global s4x none 1 search4x noquote none 1 noquote
session b3 none 1 global rank130g rank 1.3 global rank130s rank 1.3 search2x
session b4 none 1 global price130s price 1.3 search2x aa2 none 1 global
