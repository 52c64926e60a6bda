#!/usr/bin/env bash
# qa63: memory-scenario pods (io.canaryjudge.memory.MemoryPod) as bench/qa57-record.sh records them, with leaks on
# Parallel and on ZGC (JDK 17, single-generation), an unchanged and a leaking canary on generational ZGC (JDK 25, where
# it is ZGC's only mode) and an unchanged G1 canary that runs System.gc() every 4 minutes (a full collection the
# baseline pods never have). Each JVM also keeps a JDK Flight Recording (settings=default: jdk.GCHeapSummary,
# jdk.GCConfiguration, jdk.GCHeapConfiguration) as OUT/POD/jdk.jfr. Scraped every 10 s by a real Prometheus whose data
# stays in OUT/prometheus-data.
# Usage: bench/qa63-record.sh OUT MINUTES CLASSPATH_FILE [PROM_PORT [FIRST_POD_PORT]]
#   POD list: name:variant:jvm, in QA63_PODS or the default. JDK 25 from $JDK25 (/usr/lib/jvm/temurin-25-jdk-amd64).
set -euo pipefail
out=$1; minutes=$2; cp=$(cat "$3"); prom_port=${4:-22100}; port=${5:-22110}
jdk25=${JDK25:-/usr/lib/jvm/temurin-25-jdk-amd64}
pods=${QA63_PODS:-"baseline-1:stable:g1 baseline-2:stable:g1 baseline-3:stable:g1 leak-parallel:leak-sessions:parallel
  leak-zgc:leak-sessions:zgc aa-genzgc:stable:genzgc leak-genzgc:leak-sessions:genzgc aa-fullgc:stable:g1-fullgc"}
common="-Xss512k -XX:ReservedCodeCacheSize=64m -XX:+UnlockDiagnosticVMOptions -XX:+DebugNonSafepoints"
jvm_flags() {
  case $1 in
    g1) echo "-XX:ActiveProcessorCount=1 -XX:+UseG1GC -Xms256m -Xmx256m" ;;       # the baseline, as qa57 recorded
    parallel) echo "-XX:ActiveProcessorCount=1 -XX:+UseParallelGC -Xms256m -Xmx256m" ;;
    zgc|genzgc) echo "-XX:ActiveProcessorCount=1 -XX:+UseZGC -Xms256m -Xmx256m" ;;  # genzgc: the same flags on JDK 25
    g1x512) echo "-XX:ActiveProcessorCount=1 -XX:+UseG1GC -Xms512m -Xmx512m" ;;   # heap sizes for the naming test
    parallel128) echo "-XX:ActiveProcessorCount=1 -XX:+UseParallelGC -Xms128m -Xmx128m" ;;
    g1-fullgc) echo "-XX:ActiveProcessorCount=1 -XX:+UseG1GC -Xms256m -Xmx256m -Dorders.systemGcEvery=240" ;;
    *) echo "unknown jvm $1" >&2; exit 2 ;;
  esac
}
java_of() { [[ $1 == genzgc ]] && echo "$jdk25/bin/java" || echo java; }
mkdir -p "$out/prometheus-data"
{
  echo "global: {scrape_interval: 10s, evaluation_interval: 10s}"
  echo "scrape_configs:"
  echo "  - job_name: orders"
  echo "    metrics_path: /metrics"
  echo "    static_configs:"
  p=$port
  for spec in $pods; do
    IFS=: read -r name variant jvm <<<"$spec"
    track=canary; [[ $name == baseline-* ]] && track=baseline
    echo "      - targets: ['127.0.0.1:$p']"
    echo "        labels: {app: orders, pod: '$name', track: '$track', scenario: '$name', jvm: '$jvm'}"
    p=$((p + 1))
  done
} > "$out/prometheus.yml"
nice -n 5 prometheus --config.file="$out/prometheus.yml" --storage.tsdb.path="$out/prometheus-data" \
  --web.listen-address=127.0.0.1:$prom_port --storage.tsdb.retention.time=30d > "$out/prometheus.log" 2>&1 &
echo $! > "$out/prometheus.pid"
seed=1; p=$port; pids=()
for spec in $pods; do
  IFS=: read -r name variant jvm <<<"$spec"
  mkdir -p "$out/$name"
  echo "$(jvm_flags "$jvm") $common" > "$out/$name/jvm-flags.txt"
  "$(java_of "$jvm")" -version 2>&1 | head -1 > "$out/$name/java-version.txt"
  # shellcheck disable=SC2046
  nice -n 5 "$(java_of "$jvm")" $(jvm_flags "$jvm") $common -Xlog:gc:file="$out/$name/gc.log":uptime,time \
    -XX:StartFlightRecording=settings=default,filename="$out/$name/jdk.jfr",dumponexit=true -cp "$cp" \
    io.canaryjudge.memory.MemoryPod "$variant" "$out/$name" "$p" "$minutes" "$seed" 65536 > "$out/$name/pod.log" 2>&1 &
  pids+=($!); echo "$name $!" >> "$out/pods.pid"
  seed=$((seed + 1)); p=$((p + 1))
done
date -u +%s000 > "$out/start_ms"
for pid in "${pids[@]}"; do wait "$pid" || true; done
date -u +%s000 > "$out/end_ms"
sleep 20
echo "pods done; Prometheus still runs (pid $(cat "$out/prometheus.pid")) on 127.0.0.1:$prom_port"
