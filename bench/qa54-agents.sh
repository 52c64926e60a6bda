#!/usr/bin/env bash
# The OpenTelemetry Java agent and the Prometheus JMX exporter as they really export (qa54): io.canaryjudge.memory.MemoryPod
# pods (test sources; the memory scenarios' order service, Micrometer's endpoint kept as the reference) each run under
# BOTH javaagents, each agent on its own port, all three endpoints scraped every 10 s by a real Prometheus; then every
# series of the families the judge asks exported as CSV per pod (docs/EVALUATION.md "The OpenTelemetry agent and the JMX
# exporter (qa54)"). Optionally PricingPod (Reactor Netty, which the OpenTelemetry agent instruments) for the HTTP
# request series.
#   bench/qa54-agents.sh memory OUT CP [MINUTES] [GC]   pods b1 b2 b3 aa-1 (stable), leak-sessions-1, leak-threads-1,
#        MINUTES each (default 16), GC a JVM flag (default -XX:+UseG1GC). Prometheus 127.0.0.1:21400; pod i: Micrometer
#        21410+i, OpenTelemetry agent 21420+i, JMX exporter 21430+i.
#   bench/qa54-agents.sh http OUT CP [SECONDS]          PricingPod b1 b2 (none) and slow-1 (handler x1.8) under the
#        OpenTelemetry agent with PricingLoad at 100 requests/s a pod; Prometheus 127.0.0.1:21401, pods 21440-21442,
#        agents 21443-21445.
# CP: the test class path (bench/test-classpath.sh). Agents from the local Maven repository:
#   io.opentelemetry.javaagent:opentelemetry-javaagent:$OTEL (2.22.0), io.prometheus.jmx:jmx_prometheus_javaagent:$JMX (1.0.1)
set -euo pipefail
cmd=$1 out=$2 cp=$3
OTEL=${OTEL:-2.22.0} JMX=${JMX:-1.0.1}
repo=${M2:-$HOME/.m2/repository}
otel_jar=$repo/io/opentelemetry/javaagent/opentelemetry-javaagent/$OTEL/opentelemetry-javaagent-$OTEL.jar
jmx_jar=$repo/io/prometheus/jmx/jmx_prometheus_javaagent/$JMX/jmx_prometheus_javaagent-$JMX.jar
mkdir -p "$out"
otel() { # PORT: the agent's Prometheus exporter on PORT, no traces or logs sent anywhere
  echo "-javaagent:$otel_jar -Dotel.service.name=orders -Dotel.metrics.exporter=prometheus" \
       "-Dotel.exporter.prometheus.host=127.0.0.1 -Dotel.exporter.prometheus.port=$1 -Dotel.traces.exporter=none" \
       "-Dotel.logs.exporter=none"
}
export_series() { # PROMPORT START END: every pod's raw series of the families the judge asks, OUT/POD/series.csv
  local prom=$1 start=$2 end=$3
  for dir in "$out"/*/; do
    name=$(basename "$dir"); [ "$name" = prometheus-data ] && continue
    echo "timestamp_ms,job,metric,labels,value" > "$dir/series.csv"
    curl -sG "http://127.0.0.1:$prom/api/v1/query_range" \
      --data-urlencode "query={pod=\"$name\",__name__=~\"(jvm|process|http_server|target)_.*\"}" \
      --data-urlencode "start=$start" --data-urlencode "end=$end" --data-urlencode step=10 |
      jq -r '.data.result[] | .metric as $m | ($m | del(.__name__, .job, .instance, .app, .pod, .track)
             | to_entries | map("\(.key)=\(.value)") | join(";")) as $l
             | .values[] | "\((.[0] * 1000) | floor),\($m.job),\($m.__name__),\($l | gsub(",";" ")),\(.[1])"' \
      >> "$dir/series.csv"
  done
}
if [ "$cmd" = memory ]; then
  minutes=${4:-16} gc=${5:--XX:+UseG1GC}
  pods="b1:stable b2:stable b3:stable aa-1:stable leak-sessions-1:leak-sessions leak-threads-1:leak-threads"
  printf 'lowercaseOutputName: false\n' > "$out/jmx.yaml"
  mkdir -p "$out/prometheus-data"
  {
    printf 'global: {scrape_interval: 10s, evaluation_interval: 10s}\nscrape_configs:\n'
    for job in micrometer:21410 otel:21420 jmx:21430; do
      printf '  - job_name: %s\n    static_configs:\n' "${job%%:*}"
      i=0
      for spec in $pods; do
        name=${spec%%:*}; track=canary; case $name in b[0-9]) track=baseline;; esac
        printf "      - targets: ['127.0.0.1:%d']\n        labels: {app: orders, pod: '%s', track: '%s'}\n" \
          $((${job#*:} + i)) "$name" $track
        i=$((i + 1))
      done
    done
  } > "$out/prometheus.yml"
  nice prometheus --config.file="$out/prometheus.yml" --storage.tsdb.path="$out/prometheus-data" \
    --web.listen-address=127.0.0.1:21400 > "$out/prometheus.log" 2>&1 &
  prom=$!
  start=$(date +%s)
  pids=() i=0
  for spec in $pods; do
    name=${spec%%:*}; variant=${spec#*:}
    # shellcheck disable=SC2046
    nice -n 5 java -XX:ActiveProcessorCount=1 "$gc" -Xms128m -Xmx128m -Xss512k -XX:ReservedCodeCacheSize=64m \
      -XX:+UnlockDiagnosticVMOptions -XX:+DebugNonSafepoints $(otel $((21420 + i))) \
      "-javaagent:$jmx_jar=127.0.0.1:$((21430 + i)):$out/jmx.yaml" -cp "$cp" io.canaryjudge.memory.MemoryPod \
      "$variant" "$out/$name" $((21410 + i)) "$minutes" $((21410 + i)) 65536 > "$out/$name.log" 2>&1 &
    pids+=($!); i=$((i + 1))
  done
  sleep 60
  curl -s "http://127.0.0.1:21410/metrics" > "$out/endpoint-micrometer.txt" || true
  curl -s "http://127.0.0.1:21420/metrics" > "$out/endpoint-otel.txt" || true
  curl -s "http://127.0.0.1:21430/metrics" > "$out/endpoint-jmx.txt" || true
  for p in "${pids[@]}"; do wait "$p"; done
  sleep 20
  export_series 21400 "$start" "$(date +%s)"
  kill "$prom"; wait "$prom" || true
elif [ "$cmd" = http ]; then
  seconds=${4:-300}
  mkdir -p "$out/prometheus-data"
  {
    printf 'global: {scrape_interval: 10s, evaluation_interval: 10s}\nscrape_configs:\n  - job_name: otel\n    static_configs:\n'
    i=0
    for name in b1 b2 slow-1; do
      track=canary; case $name in b[0-9]) track=baseline;; esac
      printf "      - targets: ['127.0.0.1:%d']\n        labels: {app: pricing, pod: '%s', track: '%s'}\n" \
        $((21443 + i)) "$name" $track
      i=$((i + 1))
    done
  } > "$out/prometheus.yml"
  nice prometheus --config.file="$out/prometheus.yml" --storage.tsdb.path="$out/prometheus-data" \
    --web.listen-address=127.0.0.1:21401 > "$out/prometheus.log" 2>&1 &
  prom=$!
  start=$(date +%s)
  pids=() i=0
  for spec in b1:none b2:none slow-1:handler; do
    name=${spec%%:*}; change=${spec#*:}
    date +%s%3N > "$out/$name.launch_ms"  # the JVM's start, to compare with its first scrape
    # shellcheck disable=SC2046
    nice java -XX:+UseG1GC -Xms128m -Xmx128m $(otel $((21443 + i))) -cp "$cp" io.canaryjudge.qa53.PricingPod \
      output="$out/$name" port=$((21440 + i)) change=$change factor=1.8 slices=1 sliceMillis=1000 \
      warmupMillis=$((seconds * 1000)) profiler=event=itimer > "$out/$name.log" 2>&1 &
    pids+=($!); i=$((i + 1))
  done
  sleep 15
  nice java -Xmx96m -XX:TieredStopAtLevel=1 -cp "$cp" io.canaryjudge.qa53.PricingLoad ports=21440,21441,21442 \
    rate=100 seconds="$seconds" > "$out/load.log" 2>&1 &
  load=$!
  sleep 60
  curl -s "http://127.0.0.1:21443/metrics" > "$out/endpoint-otel.txt" || true
  for p in "${pids[@]}"; do wait "$p" || true; done
  kill "$load" 2>/dev/null || true; wait "$load" 2>/dev/null || true
  sleep 20
  export_series 21401 "$start" "$(date +%s)"
  kill "$prom"; wait "$prom" || true
else
  echo "usage: $0 memory|http OUT CP ..." >&2; exit 64
fi
