#!/usr/bin/env bash
# Memory outside the heap from recordings (qa44): the qa40 pods (io.canaryjudge.memory.MemoryPod, test sources)
# with the JDK's own JFR on, holding only bench/qa44-areas.jfc's events (jdk.MetaspaceSummary at every GC,
# jdk.JavaThreadStatistics and jdk.DirectBufferStatistics every 10 s, jdk.GCHeapSummary, jdk.JVMInformation),
# one recording per JVM (POD/jdk.jfr). The pods' own async-profiler recordings (live/minute-NNN.jfr, no jfrsync)
# hold none of these events: they are the "recordings without the events" case.
#   bench/qa44-nonheap-jfr.sh record OUT CP [MINUTES]   3 batches of 3 JVMs (MINUTES each, default 13: the check needs 10 min of points per pod):
#        b1 b2 b3 (stable) | aa-1 (stable), leak-classes-1, leak-direct-1 | leak-threads-1, bigger-nonheap-1, aa-2
#        pods listen on 20410-20418 (their /metrics is not scraped here).
# CP: the test class path (bench/test-classpath.sh).
set -euo pipefail
cmd=$1 out=$2
here=$(cd "$(dirname "$0")" && pwd)
if [ "$cmd" = record ]; then
  cp=$3 minutes=${4:-13}
  mkdir -p "$out"
  port=20410
  for batch in "b1:stable b2:stable b3:stable" "aa-1:stable leak-classes-1:leak-classes leak-direct-1:leak-direct" \
      "leak-threads-1:leak-threads bigger-nonheap-1:bigger-nonheap aa-2:stable"; do
    pids=()
    for spec in $batch; do
      name=${spec%%:*}; variant=${spec#*:}
      mkdir -p "$out/$name"
      nice -n 5 java -XX:ActiveProcessorCount=1 -XX:+UseG1GC -Xms128m -Xmx128m -Xss512k -XX:ReservedCodeCacheSize=64m \
        -XX:StartFlightRecording=settings="$here/qa44-areas.jfc",filename="$out/$name/jdk.jfr",dumponexit=true \
        -XX:+UnlockDiagnosticVMOptions -XX:+DebugNonSafepoints -cp "$cp" io.canaryjudge.memory.MemoryPod \
        "$variant" "$out/$name" $port "$minutes" $port 65536 > "$out/$name.log" 2>&1 &
      pids+=($!); port=$((port + 1))
    done
    for p in "${pids[@]}"; do wait "$p"; done
  done
else
  echo "usage: $0 record OUT CP [MINUTES]" >&2; exit 64
fi
