#!/usr/bin/env bash
# Native allocation sites (qa48): every layout of the recorded pods (bench/qa48-nativemem.sh record) judged by
# `compare` on their one-minute JFR recordings, one line per case: canary, baselines, result, first incident.
#   bench/qa48-evaluate.sh REC CJ_CP [TYPE]   TYPE: malloc_leak_bytes (default), or "all" for every type
#   REC: the recordings (POD/live/minute-NNN.jfr), or collapsed stacks (POD/minute-NNN.collapsed, e.g.
#   canary-judge/src/test/resources/qa48/pods: judged with --value-per-sample 65536)
# Layouts: each canary of the leak, churn and A/A kinds against every 3 of the 4 stable pods (b1 b2 b3 aa-1, the canary
# itself left out), and against every 2 of b1 b2 b3.
set -euo pipefail
rec=$1 cp=$2 type=${3:-malloc_leak_bytes}
stable=(b1 b2 b3 aa-1)
typeargs=(); [ "$type" != all ] && typeargs=(--profile-type "$type")
live=/live; if [ ! -d "$rec/b1/live" ]; then live=""; typeargs+=(--value-per-sample 65536); fi
judge() { # canary baseline...
  local c=$1; shift
  local args=(); for b in "$@"; do args+=(--baseline "$rec/$b$live"); done
  local out
  out=$(nice java -cp "$cp" io.canaryjudge.CanaryJudgeApplication compare "${args[@]}" --canary "$rec/$c$live" \
    "${typeargs[@]}" --format json 2>/dev/null || true)
  echo "$out" | jq -r --arg c "$c" --arg b "$*" \
    '"\($c)\t\($b)\t\(.result)\t\((.incidents // []) | map(select(.failing)) | (.[0].entryFrame // "-"))\t\((.incidents // []) | map(select(.failing)) | (.[0].profileType // "-"))"'
}
for c in leak-native-1 leak-native-2 leak-inflater-1 leak-inflater-2 churn-native-1 b1 b2 b3 aa-1; do
  others=(); for s in "${stable[@]}"; do [ "$s" != "$c" ] && others+=("$s"); done
  if [ ${#others[@]} -eq 3 ]; then
    judge "$c" "${others[@]}"
  else
    for skip in "${others[@]}"; do
      three=(); for s in "${others[@]}"; do [ "$s" != "$skip" ] && three+=("$s"); done
      judge "$c" "${three[@]}"
    done
  fi
done
for c in leak-native-1 leak-native-2 leak-inflater-1 leak-inflater-2 churn-native-1 aa-1; do
  for pair in "b1 b2" "b1 b3" "b2 b3"; do judge "$c" $pair; done
done
