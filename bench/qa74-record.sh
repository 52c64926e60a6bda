#!/usr/bin/env bash
# qa74: Go pods that leak goroutines, scraped by a real Prometheus, a goroutine profile saved every minute.
#   bench/qa74-record.sh OUT [SLICES]     # 7 pods at once, 300 requests/s each, SLICES 1-minute slices (18)
# b1-b4: the unchanged build; g1: one goroutine blocked forever per 500 requests (main.awaitAck, 36 a minute); g2: one per
# 5,000 (3.6 a minute); p1: a bounded pool of 64 workers (main.poolWorker) that grows by one per 1,200 requests, then
# stays. Prometheus (Debian's 2.42) on 127.0.0.1:22360 scrapes each pod's client_golang /metrics (22361-22367) every 10 s.
# Then bench/qa74-assemble.py OUT canary-judge/src/test/resources/qa74.
set -euo pipefail
out=$1
slices=${2:-18}
here=$(cd "$(dirname "$0")" && pwd)
mkdir -p "$out"
(cd "$here/go-pod" && GO111MODULE=off GOPATH=$out/gopath:/usr/share/gocode go build -tags prom -o "$out/gopod-prom" .)
. "$here/prometheus-scrape.sh"
cd "$out"
scrape_config 22361 b1 b2 b3 b4 g1 g2 p1 > prometheus.yml
start_prometheus "$out" 22360
port=22361
: > pods.txt
for spec in b1:base:500 b2:base:500 b3:base:500 b4:base:500 g1:goleak:500 g2:goleak:5000 p1:pool:500; do
  IFS=: read -r name variant every <<< "$spec"
  nice "$out/gopod-prom" -out "$name" -variant "$variant" -goroutine-leak-every "$every" -rate 300 -slice 1m \
    -slices "$slices" -cpu=false -goroutines-every-slice -metrics 127.0.0.1:$port > "$name.log" 2>&1 &
  echo "$name $! $port" >> pods.txt
  port=$((port + 1))
done
wait $(awk '{print $2}' pods.txt)
sleep 20 # the last scrape
echo "pods done; Prometheus (pid $prom) still serves 127.0.0.1:22360 for bench/qa74-assemble.py; kill $prom after"
