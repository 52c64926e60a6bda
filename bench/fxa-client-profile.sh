#!/usr/bin/env bash
# fxa: a gRPC-go CLIENT's goroutines (gRPC-go 1.33's http2Client also runs (*loopyWriter).run, one per ClientConn): one
# qa88 pod (bench/qa88-grpc-pod, base) and its load process holding CLIENTS ClientConns (one HTTP/2 connection each)
# and serving net/http/pprof; the load process's goroutine profile (/debug/pprof/goroutine, proto) is saved as
# OUT/client-goroutine.pb.gz, the pod's as OUT/server-goroutine.pb.gz.
#   bench/fxa-client-profile.sh OUT [CLIENTS]    # CLIENTS 20; ports 22780 (pod metrics), 22781 (gRPC), 22782 (pprof)
set -euo pipefail
out=$1
clients=${2:-20}
here=$(cd "$(dirname "$0")" && pwd)
mkdir -p "$out"
(cd "$here/qa88-grpc-pod" && GO111MODULE=off GOPATH=$out/gopath:/usr/share/gocode go build -o "$out/grpcpod" .)
cd "$out"
nice "$out/grpcpod" -out pod -variant base -grpc 127.0.0.1:22781 -metrics 127.0.0.1:22780 -slice 1m -slices 1 \
  > pod.log 2>&1 &
pod=$!
sleep 1
nice "$out/grpcpod" -out load -load "c=127.0.0.1:22781,$clients,$clients,100" -load-ramp 1s -load-for 60s \
  -load-pprof 127.0.0.1:22782 > load.log 2>&1 &
load=$!
sleep 20 # every client dialled and calling
curl -sf -o client-goroutine.pb.gz http://127.0.0.1:22782/debug/pprof/goroutine
curl -sf -o server-goroutine.pb.gz http://127.0.0.1:22780/debug/pprof/goroutine
kill "$load" "$pod"
wait "$load" "$pod" 2>/dev/null || true
tail -1 load/load-c.csv
