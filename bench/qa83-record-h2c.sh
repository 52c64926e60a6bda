#!/usr/bin/env bash
# qa83: as bench/qa83-record.sh, but the pods speak HTTP/2 in cleartext with prior knowledge (h2c,
# golang.org/x/net/http2/h2c: what a mesh's sidecar or a gRPC-gateway/Connect server speaks to the process), whose
# connection goroutine runs inside net/http's handler. Goroutine profiles only (no Prometheus: compare reads them).
#   bench/qa83-record-h2c.sh OUT [SLICES]     # 5 pods at once, 100 requests/s each over h2c, SLICES 1-minute slices (17)
#   b1-b3 base, 20 clients throughout (the baseline);   r1 base, 10 -> 200 clients over 15 minutes (unchanged);
#   h1 hangleak (one request in 2,000 whose stream handler waits forever in main.awaitAck) under the same 10 -> 200.
# Pods on 127.0.0.1:22508-22510, 22518, 22519 (qa83-record.sh's Prometheus and pods hold the rest of 22500-22519).
# Then bench/qa83-assemble.py OUT canary-judge/src/test/resources/qa83/h2c h2c.
set -euo pipefail
out=$1
slices=${2:-17}
here=$(cd "$(dirname "$0")" && pwd)
mkdir -p "$out"
(cd "$here/go-pod" && GO111MODULE=off GOPATH=$out/gopath:/usr/share/gocode go build -tags prom,h2c -o "$out/gopod-h2c" .)
cd "$out"
pods="b1:base:20,20:22508 b2:base:20,20:22509 b3:base:20,20:22510 r1:base:10,200:22518 h1:hangleak:10,200:22519"
: > pods.txt
loads=()
for spec in $pods; do
  IFS=: read -r name variant load port <<< "$spec"
  nice "$out/gopod-h2c" -out "$name" -variant "$variant" -http -h2c 127.0.0.1:$port -goroutine-leak-every 2000 \
    -slice 1m -slices "$slices" -cpu=false -goroutines-every-slice > "$name.log" 2>&1 &
  echo "$name $! $port" >> pods.txt
  loads+=(-load "$name=h2c://127.0.0.1:$port,hold,$load,100")
done
sleep 1
nice "$out/gopod-h2c" -out load "${loads[@]}" -load-ramp 15m -load-for $((slices * 60 + 30))s > load.log 2>&1 &
echo "load $! -" >> pods.txt
wait $(awk '{print $2}' pods.txt)
echo "pods done"
