#!/usr/bin/env bash
# Native leaks on young canaries (qa51): memory pods (io.canaryjudge.memory.MemoryPod, test sources) under async-profiler
# 4.2 alloc=65536,live,nativemem=65536 in one-minute JFR recordings, as bench/qa48-nativemem.sh, but run longer so that
# a pod's last minutes are a warmed baseline and its first minutes (or another pod's) a young canary.
#   bench/qa51-young.sh record OUT CP MINUTES BATCH...   batches of up to 3 JVMs side by side, each BATCH
#        "pod:variant pod:variant ..." (variants: io.canaryjudge.memory.app.MemoryVariant ids); ports from 21110
#        (each pod's /metrics; QA51_PORT sets the first). Recorded for docs/EVALUATION.md "Native leaks on young canaries
#        (qa51)", 3 JVMs at a time, while bench/qa51-scrape.sh /tmp/qa51/scrape 21110 21118 saved every pod's /metrics each 10 s
#        (bench/qa51-areas.py turns that into areas.csv):
#        QA51_PORT=21110 bench/qa51-young.sh record /tmp/qa51/rec "$CP" 11 "s1:stable s2:stable s3:stable"
#        QA51_PORT=21113 bench/qa51-young.sh record /tmp/qa51/rec "$CP" 11 "leak-native-3:leak-native dropped-inflater-1:dropped-inflater s4:stable"
#        QA51_PORT=21116 bench/qa51-young.sh record /tmp/qa51/rec "$CP" 11 "leak-inflater-3:leak-inflater dropped-inflater-2:dropped-inflater s5:stable"
# CP: the test class path (bench/test-classpath.sh), copied aside so that a rebuild does not change it underneath.
set -euo pipefail
cmd=$1 out=$2 cp=$3 minutes=$4
shift 4
mkdir -p "$out"
jvm=(-XX:ActiveProcessorCount=1 -XX:+UseG1GC -Xms128m -Xmx128m -Xss512k -XX:ReservedCodeCacheSize=64m
     -XX:+UnlockDiagnosticVMOptions -XX:+DebugNonSafepoints)
[ "$cmd" = record ] || { echo "usage: $0 record OUT CP MINUTES BATCH..." >&2; exit 64; }
port=${QA51_PORT:-21110}
for batch in "$@"; do
  pids=()
  for spec in $batch; do
    name=${spec%%:*}; variant=${spec#*:}
    nice -n 5 java "${jvm[@]}" -cp "$cp" io.canaryjudge.memory.MemoryPod \
      "$variant" "$out/$name" $port "$minutes" $port 65536 65536 > "$out/$name.log" 2>&1 &
    pids+=($!); port=$((port + 1))
  done
  echo "${pids[*]}" > "$out/pods.pid"
  for p in "${pids[@]}"; do wait "$p"; done
done
