#!/usr/bin/env bash
# qa72: the committed subset of a bench/qa56-record.sh recording made with -Dorders.jfr=true (the JDK's recorder,
# settings=profile, one recording a minute): per pod heap.csv, pod.properties and the minute recordings given, each cut
# to its jdk.OldObjectSample events (`jfr scrub`, JDK 19 or later) and gzipped (the readers inflate it).
# Usage: bench/qa72-commit.sh RECORDING OUT JFR_TOOL "MINUTES" POD...
set -euo pipefail
rec=$1; out=$2; jfr=$3; minutes=$4; shift 4
for pod in "$@"; do
  mkdir -p "$out/$pod/live"
  cp "$rec/$pod/heap.csv" "$rec/$pod/pod.properties" "$out/$pod/"
  for m in $minutes; do
    f=$(printf 'minute-%03d.jfr' "$m")
    "$jfr" scrub --include-events jdk.OldObjectSample "$rec/$pod/live/$f" "$out/$pod/live/$f" > /dev/null
    gzip -9 -n -f "$out/$pod/live/$f"
  done
done
du -sh "$out"
