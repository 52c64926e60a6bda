#!/usr/bin/env bash
# qa79: CPU-only test pods from bench/qa79-record.sh's recordings: each JFR slice's CPU as collapsed stacks (`collapse
# --profile-type cpu`, one JVM for all through io.canaryjudge.qa42.BatchCompare), gzip'd, with requests.csv and
# endpoints.csv renamed to match.
#   bench/qa79-collapse.sh REC CP OUT pod...
set -euo pipefail
rec=$1 cp=$2 out=$3; shift 3
lines=""
for pod in "$@"; do
  mkdir -p "$out/$pod"
  for f in "$rec/$pod"/slice-*.jfr; do
    lines+="$out/$pod/$(basename "$f" .jfr).collapsed"$'\t'"collapse"$'\t'"$f"$'\t'"--profile-type"$'\t'"cpu"$'\n'
  done
  sed 's/\.jfr,/.collapsed.gz,/' "$rec/$pod/requests.csv" > "$out/$pod/requests.csv"
  sed 's/\.jfr,/.collapsed.gz,/' "$rec/$pod/endpoints.csv" > "$out/$pod/endpoints.csv"
done
printf '%s' "$lines" | nice java -cp "$cp" io.canaryjudge.qa42.BatchCompare > /dev/null
for pod in "$@"; do gzip -9nf "$out/$pod"/*.collapsed; done
