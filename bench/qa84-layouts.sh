#!/usr/bin/env bash
# qa84: every layout of 2 and 3 baseline pods against each canary pod, windows 10-25 and 15-30 (minutes after the last JVM
# started), through `compare`: the site the MEMORY_GROWTH finding names, for docs/EVALUATION.md "(qa84)".
# Usage: bench/qa84-layouts.sh PODS_DIR CP_FILE "CANARY CANARY ..." "BASE,BASE BASE,BASE,BASE ..."
set -euo pipefail
pods=$1; cp=$(cat "$2"); work=$(mktemp -d)
for layout in $4; do
  for canary in $3; do
    for window in "10 25" "15 30"; do
      rm -rf "$work"/*
      # shellcheck disable=SC2086
      EXPL=${EXPL:-} nice java -cp "$cp" bench/qa84-layouts.java "$pods" "$work" $window "$layout" "$canary" 2>/dev/null
    done
  done
done
rm -rf "$work"
