#!/usr/bin/env bash
# Go's allocation columns (alloc_bytes, alloc_objects) on the committed Go recordings: for each comparison the verdict,
# the smallest p of an alloc_* test, how many alloc_* tests reach q < 0.01 and which fail (EVALUATION "(qa97)").
# Usage (from the project root): bench/qa97-go-alloc-noise.sh CLASSPATH_FILE   (the file holds the test class path,
# e.g. the output of bench/test-classpath.sh)
set -euo pipefail
CP=$(cat "$1")
R=canary-judge/src/test/resources
judge() { # name, then compare's arguments
  local name=$1; shift
  local out; out=$(nice java -cp "$CP" io.canaryjudge.CanaryJudgeApplication compare --format json "$@" 2>/dev/null || true)
  jq -r --arg name "$name" '[$name, .result,
        ([.findings[] | select(.profileType|startswith("alloc")) | .pValue] | min // "-"),
        ([.findings[] | select((.profileType|startswith("alloc")) and .qValue < 0.01)] | length),
        ([.findings[] | select((.profileType|startswith("alloc")) and .failing) | .profileType + " " + .function] | unique | join(", ")),
        ([.dataQuality.types[] | select(.profileType|startswith("alloc")) | .profileType + " " + ((.baseline.samples // "?")|tostring) + "/" + ((.canary.samples // "?")|tostring)] | join(" "))
      ] | @tsv' <<<"$out" || echo -e "$name\t(error)"
}
pods() { local dir=$1; shift; for p in "$@"; do printf -- '--%s %s ' "${p%%:*}" "$dir/${p#*:}"; done; }
G=$R/go-pprof
for c in b1 b2 b3 b4; do
  args=(); for b in b1 b2 b3 b4; do [ $b = $c ] || args+=(--baseline $G/$b); done
  judge "go-pprof A/A $c" "${args[@]}" --canary $G/$c
done
judge "go-pprof s1+s2" --baseline $G/b1 --baseline $G/b2 --baseline $G/b3 --baseline $G/b4 --canary $G/s1 --canary $G/s2
A=$R/qa69/alloc
for c in b1 b2 b3 b4; do
  args=(); for b in b1 b2 b3 b4; do [ $b = $c ] || args+=(--baseline $A/$b); done
  judge "qa69/alloc A/A $c" "${args[@]}" --canary $A/$c
done
for c in a1 a2; do judge "qa69/alloc $c (encodeReply 6 KiB)" --baseline $A/b1 --baseline $A/b2 --baseline $A/b3 --canary $A/$c; done
judge "qa69/alloc a1+a2" --baseline $A/b1 --baseline $A/b2 --baseline $A/b3 --canary $A/a1 --canary $A/a2
M=$R/qa69/memory/pods
for c in b1 b2 b3 b4; do
  args=(); for b in b1 b2 b3 b4; do [ $b = $c ] || args+=(--baseline $M/$b); done
  judge "qa69/memory A/A $c" "${args[@]}" --canary $M/$c
done
judge "qa69/memory l1 (leak)" --baseline $M/b1 --baseline $M/b2 --baseline $M/b3 --canary $M/l1
Q=$R/qa87/pods
for c in b1 b2 b3; do
  args=(); for b in b1 b2 b3; do [ $b = $c ] || args+=(--baseline $Q/$b); done
  judge "qa87 A/A $c" "${args[@]}" --canary $Q/$c
done
for c in l1 r1; do judge "qa87 $c" --baseline $Q/b1 --baseline $Q/b2 --baseline $Q/b3 --canary $Q/$c; done
