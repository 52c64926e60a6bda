#!/usr/bin/env bash
# What a busy JIT recompiles (qa73): qa70's io.canaryjudge.qa45.RoutingPod pods (test sources) under async-profiler 4.2
# with jfrsync=bench/qa73-jit.jfc, so that each recording carries the JDK's jdk.Compilation, jdk.Deoptimization,
# jdk.ClassDefine and jdk.ClassLoad events beside the CPU samples; qa45's JVM flags, all 7 JVMs at once.
#   bench/qa73-jit.sh record OUT CP [INTERVAL [WARM_S LEN_S BATCH PODS]]
#     b1 b2 b3  warm baseline pods (base, seeds 1-3): WARM_S (360) unrecorded, then one recording of LEN_S (270)
#     aa        a warm A/A canary (base, seed 5), started and recorded as the baseline pods
#     young     an unchanged canary (base, seed 6) started WARM_S after the baseline pods, recorded from its start
#     deopt     variant deopt (seed 7): a MutableCallSite re-pointed per request, started as young
#     classes   variant classes (seed 8): a new hidden class per request, started as young
#   Each pod writes OUT/raw/<pod>/slice-1.jfr (one LEN_S recording; compare cuts it with --slice 10s).
#   INTERVAL: the CPU sampling interval (default 10ms; a longer one keeps the recordings small). BATCH: messages per
#   request (100). PODS: the warm pods (default "b1 b2 b3 aa").
# CP: the test class path (bench/test-classpath.sh). Rate 20 requests/s.
set -euo pipefail
cmd=$1 out=$2
here=$(cd "$(dirname "$0")" && pwd)
flags=(-XX:+UnlockDiagnosticVMOptions -XX:+DebugNonSafepoints -XX:+UseG1GC -Xms128m -Xmx128m)
if [ "$cmd" = record ]; then
  cp=$3 interval=${4:-10ms} warm=${5:-360} len=${6:-270} batch=${7:-100} pods=${8:-b1 b2 b3 aa}
  mkdir -p "$out/raw"
  pod() { # name variant seed warmupMillis
    nice java "${flags[@]}" -cp "$cp" io.canaryjudge.qa45.RoutingPod output="$out/raw/$1" variant="$2" seed="$3" \
        slices=1 sliceMillis=$((len * 1000)) warmupMillis="$4" rate=20 batch="$batch" \
        profiler="event=itimer,interval=$interval,jfrsync=$here/qa73-jit.jfc" > "$out/$1.log" 2>&1 &
  }
  for p in $pods; do
    case $p in b1) s=1;; b2) s=2;; b3) s=3;; aa) s=5;; esac
    pod "$p" base "$s" $((warm * 1000))
  done
  sleep "$warm"
  pod young base 6 0; pod deopt deopt 7 0; pod classes classes 8 0
  wait
else
  echo "usage: $0 record OUT CP [INTERVAL]" >&2; exit 64
fi
