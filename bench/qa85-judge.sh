#!/usr/bin/env bash
# qa85: each canary against the baseline pods given (CPU only, with requests.csv and endpoints.csv as collapsed by
# bench/qa79-collapse.sh; "nocounts" copies the pods without the csv files), one line per verdict: canary, counts or
# not, result, exit status, the summary's first 220 characters.
#   bench/qa85-judge.sh CPUDIR CP "BASELINE PODS" canary...      e.g. "aa1 b4" amp20 amp10 new20 b1 aa2
set -uo pipefail
dir=$1 cp=$2 baseline=$3; shift 3
bare=$(mktemp -d)
for p in $baseline "$@"; do mkdir -p "$bare/$p"; cp "$dir/$p"/*.gz "$bare/$p/"; done
for c in "$@"; do
  for mode in counts nocounts; do
    d=$dir; [ $mode = nocounts ] && d=$bare
    args=(); for b in $baseline; do args+=(--baseline "$d/$b"); done
    json=$(nice java -cp "$cp" io.canaryjudge.CanaryJudgeApplication compare --format json --profile-type cpu \
      "${args[@]}" --canary "$d/$c" 2>/dev/null); rc=$?
    printf '%s\t%s\t%s\n' "$c" "$mode" "$(printf '%s' "$json" | python3 -c 'import json,sys; v=json.load(sys.stdin); print(v["result"], "exit", '"$rc"', "|", v["summary"][:220])')"
  done
done
rm -rf "$bare"
