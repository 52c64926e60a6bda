#!/usr/bin/env bash
# qa88: gRPC-go pods (bench/qa88-grpc-pod: gRPC-go 1.33's own HTTP/2 transport, Debian's golang-google-grpc-dev) serving
# real gRPC calls from real gRPC clients, scraped by a real Prometheus, a goroutine and a heap profile saved every minute:
# does an unchanged canary whose inbound gRPC connections grow read as a goroutine leak (qa77/qa83 recorded net/http's
# servers only)?
#   bench/qa88-record.sh OUT [SLICES]     # 7 pods at once, 100 calls/s each, SLICES 1-minute slices (17)
# One load process (grpcpod -load: one ClientConn, one HTTP/2 connection, per client; a unary Get, every 10th call a
# Watch server stream of 3 messages) drives them all:
#   b1-b3 base, 20 clients throughout (the baseline);   s1 base, 20 throughout (A/A, steady);
#   r1 base, 10 -> 200 clients over 15 minutes (A/A, a weight step's clients arriving);
#   r2 goleak (every 2,000th Get starts a main.awaitAck goroutine that waits forever, 3 a minute) under the same 10 -> 200;
#   h1 hangleak (every 2,000th Get itself waits forever in main.awaitAck under grpc's handleStream; the client's 30 s
#      deadline resets the stream, the connection stays) under 10 -> 200.
# Prometheus (Debian's 2.42) on 127.0.0.1:22640 scrapes each pod's /metrics (22641-22647) every 10 s; gRPC on 22651-22657.
# Then bench/qa88-assemble.py OUT canary-judge/src/test/resources/qa88.
set -euo pipefail
out=$1
slices=${2:-17}
here=$(cd "$(dirname "$0")" && pwd)
mkdir -p "$out"
(cd "$here/qa88-grpc-pod" && GO111MODULE=off GOPATH=$out/gopath:/usr/share/gocode go build -o "$out/grpcpod" .)
. "$here/prometheus-scrape.sh"
cd "$out"
pods="b1:base:20,20 b2:base:20,20 b3:base:20,20 s1:base:20,20 r1:base:10,200 r2:goleak:10,200 h1:hangleak:10,200"
# shellcheck disable=SC2046
scrape_config 22641 $(for spec in $pods; do echo "${spec%%:*}"; done) | sed 's/app: orders/app: grpcpod/' > prometheus.yml
start_prometheus "$out" 22640
port=22641
: > pods.txt
loads=()
for spec in $pods; do
  IFS=: read -r name variant load <<< "$spec"
  grpc=$((port + 10))
  nice "$out/grpcpod" -out "$name" -variant "$variant" -grpc 127.0.0.1:$grpc -metrics 127.0.0.1:$port \
    -goroutine-leak-every 2000 -slice 1m -slices "$slices" > "$name.log" 2>&1 &
  echo "$name $! $port $grpc" >> pods.txt
  IFS=, read -r from to <<< "$load"
  loads+=(-load "$name=127.0.0.1:$grpc,$from,$to,100")
  port=$((port + 1))
done
sleep 1
nice "$out/grpcpod" -out load "${loads[@]}" -load-ramp 15m -load-for $((slices * 60 + 30))s > load.log 2>&1 &
echo "load $! -" >> pods.txt
wait $(awk '$1 != "load" {print $2}' pods.txt)
sleep 20 # the last scrape
echo "pods done; Prometheus (pid $prom) still serves 127.0.0.1:22640 for bench/qa88-assemble.py; kill $prom after"
