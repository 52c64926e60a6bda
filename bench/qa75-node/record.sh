#!/bin/sh
# Records the qa75 Node pods: b1-b3 baseline, a1 unchanged (A/A), s1 slow, n1 newpath, r1 retain, each under
# Pyroscope's Node SDK uploading every FLUSH_MS to ingest.js on 127.0.0.1:22370, pods on 22371-22377.
# Usage: bench/qa75-node/record.sh OUT_DIR [SECONDS] [RATE]   (needs node 20 and npm; installs into /tmp/qa75/app)
set -eu
OUT=$1; SECONDS_=${2:-300}; RATE=${3:-60}
HERE=$(cd "$(dirname "$0")" && pwd)
APP=/tmp/qa75/app
mkdir -p "$APP" "$OUT"
cp "$HERE"/server.js "$HERE"/ingest.js "$HERE"/load.js "$APP"/
cd "$APP"
[ -d node_modules/@pyroscope/nodejs ] || npm install --no-audit --no-fund @pyroscope/nodejs@0.6.4 mustache@4.2.0 >/dev/null
PODS='{"b1":22371,"b2":22372,"b3":22373,"a1":22374,"s1":22375,"n1":22376,"r1":22377}'
POD_PORTS=$PODS OUT=$OUT nice node ingest.js & INGEST=$!
PIDS=""
for spec in b1:22371:base b2:22372:base b3:22373:base a1:22374:base s1:22375:slow n1:22376:newpath r1:22377:retain; do
  pod=${spec%%:*}; rest=${spec#*:}; port=${rest%%:*}; variant=${rest#*:}
  POD=$pod PORT=$port VARIANT=$variant nice node server.js & PIDS="$PIDS $!"
done
sleep 3
POD_PORTS=$PODS RATE=$RATE SECONDS=$SECONDS_ nice node load.js
sleep 20   # one more upload after the load stops is idle; it is removed below
kill $PIDS; sleep 2; kill $INGEST
