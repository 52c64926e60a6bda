#!/usr/bin/env bash
# Native allocation sites (qa48): memory pods (io.canaryjudge.memory.MemoryPod, test sources) under async-profiler 4.2
# alloc=65536,live,nativemem=65536 in one-minute JFR recordings, no Prometheus (the profiles are what is judged here);
# and async-profiler's cost on the unthrottled request handler (io.canaryjudge.qa48.NativememThroughput).
#   bench/qa48-nativemem.sh record OUT CP [MINUTES [BATCH ...]]   batches of up to 3 JVMs side by side (MINUTES each,
#        default 5), each BATCH "pod:variant pod:variant ..."; by default
#        1: b1 b2 (stable), leak-native-1      2: b3 (stable), leak-inflater-1, churn-native-1
#        (recorded next: 3: aa-1 (stable), leak-native-2, leak-inflater-2)
#        ports from 20810 (each pod's /metrics, unscraped)
#   bench/qa48-nativemem.sh overhead OUT CP [ROUNDS [VARIANT]]  per round, one JVM at a time: none, alloc=65536,live,
#        alloc=65536,live,nativemem=65536, nativemem=65536 (VARIANT, default stable; 15 s warm-up, 30 s measured)
# CP: the test class path (bench/test-classpath.sh), ideally copied aside so that a rebuild does not change it underneath.
set -euo pipefail
cmd=$1 out=$2 cp=$3
mkdir -p "$out"
jvm=(-XX:ActiveProcessorCount=1 -XX:+UseG1GC -Xms128m -Xmx128m -Xss512k -XX:ReservedCodeCacheSize=64m
     -XX:+UnlockDiagnosticVMOptions -XX:+DebugNonSafepoints)
if [ "$cmd" = record ]; then
  minutes=${4:-5}
  batches=("b1:stable b2:stable leak-native-1:leak-native"
           "b3:stable leak-inflater-1:leak-inflater churn-native-1:churn-native")
  [ $# -gt 4 ] && batches=("${@:5}")
  port=20810
  for batch in "${batches[@]}"; do
    pids=()
    for spec in $batch; do
      name=${spec%%:*}; variant=${spec#*:}
      # nativemem=65536: a malloc sample per 64 KiB allocated; every free of a sampled block is recorded
      nice -n 5 java "${jvm[@]}" -cp "$cp" io.canaryjudge.memory.MemoryPod \
        "$variant" "$out/$name" $port "$minutes" $port 65536 65536 > "$out/$name.log" 2>&1 &
      pids+=($!); port=$((port + 1))
    done
    echo "${pids[*]}" > "$out/pods.pid"
    for p in "${pids[@]}"; do wait "$p"; done
  done
elif [ "$cmd" = overhead ]; then
  rounds=${4:-3} variant=${5:-stable}
  for r in $(seq 1 "$rounds"); do
    for opts in none alloc=65536,live alloc=65536,live,nativemem=65536 nativemem=65536; do
      nice -n 5 java "${jvm[@]}" -cp "$cp" io.canaryjudge.qa48.NativememThroughput "$variant" 15 30 "$opts" \
        "$out/overhead-$r.jfr" | tee -a "$out/overhead.txt"
    done
  done
else
  echo "usage: $0 record|overhead OUT CP [MINUTES|ROUNDS]" >&2; exit 64
fi
