#!/usr/bin/env bash
# Indirect costs (qa36): io.canaryjudge.qa36.IndirectCostPod (test sources) pods recorded under async-profiler 4.2
# (CPU and allocation in one session), judged with `compare` (docs/EVALUATION.md "Indirect costs").
#   bench/qa36-indirect.sh record OUT CP [KEY=VALUE ...]   3 batches of JVMs, at most 3 at once ({b,a,x}_i, x = each
#        change in turn, VARIANTS, default "garbage exception classload lock"): b_i, a_i unchanged code; garbage_i
#        OrderService.price builds 4-5x the bytes; exception_i a NumberFormatException per request for control flow;
#        classload_i a class defined per 25th request; lock_i a global monitor in price. Defaults rate=700 slices=4
#        sliceMillis=10000 warmupMillis=15000 profiler=event=itimer,interval=500us,alloc=64k
#   bench/qa36-indirect.sh judge OUT JAR RESULTS           every change x layout (3v3, 2v2 x3, 3 baselines v 1 canary
#        x3; A/A a_i against b_i the same layouts) at default settings: one JSON per run in RESULTS, then one line
#        per run: case.layout result failing-types | summary
# CP: the test class path (bench/test-classpath.sh).
set -euo pipefail
cmd=$1 out=$2
if [ "$cmd" = record ]; then
  cp=$3; shift 3
  variants=${VARIANTS:-garbage exception classload lock}
  for i in 1 2 3; do
    for spec in b$i:base a$i:base $(for v in $variants; do echo "$v$i:$v"; done); do
      name=${spec%%:*}; variant=${spec#*:}; mkdir -p "$out"
      [ -f "$out/$name/requests.csv" ] && continue
      nice java -XX:+UnlockDiagnosticVMOptions -XX:+DebugNonSafepoints -XX:+UseG1GC -Xms192m -Xmx192m -cp "$cp" \
        io.canaryjudge.qa36.IndirectCostPod output="$out/$name" variant="$variant" rate=700 slices=4 \
        sliceMillis=10000 warmupMillis=15000 profiler=event=itimer,interval=500us,alloc=64k "$@" > "$out/$name.log" 2>&1 &
      # at most 3 JVMs at once on the shared machine
      while [ "$(jobs -rp | wc -l)" -ge 3 ]; do wait -n || true; done
    done
  done
  wait || true
  for f in "$out"/*/slice-*.jfr; do gzip -9 "$f"; done
  for f in "$out"/*/requests.csv; do sed -i 's/\.jfr,/.jfr.gz,/' "$f"; done
elif [ "$cmd" = judge ]; then
  jar=$3 results=$4; mkdir -p "$results"
  run() { # name baseline... -- canary...
    local name=$1 side=--baseline; shift; local args=()
    for p in "$@"; do if [ "$p" = -- ]; then side=--canary; else args+=("$side" "$out/$p"); fi; done
    nice java -jar "$jar" compare --format json "${args[@]}" > "$results/$name.json" 2>/dev/null || true
  }
  for x in ${VARIANTS:-garbage exception classload lock} a; do
    run $x-3v3 b1 b2 b3 -- ${x}1 ${x}2 ${x}3
    run $x-2v2-12 b1 b2 -- ${x}1 ${x}2; run $x-2v2-13 b1 b3 -- ${x}1 ${x}3; run $x-2v2-23 b2 b3 -- ${x}2 ${x}3
    for i in 1 2 3; do run $x-3v1-$i b1 b2 b3 -- ${x}$i; done
  done
  for f in "$results"/*.json; do
    n=$(basename "$f" .json)
    echo "$n $(jq -r '.result + " " + ([.findings[] | select(.failing) | .profileType] | unique | join(",")) + " | " + .summary' "$f")"
  done
else
  echo "usage: $0 record OUT CP [KEY=VALUE ...] | judge OUT JAR RESULTS" >&2; exit 64
fi
