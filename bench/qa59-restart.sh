#!/usr/bin/env bash
# A JVM that restarts under the same instance label, under the OpenTelemetry Java agent (qa59): io.canaryjudge.memory.MemoryPod
# pods (test sources), each under the agent's Prometheus exporter beside its own Micrometer endpoint, scraped every 10 s
# by a real Prometheus. Pod r1 runs FIRST minutes, stops, and starts again GAP seconds later on the same ports (as a
# container restarted in its pod keeps its pod's labels and address) for SECOND minutes; pod s1 runs throughout. Every
# series of the families the judge asks is written per pod as OUT/POD/series.csv (the format of bench/qa54-agents.sh),
# the JVM starts as OUT/POD/starts.txt (epoch ms, one line per JVM).
#   bench/qa59-restart.sh OUT CP [FIRST] [SECOND] [GAP]   Prometheus 127.0.0.1:21800; Micrometer 21810+i, agent 21820+i
# CP: the test class path (bench/test-classpath.sh). The agent from the local Maven repository:
#   io.opentelemetry.javaagent:opentelemetry-javaagent:$OTEL (2.22.0), as bench/qa54-agents.sh.
set -euo pipefail
out=$1 cp=$2 first=${3:-5} second=${4:-6} gap=${5:-20}
OTEL=${OTEL:-2.22.0}
repo=${M2:-$HOME/.m2/repository}
otel_jar=$repo/io/opentelemetry/javaagent/opentelemetry-javaagent/$OTEL/opentelemetry-javaagent-$OTEL.jar
mkdir -p "$out/prometheus-data"
{
  printf 'global: {scrape_interval: 10s, evaluation_interval: 10s}\nscrape_configs:\n'
  for job in micrometer:21810 otel:21820; do
    printf '  - job_name: %s\n    static_configs:\n' "${job%%:*}"
    i=0
    for name in s1 r1; do
      track=canary; [ $name = s1 ] && track=baseline
      printf "      - targets: ['127.0.0.1:%d']\n        labels: {app: orders, pod: '%s', track: '%s'}\n" \
        $((${job#*:} + i)) "$name" $track
      i=$((i + 1))
    done
  done
} > "$out/prometheus.yml"
nice prometheus --config.file="$out/prometheus.yml" --storage.tsdb.path="$out/prometheus-data" \
  --web.listen-address=127.0.0.1:21800 > "$out/prometheus.log" 2>&1 &
prom=$!
pod() { # NAME I MINUTES RUN
  local name=$1 i=$2 minutes=$3 run=$4
  mkdir -p "$out/$name"
  date +%s%3N >> "$out/$name/starts.txt"
  nice -n 5 java -XX:ActiveProcessorCount=1 -XX:+UseG1GC -Xms128m -Xmx128m -Xss512k \
    -javaagent:"$otel_jar" -Dotel.service.name=orders -Dotel.metrics.exporter=prometheus \
    -Dotel.exporter.prometheus.host=127.0.0.1 -Dotel.exporter.prometheus.port=$((21820 + i)) \
    -Dotel.traces.exporter=none -Dotel.logs.exporter=none \
    -cp "$cp" io.canaryjudge.memory.MemoryPod stable "$out/$name/run$run" $((21810 + i)) "$minutes" $((21810 + i)) 65536 \
    > "$out/$name/run$run.log" 2>&1
}
start=$(date +%s)
pod s1 0 $((first + second + 1)) 1 &
s1=$!
pod r1 1 "$first" 1
sleep "$gap"
pod r1 1 "$second" 2
wait "$s1"
sleep 20
for dir in "$out"/s1 "$out"/r1; do
  name=$(basename "$dir")
  echo "timestamp_ms,job,metric,labels,value" > "$dir/series.csv"
  curl -sG "http://127.0.0.1:21800/api/v1/query_range" \
    --data-urlencode "query={pod=\"$name\",__name__=~\"(jvm|process|http_server|target)_.*\"}" \
    --data-urlencode "start=$start" --data-urlencode "end=$(date +%s)" --data-urlencode step=10 |
    jq -r '.data.result[] | .metric as $m | ($m | del(.__name__, .job, .instance, .app, .pod, .track)
           | to_entries | map("\(.key)=\(.value)") | join(";")) as $l
           | .values[] | "\((.[0] * 1000) | floor),\($m.job),\($m.__name__),\($l | gsub(",";" ")),\(.[1])"' \
    >> "$dir/series.csv"
done
kill "$prom"; wait "$prom" || true
