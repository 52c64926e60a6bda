#!/usr/bin/env bash
# Young saw-tooth canaries, what a 15-minute window holds (qa52): three io.canaryjudge.memory.MemoryPod JVMs side by side
# (test sources) in the saw-tooth setting of RecordMemoryScenarios and bench/qa49-sawtooth.sh (G1, 128 MiB heap, each
# request's ~1 KiB receipt kept 240 s), async-profiler 4.2 alloc=64k,live in one-minute JFR recordings, Micrometer's
# endpoint scraped every 10 s by a real Prometheus. Afterwards every pod's raw series as CSV beside its gc.csv: heap pools,
# live data size, bytes promoted to the old generation (jvm_gc_memory_promoted_bytes_total), bytes allocated, GC pause
# counts by action and cause, start time and requests (docs/EVALUATION.md "Saw-tooth heaps: what the user is told (qa52)").
#   bench/qa52-young.sh record OUT CP MINUTES POD:VARIANT...   e.g. b3:stable leak-sessions-2:leak-sessions bigger-flat-1:bigger-flat
#        Prometheus listens on 127.0.0.1:21200, the pods on 21210 and up. Pods named b<N> are the baseline track.
# CP: the test class path (bench/test-classpath.sh).
set -euo pipefail
. "$(dirname "$0")/prometheus-scrape.sh"
cmd=$1 out=$2
if [ "$cmd" = record ]; then
  cp=$3 minutes=$4
  shift 4
  pods=("$@")
  mkdir -p "$out/prometheus-data"
  scrape_config 21210 "${pods[@]}" > "$out/prometheus.yml"
  start_prometheus "$out" 21200
  trap 'kill "$prom" 2>/dev/null || true' EXIT # a pod that fails to start must not leave Prometheus running
  start=$(date +%s)
  port=21210 seed=11 pids=()
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
    # the GC pauses' id: their action and cause
    export_series 21200 "$start" "$end" "$dir/prometheus-raw.csv" '$m.id // (($m.action // "") + "|" + ($m.cause // ""))' \
      "jvm_memory_used_bytes{pod=\"$name\",area=\"heap\"}" "jvm_gc_live_data_size_bytes{pod=\"$name\"}" \
      "jvm_gc_memory_promoted_bytes_total{pod=\"$name\"}" "jvm_gc_memory_allocated_bytes_total{pod=\"$name\"}" \
      "jvm_gc_pause_seconds_count{pod=\"$name\"}" \
      "process_start_time_seconds{pod=\"$name\"}" "http_server_requests_seconds_count{pod=\"$name\"}"
    gzip -f "$dir/prometheus-raw.csv"
  done
else
  echo "usage: $0 record OUT CP MINUTES POD:VARIANT..." >&2; exit 64
fi
