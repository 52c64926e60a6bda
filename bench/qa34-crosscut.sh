#!/usr/bin/env bash
# Cross-cutting canary changes (qa34): io.canaryjudge.qa34.CrossCuttingPod (test sources) pods recorded under
# async-profiler 4.2 (CPU and allocation in one session), judged with `compare` (docs/EVALUATION.md "Cross-cutting
# canary changes").
#   bench/qa34-crosscut.sh record OUT CP [KEY=VALUE ...]   3 batches of 3 JVMs side by side ({b,a,x}_i, x = each
#        change in turn, VARIANTS, default "debug info filter metrics"): b_i, a_i unchanged code; debug_i the
#        application's package logging at DEBUG; info_i one INFO line per request; filter_i an HMAC request filter;
#        metrics_i a Micrometer Timer per service call tagged with the customer id. Defaults rate=1000 slices=4
#        sliceMillis=12000 warmupMillis=15000 profiler=event=itimer,interval=500us,alloc=512k
#   bench/qa34-crosscut.sh judge OUT JAR RESULTS           every change x layout (3v3, 2v2 x3, 3 baselines v 1 canary
#        x3; A/A a_i against b_i) at default settings: one JSON per run in RESULTS, then one line per run:
#        case.layout result failing-types | summary
# CP: the test class path (bench/test-classpath.sh).
set -euo pipefail
cmd=$1 out=$2
if [ "$cmd" = record ]; then
  cp=$3; shift 3
  variants=${VARIANTS:-debug info filter metrics}
  for i in 1 2 3; do
    for spec in b$i:base a$i:base $(for v in $variants; do echo "$v$i:$v"; done); do
      name=${spec%%:*}; variant=${spec#*:}; mkdir -p "$out"
      [ -f "$out/$name/requests.csv" ] && continue
      nice java -XX:+UnlockDiagnosticVMOptions -XX:+DebugNonSafepoints -XX:+UseG1GC -Xms256m -Xmx256m -cp "$cp" \
        io.canaryjudge.qa34.CrossCuttingPod output="$out/$name" variant="$variant" rate=1000 slices=4 \
        sliceMillis=12000 warmupMillis=15000 "$@" > "$out/$name.log" 2>&1 &
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
  for x in ${VARIANTS:-debug info filter metrics}; do
    run $x-3v3 b1 b2 b3 -- ${x}1 ${x}2 ${x}3
    run $x-2v2-12 b1 b2 -- ${x}1 ${x}2; run $x-2v2-13 b1 b3 -- ${x}1 ${x}3; run $x-2v2-23 b2 b3 -- ${x}2 ${x}3
    for i in 1 2 3; do run $x-3v1-$i b1 b2 b3 -- ${x}$i; done
  done
  run A-3v3 a1 a2 a3 -- b1 b2 b3
  run A-2v2-12 a1 a2 -- b1 b2; run A-2v2-13 a1 a3 -- b1 b3; run A-2v2-23 a2 a3 -- b2 b3
  for i in 1 2 3; do run A-3v1-$i a1 a2 a3 -- b$i; done
  for f in "$results"/*.json; do
    n=$(basename "$f" .json)
    echo "$n $(jq -r '.result + " " + ([.findings[] | select(.failing) | .profileType] | unique | join(",")) + " | " + .summary' "$f")"
  done
else
  echo "usage: $0 record OUT CP [KEY=VALUE ...] | judge OUT JAR RESULTS" >&2; exit 64
fi
