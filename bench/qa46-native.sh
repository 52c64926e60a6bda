#!/usr/bin/env bash
# Native memory growth (qa46): io.canaryjudge.memory.MemoryPod pods (test sources; Micrometer's Prometheus endpoint with
# JvmMemoryMetrics, JvmThreadMetrics, ClassLoaderMetrics and the process's resident size as process_resident_memory_bytes
# from /proc/self/status VmRSS; async-profiler 4.2 alloc,live plus nativemem in one-minute JFR recordings) scraped every
# 10 s by a real Prometheus, then every pod's raw series exported as CSV (docs/EVALUATION.md "Native memory growth (qa46)").
#   bench/qa46-native.sh record OUT CP [MINUTES]   4 batches of 2 JVMs side by side (MINUTES each, default 14):
#        1: b1 b2 (stable)   2: b3 (stable), leak-native-1   3: heap-fill-1 (slow-cache, -Xms32m -Xmx256m), aa-1 (stable)
#        4: leak-native-2, bigger-nonheap-1
#        Prometheus listens on 127.0.0.1:20600, the pods on 20610-20617.
# CP: the test class path (bench/test-classpath.sh).
set -euo pipefail
. "$(dirname "$0")/prometheus-scrape.sh"
cmd=$1 out=$2
if [ "$cmd" = record ]; then
  cp=$3 minutes=${4:-14}
  mkdir -p "$out/prometheus-data"
  batches=("b1:stable b2:stable" "b3:stable leak-native-1:leak-native" "heap-fill-1:slow-cache aa-1:stable"
           "leak-native-2:leak-native bigger-nonheap-1:bigger-nonheap")
  scrape_config 20610 ${batches[*]} > "$out/prometheus.yml"
  start_prometheus "$out" 20600
  start=$(date +%s)
  port=20610
  for batch in "${batches[@]}"; do
    pids=()
    for spec in $batch; do
      name=${spec%%:*}; variant=${spec#*:}
      heap="-Xms128m -Xmx128m"; [ "$name" = heap-fill-1 ] && heap="-Xms32m -Xmx256m"
      # nativemem=65536: a malloc sample per 64 KiB allocated; every free is recorded
      nice -n 5 java -XX:ActiveProcessorCount=1 -XX:+UseG1GC $heap -Xss512k -XX:ReservedCodeCacheSize=64m \
        -XX:+UnlockDiagnosticVMOptions -XX:+DebugNonSafepoints -cp "$cp" io.canaryjudge.memory.MemoryPod \
        "$variant" "$out/$name" $port "$minutes" $port 65536 65536 > "$out/$name.log" 2>&1 &
      pids+=($!); port=$((port + 1))
    done
    echo "${pids[*]}" > "$out/pods.pid"
    for p in "${pids[@]}"; do wait "$p"; done
  done
  sleep 20
  end=$(date +%s)
  for dir in "$out"/*/; do
    name=$(basename "$dir"); [ "$name" = prometheus-data ] && continue
    echo "timestamp_ms,metric,id,value" > "$dir/prometheus-raw.csv"
    export_series 20600 "$start" "$end" "$dir/prometheus-raw.csv" "$POOL_ID" \
      "jvm_memory_used_bytes{pod=\"$name\"}" "jvm_memory_committed_bytes{pod=\"$name\"}" \
      "jvm_gc_live_data_size_bytes{pod=\"$name\"}" "jvm_buffer_memory_used_bytes{pod=\"$name\"}" \
      "jvm_buffer_total_capacity_bytes{pod=\"$name\"}" "jvm_threads_live_threads{pod=\"$name\"}" \
      "process_resident_memory_bytes{pod=\"$name\"}" \
      "process_start_time_seconds{pod=\"$name\"}" "http_server_requests_seconds_count{pod=\"$name\"}"
  done
  kill "$prom"; wait "$prom" || true
else
  echo "usage: $0 record OUT CP [MINUTES]" >&2; exit 64
fi
