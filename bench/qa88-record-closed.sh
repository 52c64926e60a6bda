#!/usr/bin/env bash
# qa88: one gRPC-go pod (bench/qa88-grpc-pod, -variant hangleak, one Get in 50 hangs) whose 5 clients close their
# connections after 12 s; its goroutine profile at 18 s, after they closed: what a closed connection with hung handlers
# leaves (grpc.(*Server).serveStreams waiting in WaitGroup.Wait for them), not counted as a connection's.
#   bench/qa88-record-closed.sh OUT      # gRPC on 127.0.0.1:22658, /metrics on 22648; OUT/p/goroutine-02.pb.gz
set -euo pipefail
out=$1
here=$(cd "$(dirname "$0")" && pwd)
mkdir -p "$out"
(cd "$here/qa88-grpc-pod" && GO111MODULE=off GOPATH=$out/gopath:/usr/share/gocode go build -o "$out/grpcpod" .)
cd "$out"
nice "$out/grpcpod" -out p -variant hangleak -goroutine-leak-every 50 -grpc 127.0.0.1:22658 -metrics 127.0.0.1:22648 \
  -slice 5s -slices 3 > p.log 2>&1 &
pod=$!
sleep 1
nice "$out/grpcpod" -out load -load p=127.0.0.1:22658,5,5,50 -load-for 12s > load.log 2>&1
wait $pod
