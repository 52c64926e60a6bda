#!/usr/bin/env bash
# Canaries that block (qa32): io.canaryjudge.qa32.BlockingPod (test sources) pods recorded under async-profiler 4.2
# with CPU, wall-clock and lock events in one session, judged with `compare` (docs/EVALUATION.md "Canaries that block").
#   bench/qa32-blocking.sh record OUT CP [KEY=VALUE ...]  3 batches of 6 JVMs side by side: b_i, a_i (unchanged code),
#        s_i (pricing inside the cache's monitor), p_i (connection pool 6 -> 2), z_i (3 ms back-off on every other
#        request), c_i (pricing x1.5, the CPU control); defaults rate=400 priceWork=15000 slices=6 sliceMillis=10000
#        warmupMillis=15000 and profiler=event=itimer,interval=2ms,wall=10ms,lock=10us
#   bench/qa32-blocking.sh judge OUT JAR RESULTS          every case x layout (3v3, 2v2 x3, 3 baselines v 1 canary x3;
#        A/A both ways) at default settings (def) and with failOnTypes + wall, lock_delay, lock_count (fail): one
#        JSON per run in RESULTS, then one line per run: case.layout.config result failing-types
# CP: the test class path (bench/test-classpath.sh); only canary-judge/target/test-classes and async-profiler are used.
set -euo pipefail
cmd=$1 out=$2
if [ "$cmd" = record ]; then
  cp=$3; shift 3
  for i in 1 2 3; do
    pids=()
    for spec in b$i:base a$i:base s$i:sync p$i:pool z$i:sleep c$i:cpu; do
      name=${spec%%:*}; variant=${spec#*:}; mkdir -p "$out"
      nice java -XX:+UnlockDiagnosticVMOptions -XX:+DebugNonSafepoints -XX:CompileCommand=quiet \
        "-XX:CompileCommand=dontinline,io.canaryjudge.qa32.*::*" -XX:+UseG1GC -Xms128m -Xmx128m -cp "$cp" \
        io.canaryjudge.qa32.BlockingPod output="$out/$name" variant="$variant" rate=400 priceWork=15000 \
        slices=6 sliceMillis=10000 warmupMillis=15000 "$@" > "$out/$name.log" 2>&1 &
      pids+=($!)
    done
    for p in "${pids[@]}"; do wait "$p"; done
  done
elif [ "$cmd" = judge ]; then
  jar=$3 results=$4; mkdir -p "$results"
  printf 'failOnTypes: [cpu, alloc_bytes, alloc_objects, wall, lock_delay, lock_count]\n' > "$results/fail.yaml"
  run() { # name cfg baseline... -- canary...
    local name=$1 cfg=$2 side=--baseline; shift 2; local args=()
    for p in "$@"; do if [ "$p" = -- ]; then side=--canary; else args+=("$side" "$out/$p"); fi; done
    if [ "$cfg" = fail ]; then args+=(--config "$results/fail.yaml"); fi
    nice java -jar "$jar" compare --format json "${args[@]}" > "$results/$name.$cfg.json" 2>/dev/null || true
  }
  for cfg in def fail; do
    for x in a s p z c; do
      run $x-3v3 $cfg b1 b2 b3 -- ${x}1 ${x}2 ${x}3
      run $x-2v2-12 $cfg b1 b2 -- ${x}1 ${x}2; run $x-2v2-13 $cfg b1 b3 -- ${x}1 ${x}3; run $x-2v2-23 $cfg b2 b3 -- ${x}2 ${x}3
      for i in 1 2 3; do run $x-3v1-$i $cfg b1 b2 b3 -- ${x}$i; done
    done
    run A-3v3 $cfg a1 a2 a3 -- b1 b2 b3
    run A-2v2-12 $cfg a1 a2 -- b1 b2; run A-2v2-13 $cfg a1 a3 -- b1 b3; run A-2v2-23 $cfg a2 a3 -- b2 b3
    for i in 1 2 3; do run A-3v1-$i $cfg a1 a2 a3 -- b$i; done
  done
  for f in "$results"/*.json; do
    n=$(basename "$f" .json)
    echo "$n $(jq -r '.result + " " + ([.findings[] | select(.failing) | .profileType] | unique | join(","))' "$f")"
  done
else
  echo "usage: $0 record OUT CP [KEY=VALUE ...] | judge OUT JAR RESULTS" >&2; exit 64
fi
