#!/usr/bin/env bash
# Memory that grows outside the Java heap (qa40): io.canaryjudge.memory.MemoryPod pods (test sources; Micrometer's
# Prometheus endpoint with JvmMemoryMetrics, JvmThreadMetrics, ClassLoaderMetrics; async-profiler alloc,live) scraped
# every 10 s by a real Prometheus, then every pod's raw series exported as CSV (docs/EVALUATION.md "Memory growth").
#   bench/qa40-nonheap.sh record OUT CP [MINUTES]   2 batches of 6 JVMs side by side (MINUTES each, default 14):
#        batch 1: b1 b2 b3 (stable), leak-classes-1, leak-direct-1, leak-threads-1
#        batch 2: aa-1 (stable), bigger-nonheap-1, leak-classes-2, leak-classes-3, leak-direct-2, leak-threads-2
#        Prometheus listens on 127.0.0.1:20000, the pods on 20010-20021.
# CP: the test class path (bench/test-classpath.sh).
set -euo pipefail
. "$(dirname "$0")/prometheus-scrape.sh"
cmd=$1 out=$2
if [ "$cmd" = record ]; then
  cp=$3 minutes=${4:-14}
  mkdir -p "$out/prometheus-data"
  batch1="b1:stable b2:stable b3:stable leak-classes-1:leak-classes leak-direct-1:leak-direct leak-threads-1:leak-threads"
  batch2="aa-1:stable bigger-nonheap-1:bigger-nonheap leak-classes-2:leak-classes leak-classes-3:leak-classes leak-direct-2:leak-direct leak-threads-2:leak-threads"
  scrape_config 20010 $batch1 $batch2 > "$out/prometheus.yml"
  start_prometheus "$out" 20000
  start=$(date +%s)
  port=20010
  for batch in "$batch1" "$batch2"; do
    pids=()
    for spec in $batch; do
      name=${spec%%:*}; variant=${spec#*:}
      nice -n 5 java -XX:ActiveProcessorCount=1 -XX:+UseG1GC -Xms128m -Xmx128m -Xss512k -XX:ReservedCodeCacheSize=64m \
        -XX:+UnlockDiagnosticVMOptions -XX:+DebugNonSafepoints -cp "$cp" io.canaryjudge.memory.MemoryPod \
        "$variant" "$out/$name" $port "$minutes" $port 65536 > "$out/$name.log" 2>&1 &
      pids+=($!); port=$((port + 1))
    done
    for p in "${pids[@]}"; do wait "$p"; done
  done
  sleep 20
  end=$(date +%s)
  # Every pod's raw 10 s series: heap and non-heap pools, buffers, threads, classes, start time, requests.
  for dir in "$out"/*/; do
    name=$(basename "$dir"); [ "$name" = prometheus-data ] && continue
    echo "timestamp_ms,metric,id,value" > "$dir/prometheus-raw.csv"
    export_series 20000 "$start" "$end" "$dir/prometheus-raw.csv" "$POOL_ID" \
      "jvm_memory_used_bytes{pod=\"$name\"}" "jvm_gc_live_data_size_bytes{pod=\"$name\"}" \
      "jvm_buffer_memory_used_bytes{pod=\"$name\"}" "jvm_buffer_count_buffers{pod=\"$name\"}" \
      "jvm_threads_live_threads{pod=\"$name\"}" "jvm_classes_loaded_classes{pod=\"$name\"}" \
      "process_start_time_seconds{pod=\"$name\"}" "http_server_requests_seconds_count{pod=\"$name\"}"
  done
  kill "$prom"; wait "$prom" || true
else
  echo "usage: $0 record OUT CP [MINUTES]" >&2; exit 64
fi
