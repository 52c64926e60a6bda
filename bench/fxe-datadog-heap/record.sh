#!/bin/sh
# Records the fxe heap profiles: @datadog/pprof's own heap profile (V8's sampling heap profiler, live objects), two
# runs of the unchanged script (base-1, base-2) and two keeping 4x the sessions (retain-1, retain-2), each its own
# process. VERSION 5.14.4 (what Pyroscope's Node SDK 0.6.4 pins; up to 5.15.x) writes the columns objects/count and
# space/bytes; 5.16.0 and later write inuse_objects/count and inuse_space/bytes.
# Also Go's threadcreate profile (threadcreate/count, a column the judge does not compare) as threadcreate.pb.gz.
# Usage: bench/fxe-datadog-heap/record.sh OUT_DIR [VERSION]   (needs node 20, npm and go; installs into /tmp/fxe)
set -eu
OUT=$1; VERSION=${2:-5.14.4}
HERE=$(cd "$(dirname "$0")" && pwd)
PPROF_DIR=/tmp/fxe/pprof-$VERSION
mkdir -p /tmp/fxe/app "$PPROF_DIR" "$OUT"
cp "$HERE"/heap.js /tmp/fxe/app/   # one script path for every version: its frames are named alike
cd "$PPROF_DIR"
[ -f package.json ] || echo '{"private":true}' > package.json
[ -d node_modules/@datadog/pprof ] || npm install --no-audit --no-fund "@datadog/pprof@$VERSION" >/dev/null
for run in base-1:base base-2:base retain-1:retain retain-2:retain; do
  PPROF_DIR=$PPROF_DIR nice node --expose-gc /tmp/fxe/app/heap.js "$OUT/${run%%:*}.pb.gz" "${run#*:}"
done
cp "$HERE"/threadcreate.go /tmp/fxe/threadcreate.go
(cd /tmp/fxe && nice go run threadcreate.go "$OUT/threadcreate.pb.gz")
