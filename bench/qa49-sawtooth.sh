#!/usr/bin/env bash
# Saw-tooth heaps in 15 minutes (qa49): three io.canaryjudge.memory.MemoryPod JVMs side by side (test sources) in the
# saw-tooth setting of RecordMemoryScenarios (G1, 128 MiB heap, each request's ~1 KiB receipt kept 240 s: promoted and
# collected by marking cycles and mixed collections every few minutes), async-profiler 4.2 alloc=64k,live in one-minute
# JFR recordings, Micrometer's endpoint scraped every 10 s by a real Prometheus; afterwards every pod's raw series
# (heap pools, live data size, start, requests) as CSV beside the pod's gc.csv (old generation after every collection)
# (docs/EVALUATION.md "Saw-tooth heaps in 15 minutes (qa49)").
#   bench/qa49-sawtooth.sh record OUT CP [MINUTES]   b1, b2 (stable) and leak-sessions-1, MINUTES each (default 22)
#        Prometheus listens on 127.0.0.1:20900, the pods on 20910-20912.
# CP: the test class path (bench/test-classpath.sh).
set -euo pipefail
. "$(dirname "$0")/prometheus-scrape.sh"
cmd=$1 out=$2
if [ "$cmd" = record ]; then
  cp=$3 minutes=${4:-22}
  mkdir -p "$out/prometheus-data"
  pods=("b1:stable" "b2:stable" "leak-sessions-1:leak-sessions")
  scrape_config 20910 "${pods[@]}" > "$out/prometheus.yml"
  start_prometheus "$out" 20900
  trap 'kill "$prom" 2>/dev/null || true' EXIT # a pod that fails to start must not leave Prometheus running
  start=$(date +%s)
  port=20910 seed=1 pids=()
  for spec in "${pods[@]}"; do
    name=${spec%%:*}; variant=${spec#*:}
    nice -n 5 java -XX:ActiveProcessorCount=1 -XX:+UseG1GC -Xms128m -Xmx128m -Xss512k -XX:ReservedCodeCacheSize=64m \
      -XX:+UnlockDiagnosticVMOptions -XX:+DebugNonSafepoints -Dorders.receiptSeconds=240 -cp "$cp" \
      io.canaryjudge.memory.MemoryPod "$variant" "$out/$name" $port "$minutes" $((seed + 100)) 65536 > "$out/$name.log" 2>&1 &
    pids+=($!); port=$((port + 1)); seed=$((seed + 1))
  done
  echo "${pids[*]}" > "$out/pods.pid"
  for p in "${pids[@]}"; do wait "$p"; done
  sleep 20
  end=$(date +%s)
  for spec in "${pods[@]}"; do
    name=${spec%%:*}; dir=$out/$name
    echo "timestamp_ms,metric,id,value" > "$dir/prometheus-raw.csv"
    export_series 20900 "$start" "$end" "$dir/prometheus-raw.csv" "$POOL_ID" \
      "jvm_memory_used_bytes{pod=\"$name\",area=\"heap\"}" "jvm_gc_live_data_size_bytes{pod=\"$name\"}" \
      "process_start_time_seconds{pod=\"$name\"}" "http_server_requests_seconds_count{pod=\"$name\"}"
  done
else
  echo "usage: $0 record OUT CP [MINUTES]" >&2; exit 64
fi
