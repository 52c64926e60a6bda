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
set -euo pipefail
out=$1
slices=${2:-22}
ramp=${3:-10m}
here=$(cd "$(dirname "$0")" && pwd)
mkdir -p "$out"
(cd "$here/go-pod" && GO111MODULE=off GOPATH=$out/gopath:/usr/share/gocode go build -tags prom -o "$out/gopod-prom" .)
. "$here/prometheus-scrape.sh"
cd "$out"
pods="b1:base:hold,20,20 b2:base:hold,20,20 b3:base:hold,20,20 r1:base:hold,10,200 l1:leak:hold,10,200"
# shellcheck disable=SC2046
scrape_config 22701 $(for spec in $pods; do echo "${spec%%:*}"; done) | sed 's/app: orders/app: gopod/' > prometheus.yml
start_prometheus "$out" 22700
port=22701
: > pods.txt
loads=()
for spec in $pods; do
  IFS=: read -r name variant load <<< "$spec"
  h2=$((port + 10))
  # -rate 100: the load's rate, which sets the leak's bytes per second (-leak-bytes-per-second at -rate requests/s)
  nice "$out/gopod-prom" -out "$name" -variant "$variant" -rate 100 -http -h2 127.0.0.1:$h2 -goroutine-leak-every 2000 \
    -slice 1m -slices "$slices" -cpu=false -goroutines-every-slice -heap-every-slice -metrics 127.0.0.1:$port \
    > "$name.log" 2>&1 &
  echo "$name $! $port $h2" >> pods.txt
  IFS=, read -r mode from to <<< "$load"
  loads+=(-load "$name=https://127.0.0.1:$h2,$mode,$from,$to,100")
  port=$((port + 1))
done
sleep 1
nice "$out/gopod-prom" -out load "${loads[@]}" -load-ramp "$ramp" -load-for $((slices * 60 + 30))s > load.log 2>&1 &
echo "load $! -" >> pods.txt
wait $(awk '{print $2}' pods.txt)
sleep 20 # the last scrape
echo "pods done; Prometheus (pid $prom) still serves 127.0.0.1:22700 for bench/qa91-assemble.py; kill $prom after"
