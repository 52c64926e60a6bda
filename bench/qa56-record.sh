#!/usr/bin/env bash
# qa56: memory-scenario pods (io.canaryjudge.memory.MemoryPod, the order service of RecordMemoryScenarios) at other
# loads than their baseline pods, all started together and scraped every 10 s by a real Prometheus whose data stays
# in OUT/prometheus-data (restart it on that folder to query the recording again).
# Usage: bench/qa56-record.sh OUT MINUTES CLASSPATH_FILE [PROM_PORT [FIRST_POD_PORT]]
#   POD list: name:variant:load (load 1 = 25 requests/s, MemoryPod's -Dorders.load), in QA56_PODS or the default.
# Flags are RecordMemoryScenarios.JVM_FLAGS (plain recording); live objects alloc=64k,live, one JFR a minute.
set -euo pipefail
out=$1; minutes=$2; cp=$(cat "$3"); prom_port=${4:-21500}; port=${5:-21510}
pods=${QA56_PODS:-"baseline-1:stable:1 baseline-2:stable:1 baseline-3:stable:1 aa-10a:stable:0.1 aa-10b:stable:0.1
  aa-200a:stable:2 aa-200b:stable:2 leak-10a:leak-sessions:0.1 leak-10b:leak-sessions:0.1 leak-25:leak-sessions:0.25
  leak-200:leak-sessions:2 cache-10:slow-cache:0.1 cache-200:slow-cache:2"}
flags="-XX:ActiveProcessorCount=1 -XX:+UseG1GC -Xms256m -Xmx256m -Xss512k -XX:ReservedCodeCacheSize=64m
  -XX:+UnlockDiagnosticVMOptions -XX:+DebugNonSafepoints"
mkdir -p "$out/prometheus-data"
{
  echo "global: {scrape_interval: 10s, evaluation_interval: 10s}"
  echo "scrape_configs:"
  echo "  - job_name: orders"
  echo "    metrics_path: /metrics"
  echo "    static_configs:"
  p=$port
  for spec in $pods; do
    IFS=: read -r name variant load <<<"$spec"
    track=canary; [[ $name == baseline-* ]] && track=baseline
    echo "      - targets: ['127.0.0.1:$p']"
    echo "        labels: {app: orders, pod: '$name', track: '$track', scenario: '${name%[ab]}', load: '$load'}"
    p=$((p + 1))
  done
} > "$out/prometheus.yml"
nice -n 5 prometheus --config.file="$out/prometheus.yml" --storage.tsdb.path="$out/prometheus-data" \
  --web.listen-address=127.0.0.1:$prom_port --storage.tsdb.retention.time=30d > "$out/prometheus.log" 2>&1 &
echo $! > "$out/prometheus.pid"
seed=1; p=$port; pids=()
for spec in $pods; do
  IFS=: read -r name variant load <<<"$spec"
  mkdir -p "$out/$name"
  # shellcheck disable=SC2086
  nice -n 5 java $flags -Dorders.load="$load" -cp "$cp" io.canaryjudge.memory.MemoryPod "$variant" "$out/$name" \
    "$p" "$minutes" "$seed" 65536 > "$out/$name/pod.log" 2>&1 &
  pids+=($!); echo "$name $!" >> "$out/pods.pid"
  seed=$((seed + 1)); p=$((p + 1))
done
date -u +%s000 > "$out/start_ms"
for pid in "${pids[@]}"; do wait "$pid" || true; done
date -u +%s000 > "$out/end_ms"
sleep 20
echo "pods done; Prometheus still runs (pid $(cat "$out/prometheus.pid")) on 127.0.0.1:$prom_port"
