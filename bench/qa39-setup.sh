#!/usr/bin/env bash
# The profiler changes with the canary (qa39): io.canaryjudge.qa39.SetupPod (test sources) pods of the SAME code, the
# canary recorded with another profiler setup, judged with `compare` (docs/EVALUATION.md "The profiler changes with the canary (qa39)").
#   bench/qa39-setup.sh record OUT CP [NAME ...]   JVMs at most 3 at once; NAME one of the list below (default all):
#        b1-b3, a1-a3 the reference setup (async-profiler 4.2 event=itimer,interval=500us,alloc=64k,
#        -XX:+DebugNonSafepoints, G1, 4 slices of 8 s after 12 s); every other NAME<i> changes one thing on the canary:
#        iv5ms interval=5ms; alloc512k alloc=512k; cpu event=cpu (perf_events); wall event=wall; nodns no
#        DebugNonSafepoints; cstackno cstack=no; jdk the JDK's JFR (jdk.ExecutionSample every 20 ms); c1
#        -XX:TieredStopAtLevel=1; slice2s 16 slices of 2 s; slowiv5ms / slowjdk / slowalloc512k: Pricing.quote adds
#        25,000 integer remainders per request (variant=slow, a real regression) recorded with interval=5ms / the JDK's
#        JFR / alloc=512k; slow: the regression with the reference setup.
#   bench/qa39-setup.sh judge OUT JAR RESULTS     every setup x layout (3v3, 2v2, 3v1 x3, A/A within the setup 1v2 x3):
#        one JSON per run in RESULTS, then one line per run: case.layout result failing-types | summary
# CP: the test class path (bench/test-classpath.sh).
set -euo pipefail
cmd=$1 out=$2
ref=event=itimer,interval=500us,alloc=64k
setups="iv5ms alloc512k cpu wall nodns cstackno jdk c1 slice2s slowiv5ms slowjdk slowalloc512k slow"
if [ "$cmd" = record ]; then
  cp=$3; shift 3
  names=${*:-b1 b2 b3 a1 a2 a3 $(for s in $setups; do echo ${s}1 ${s}2 ${s}3; done)}
  for name in $names; do
    [ -f "$out/$name/requests.csv" ] && continue
    mkdir -p "$out"
    jvm=(-XX:+UnlockDiagnosticVMOptions -XX:+DebugNonSafepoints -XX:+UseG1GC -Xms192m -Xmx192m)
    pod=(variant=base rate=400 slices=4 sliceMillis=8000 warmupMillis=12000 profiler=$ref)
    case ${name%[0-9]} in
      b|a) ;;
      iv5ms) pod+=(profiler=event=itimer,interval=5ms,alloc=64k) ;;
      alloc512k) pod+=(profiler=event=itimer,interval=500us,alloc=512k) ;;
      cpu) pod+=(profiler=event=cpu,interval=500us,alloc=64k) ;;
      wall) pod+=(profiler=event=wall,interval=500us,alloc=64k) ;;
      nodns) jvm=(-XX:+UseG1GC -Xms192m -Xmx192m) ;;
      cstackno) pod+=(profiler=event=itimer,interval=500us,alloc=64k,cstack=no) ;;
      jdk) pod+=(profiler=jdk,period=20ms) ;;
      c1) jvm+=(-XX:TieredStopAtLevel=1) ;;
      slice2s) pod+=(slices=16 sliceMillis=2000) ;;
      slow) pod+=(variant=slow) ;;
      slowiv5ms) pod+=(variant=slow profiler=event=itimer,interval=5ms,alloc=64k) ;;
      slowjdk) pod+=(variant=slow profiler=jdk,period=20ms) ;;
      slowalloc512k) pod+=(variant=slow profiler=event=itimer,interval=500us,alloc=512k) ;;
      *) echo "unknown pod $name" >&2; exit 64 ;;
    esac
    # later key=value arguments win (OpenLoopPod.arguments keeps the last)
    nice java "${jvm[@]}" -cp "$cp" io.canaryjudge.qa39.SetupPod output="$out/$name" "${pod[@]}" > "$out/$name.log" 2>&1 &
    # at most 3 JVMs at once on the shared machine
    while [ "$(jobs -rp | wc -l)" -ge 3 ]; do wait -n || true; done
  done
  wait || true
elif [ "$cmd" = judge ]; then
  jar=$3 results=$4; mkdir -p "$results"
  run() { # name baseline... -- canary...
    local name=$1 side=--baseline; shift; local args=()
    for p in "$@"; do if [ "$p" = -- ]; then side=--canary; else args+=("$side" "$out/$p"); fi; done
    nice java -jar "$jar" compare --format json "${args[@]}" > "$results/$name.json" 2>/dev/null || true
  }
  for x in ${SETUPS:-a $setups}; do
    run $x-3v3 b1 b2 b3 -- ${x}1 ${x}2 ${x}3
    run $x-2v2 b1 b2 -- ${x}1 ${x}2
    for i in 1 2 3; do run $x-3v1-$i b1 b2 b3 -- ${x}$i; done
    [ "$x" = a ] || for i in 1 2 3; do
      others=(); for j in 1 2 3; do [ $j = $i ] || others+=(${x}$j); done
      run $x-aa-$i "${others[@]}" -- ${x}$i
    done
  done
  for f in "$results"/*.json; do
    n=$(basename "$f" .json)
    echo "$n $(jq -r '.result + " " + ([.findings[] | select(.failing) | .profileType] | unique | join(",")) + " | " + .summary' "$f")"
  done
else
  echo "usage: $0 record OUT CP [NAME ...] | judge OUT JAR RESULTS" >&2; exit 64
fi
