#!/bin/sh
# Judges the qa75 Node pods (bench/qa75-node/record.sh) with compare at default settings: b1 b2 b3 against each canary.
# Usage: bench/qa75-judge.sh JAR PODS_DIR [compare options...]   prints canary, exit status, summary, lead incident
set -u
JAR=$1; DIR=$2; shift 2
for canary in a1 s1 n1 r1; do
  nice java -jar "$JAR" compare --format json --baseline "$DIR/b1" --baseline "$DIR/b2" --baseline "$DIR/b3" \
      --canary "$DIR/$canary" "$@" > "/tmp/qa75/verdict-$canary.json" 2>/dev/null
  status=$?
  python3 - "$canary" "$status" "/tmp/qa75/verdict-$canary.json" <<'PY'
import json, sys
canary, status, path = sys.argv[1:4]
v = json.load(open(path))
lead = v.get("incidents") or [{}]
print(f"{canary} exit {status}: {v['summary'][:400]}")
for i in (v.get("incidents") or [])[:3]:
    print(f"    incident {i.get('profileType')} {i.get('kind')} failing={i.get('failing')} entry={i.get('entryFrame')} :: {i.get('summary','')[:220]}")
PY
done
