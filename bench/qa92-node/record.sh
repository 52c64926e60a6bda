#!/bin/sh
# qa92: a fresh recording of qa76's Node shop under Pyroscope's Node SDK at its defaults (wall + V8's sampled heap,
# 60 s uploads), held out while the live heap's noise (inuse snapshots) and the report-only family were decided.
# Pods: b1-b3 baseline, a1 a2 unchanged (A/A), r1 renderReceipt renders its receipt twice (VARIANT=render2: a
# different function than qa76's priceOrder, its cost mostly Mustache's). Ingest and the downstream on
# 127.0.0.1:22720, pods on 22721-22726. The server is qa76's with one added variant (sed below), the load qa75's.
# Usage: bench/qa92-node/record.sh OUT_DIR [SECONDS] [RATE]; then bench/qa76-node/assemble.sh OUT_DIR DEST
set -eu
OUT=$1; SECONDS_=${2:-540}; RATE=${3:-30}
HERE=$(cd "$(dirname "$0")" && pwd)
APP=/tmp/qa92/app
mkdir -p "$APP" "$OUT"
cp "$HERE"/../qa76-node/ingest.js "$HERE"/../qa75-node/load.js "$APP"/
# render2: renderReceipt renders the receipt twice and keeps the second (the same bytes, twice the work)
sed 's|^  return Mustache.render(RECEIPT, order);|  if (variant === "render2") { Mustache.render(RECEIPT, Object.assign({}, order)); }\n  return Mustache.render(RECEIPT, order);|' \
  "$HERE"/../qa76-node/server.js > "$APP"/server.js
grep -q render2 "$APP"/server.js
cd "$APP"
[ -d node_modules/@pyroscope/nodejs ] || npm install --no-audit --no-fund @pyroscope/nodejs@0.6.4 mustache@4.2.0 >/dev/null
PODS='{"b1":22721,"b2":22722,"b3":22723,"a1":22724,"a2":22725,"r1":22726}'
export INGEST=http://127.0.0.1:22720 INGEST_PORT=22720
POD_PORTS=$PODS OUT=$OUT nice node ingest.js & INGEST_PID=$!
PIDS=""
for spec in b1:22721:base b2:22722:base b3:22723:base a1:22724:base a2:22725:base r1:22726:render2; do
  pod=${spec%%:*}; rest=${spec#*:}; port=${rest%%:*}; variant=${rest#*:}
  POD=$pod PORT=$port VARIANT=$variant nice node server.js & PIDS="$PIDS $!"
done
sleep 3
POD_PORTS=$PODS RATE=$RATE SECONDS=$SECONDS_ nice node load.js
sleep 65   # the upload after the load stops is partly idle; assemble.sh leaves the last one out
kill $PIDS; sleep 2; kill $INGEST_PID
