#!/usr/bin/env bash
# qa87: Go pods serving HTTP/2 over TLS (net/http's bundled server) whose inbound connections step up and then stay, with a
# heap profile and a goroutine profile every minute and client_golang's /metrics scraped by a real Prometheus: is the heap
# that more HTTP/2 connections hold told from a heap leak beside the same step?
#   bench/qa87-record.sh OUT [SLICES [RAMP]]    # 6 pods at once, 100 requests/s each over HTTP/2, SLICES 1-minute slices (22),
#                                               # "hold" clients from FROM to TO over RAMP (10m), then flat
# Every pod is bench/go-pod with -http -h2 (as bench/qa83-record.sh); one load process drives them all:
#   b1-b3 base, 20 clients throughout (the baseline);
#   r1 base, 10 -> 200 clients over RAMP, then 200 (A/A: a weight step, then its plateau);
#   l1 leak (a copy of an order kept forever in main.rememberOrder's list, ~12 KB/s = 42 MiB/h) under the same 10 -> 200;
#   g1 goleak (one main.awaitAck goroutine per 2,000 requests, qa74's) under the same 10 -> 200.
# Prometheus (Debian's 2.42) on 127.0.0.1:22620 scrapes each pod's /metrics (22621-22626) every 10 s; HTTP/2 on 22631-22636.
# Then bench/qa87-assemble.py OUT canary-judge/src/test/resources/qa87.
# Other sessions of the same pods (bench/qa91-record.sh) set PODS (NAME:VARIANT:MODE,FROM,TO ...), PROMETHEUS_PORT (P:
# pod i's /metrics on P+i, its HTTP/2 on P+10+i) and ASSEMBLE (the script the closing message names).
set -euo pipefail
out=$1
slices=${2:-22}
ramp=${3:-10m}
pods=${PODS:-"b1:base:hold,20,20 b2:base:hold,20,20 b3:base:hold,20,20 r1:base:hold,10,200 l1:leak:hold,10,200
g1:goleak:hold,10,200"}
prom_port=${PROMETHEUS_PORT:-22620}
assemble=${ASSEMBLE:-bench/qa87-assemble.py}
here=$(cd "$(dirname "$0")" && pwd)
mkdir -p "$out"
(cd "$here/go-pod" && GO111MODULE=off GOPATH=$out/gopath:/usr/share/gocode go build -tags prom -o "$out/gopod-prom" .)
. "$here/prometheus-scrape.sh"
cd "$out"
# shellcheck disable=SC2046
scrape_config $((prom_port + 1)) $(for spec in $pods; do echo "${spec%%:*}"; done) | sed 's/app: orders/app: gopod/' \
  > prometheus.yml
start_prometheus "$out" "$prom_port"
port=$((prom_port + 1))
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
echo "pods done; Prometheus (pid $prom) still serves 127.0.0.1:$prom_port for $assemble; kill $prom after"
