#!/usr/bin/env bash
# qa57: memory-scenario pods (io.canaryjudge.memory.MemoryPod, the order service of RecordMemoryScenarios) whose JVM
# differs from their baseline pods' (collector picked by ergonomics on 1 CPU, another collector, another -Xmx), all
# started together and scraped every 10 s by a real Prometheus whose data stays in OUT/prometheus-data.
# Usage: bench/qa57-record.sh OUT MINUTES CLASSPATH_FILE [PROM_PORT [FIRST_POD_PORT]]
#   POD list: name:variant:jvm (jvm one of the keys below), in QA57_PODS or the default.
# Common flags are RecordMemoryScenarios.JVM_FLAGS less the collector and heap; live objects alloc=64k,live.
set -euo pipefail
out=$1; minutes=$2; cp=$(cat "$3"); prom_port=${4:-21700}; port=${5:-21710}
pods=${QA57_PODS:-"baseline-1:stable:g1 baseline-2:stable:g1 baseline-3:stable:g1 aa-serial:stable:serial
  aa-serial-b:stable:serial aa-parallel:stable:parallel aa-half:stable:half aa-double:stable:double aa-zgc:stable:zgc
  leak-serial:leak-sessions:serial leak-half:leak-sessions:half"}
common="-Xss512k -XX:ReservedCodeCacheSize=64m -XX:+UnlockDiagnosticVMOptions -XX:+DebugNonSafepoints"
jvm_flags() {
  case $1 in
    g1) echo "-XX:ActiveProcessorCount=1 -XX:+UseG1GC -Xms256m -Xmx256m" ;;       # the baseline, as recorded
    serial) echo "-XX:ActiveProcessorCount=1 -Xms256m -Xmx256m" ;;               # 1 CPU: SerialGC by ergonomics
    parallel) echo "-XX:ActiveProcessorCount=1 -XX:+UseParallelGC -Xms256m -Xmx256m" ;;
    zgc) echo "-XX:ActiveProcessorCount=1 -XX:+UseZGC -Xms256m -Xmx256m" ;;
    half) echo "-XX:ActiveProcessorCount=1 -XX:+UseG1GC -Xms128m -Xmx128m" ;;
    double) echo "-XX:ActiveProcessorCount=1 -XX:+UseG1GC -Xms512m -Xmx512m" ;;
    *) echo "unknown jvm $1" >&2; exit 2 ;;
  esac
}
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
  # shellcheck disable=SC2046
  nice -n 5 java $(jvm_flags "$jvm") $common -Xlog:gc:file="$out/$name/gc.log":uptime,time -cp "$cp" \
    io.canaryjudge.memory.MemoryPod "$variant" "$out/$name" "$p" "$minutes" "$seed" 65536 > "$out/$name/pod.log" 2>&1 &
  pids+=($!); echo "$name $!" >> "$out/pods.pid"
  seed=$((seed + 1)); p=$((p + 1))
done
date -u +%s000 > "$out/start_ms"
for pid in "${pids[@]}"; do wait "$pid" || true; done
date -u +%s000 > "$out/end_ms"
sleep 20
echo "pods done; Prometheus still runs (pid $(cat "$out/prometheus.pid")) on 127.0.0.1:$prom_port"
