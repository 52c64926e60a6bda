#!/bin/sh
# Copies a qa76 recording (bench/qa76-node/record.sh OUT) into DEST as compare reads it: each pod's wall and heap
# uploads but the last (taken after the load stopped, partly idle) and the first (the process starting: V8 compiling
# and the SDK's first minute), requests.csv to match.
# Usage: bench/qa76-node/assemble.sh REC_DIR DEST
set -eu
REC=$1; DEST=$2
for d in "$REC"/*/; do
  pod=$(basename "$d"); mkdir -p "$DEST/$pod"
  walls=$(ls "$d" | grep '^wall-' | sort)
  n=$(echo "$walls" | wc -l)
  keep=$(echo "$walls" | sed -n "2,$((n - 1))p")
  echo "profile,requests" > "$DEST/$pod/requests.csv"
  for w in $keep; do
    cp "$d/$w" "$DEST/$pod/"
    h=$(echo "$w" | sed 's/^wall-/heap-/'); [ -f "$d/$h" ] && cp "$d/$h" "$DEST/$pod/"
    grep "^$w," "$d/requests.csv" >> "$DEST/$pod/requests.csv"
  done
done
