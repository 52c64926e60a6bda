#!/bin/sh
# Records the qa76 Node pods under Pyroscope's Node SDK at its defaults (wall time only, 60 s uploads): b1-b3 baseline,
# a1 a2 unchanged (A/A), s1 priceOrder x1.5, d1 priceOrder x2, n1 new auditOrder (mostly Mustache), w1 a slower
# downstream (waits 40 ms, not 8). Ingest and the downstream on 127.0.0.1:22400, pods on 22401-22409.
# Usage: bench/qa76-node/record.sh OUT_DIR [SECONDS] [RATE]   (needs node 20 and npm; installs into /tmp/qa76/app)
set -eu
OUT=$1; SECONDS_=${2:-540}; RATE=${3:-30}
HERE=$(cd "$(dirname "$0")" && pwd)
APP=/tmp/qa76/app
mkdir -p "$APP" "$OUT"
cp "$HERE"/server.js "$HERE"/ingest.js "$HERE"/shares.js "$HERE"/../qa75-node/load.js "$APP"/  # the load generator is qa75's
cd "$APP"
[ -d node_modules/@pyroscope/nodejs ] || npm install --no-audit --no-fund @pyroscope/nodejs@0.6.4 mustache@4.2.0 >/dev/null
PODS='{"b1":22401,"b2":22402,"b3":22403,"a1":22404,"a2":22405,"s1":22406,"d1":22407,"n1":22408,"w1":22409}'
POD_PORTS=$PODS OUT=$OUT nice node ingest.js & INGEST=$!
PIDS=""
for spec in b1:22401:base b2:22402:base b3:22403:base a1:22404:base a2:22405:base s1:22406:slow d1:22407:slow2 \
    n1:22408:newpath w1:22409:iowait; do
  pod=${spec%%:*}; rest=${spec#*:}; port=${rest%%:*}; variant=${rest#*:}
  POD=$pod PORT=$port VARIANT=$variant nice node server.js & PIDS="$PIDS $!"
done
sleep 3
POD_PORTS=$PODS RATE=$RATE SECONDS=$SECONDS_ nice node load.js
sleep 65   # the upload after the load stops is partly idle; the judge script leaves the last one out
kill $PIDS; sleep 2; kill $INGEST
