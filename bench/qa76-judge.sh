#!/bin/sh
# Judges the qa76 Node pods (bench/qa76-node/record.sh, assembled by bench/qa76-node/assemble.sh) with compare at
# default settings: five A/A rotations of the unchanged pods, then b1 b2 b3 against s1, d1, n1, w1.
# Usage: bench/qa76-judge.sh JAR PODS_DIR OUT_DIR [compare options...]   prints canary, exit, summary, lead incidents
set -u
JAR=$1; DIR=$2; OUT=$3; shift 3
mkdir -p "$OUT"
while read -r canary b1 b2 b3; do
  nice java -jar "$JAR" compare --format json --baseline "$DIR/$b1" --baseline "$DIR/$b2" --baseline "$DIR/$b3" \
      --canary "$DIR/$canary" "$@" > "$OUT/verdict-$canary-$b1$b2$b3.json" 2>/dev/null
  status=$?
  python3 - "$canary vs $b1 $b2 $b3" "$status" "$OUT/verdict-$canary-$b1$b2$b3.json" <<'PY'
import json, sys
name, status, path = sys.argv[1:4]
v = json.load(open(path))
print(f"{name} exit {status}: {v['summary'][:330]}")
for i in (v.get("incidents") or [])[:2]:
    print(f"    incident {i.get('profileType')} failing={i.get('failing')} entry={i.get('entryFrame')} :: {i.get('summary','')[:200]}")
PY
done <<'PODS'
a1 b1 b2 b3
a2 b1 b2 b3
b1 b2 b3 a1
b2 b3 a1 a2
b3 a1 a2 b1
s1 b1 b2 b3
d1 b1 b2 b3
n1 b1 b2 b3
w1 b1 b2 b3
PODS
