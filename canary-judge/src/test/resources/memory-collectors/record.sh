#!/bin/bash
# How the recordings here were made (qa23, 2026-12-05): one JVM per pod, every collector's pods side by side on a shared
# 2-core machine, 17 minutes, JDK 17 (Serial, Parallel, G1, ZGC) and JDK 25 (generational ZGC), each recording itself
# with the JDK's recorder. Then only the heap events are kept (jfr scrub, JDK 19+) and gzipped.
#   CLASSES=canary-judge/target/test-classes OUT=/tmp/collectors ./record.sh 1020
SECS=${1:-1020}; CLASSES=${CLASSES:-canary-judge/target/test-classes}; OUT=${OUT:-/tmp/collectors}
J17=${J17:-/usr/lib/jvm/java-17-openjdk-amd64/bin/java}; J25=${J25:-/usr/lib/jvm/temurin-25-jdk-amd64/bin/java}
declare -A JAVA=( [serial17]=$J17 [parallel17]=$J17 [g117]=$J17 [z17]=$J17 [zgen25]=$J25 )
declare -A GC=( [serial17]=-XX:+UseSerialGC [parallel17]=-XX:+UseParallelGC [g117]=-XX:+UseG1GC [z17]=-XX:+UseZGC [zgen25]=-XX:+UseZGC )
for gc in serial17 parallel17 g117 z17 zgen25; do
  for pod in base-1 base-2 base-3 aa-1 aa-2 aa-3 leak-1 leak-2 leak-3 cache-1 cache-2 cache-3; do
    mode=${pod%-*}; [ $mode = base -o $mode = aa ] && mode=stable
    d=$OUT/$gc/$pod; mkdir -p $d
    nice -n 10 ${JAVA[$gc]} -XX:ActiveProcessorCount=1 ${GC[$gc]} -Xms128m -Xmx128m -Xss512k -XX:ReservedCodeCacheSize=32m \
      -Dgarbage=3000000 -Dreceipts=250000 -DreceiptMillis=60000 \
      -XX:StartFlightRecording=filename=$d/rec.jfr,settings=default \
      -cp $CLASSES io.canaryjudge.qa23.HeapApp $mode $SECS > $OUT/$gc/$pod.log 2>&1 &
    sleep 0.3
  done
done
wait
# the committed files: generational ZGC's pods and G1's stable ones, heap events only
for gc in zgen25 g117; do
  mkdir -p $OUT/committed/$gc
  for pod in base-1 base-2 base-3 aa-1 aa-2 aa-3 leak-1 leak-2 leak-3; do
    [ $gc = g117 ] && [ ${pod%-*} = leak ] && continue
    ${J25%/java}/jfr scrub --include-events jdk.GCHeapSummary,jdk.GarbageCollection,jdk.JVMInformation \
      $OUT/$gc/$pod/rec.jfr $OUT/committed/$gc/$pod.jfr && gzip -9 -f $OUT/committed/$gc/$pod.jfr
  done
done
