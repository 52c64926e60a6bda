#!/usr/bin/env bash
# A JVM that restarts under the same instance label, under the OpenTelemetry Java agent (qa59): io.canaryjudge.memory.MemoryPod
# pods (test sources), each under the agent's Prometheus exporter beside its own Micrometer endpoint, scraped every 10 s
# by a real Prometheus. Pod r1 runs FIRST minutes, stops, and starts again GAP seconds later on the same ports (as a
# container restarted in its pod keeps its pod's labels and address) for SECOND minutes; pod s1 runs throughout. Every
# series of the families the judge asks is written per pod as OUT/POD/series.csv (the format of bench/qa54-agents.sh),
# the JVM starts as OUT/POD/starts.txt (epoch ms, one line per JVM).
#   bench/qa59-restart.sh OUT CP [FIRST] [SECOND] [GAP]   Prometheus 127.0.0.1:21800; Micrometer 21810+i, agent 21820+i
#   (PORT=N moves them to N, N+10+i and N+20+i; the exported series include `up`, which qa63 reads; SLOW_RESTART=N runs
#   the restarted JVM under `cpulimit -l N` (Debian's cpulimit: N % of a CPU, as a container's CPU limit of N/100 cores
#   throttles it), so that it starts slowly, as qa54 saw first scrapes 79-89 s after start on a loaded machine;
#   FIRST_TIMEOUT=S stops the first JVM S seconds after its launch, as a JVM crashing early in a crash loop)
# CP: the test class path (bench/test-classpath.sh). The agent from the local Maven repository:
#   io.opentelemetry.javaagent:opentelemetry-javaagent:$OTEL (2.22.0), as bench/qa54-agents.sh.
set -euo pipefail
out=$1 cp=$2 first=${3:-5} second=${4:-6} gap=${5:-20}
OTEL=${OTEL:-2.22.0}
port=${PORT:-21800}
repo=${M2:-$HOME/.m2/repository}
otel_jar=$repo/io/opentelemetry/javaagent/opentelemetry-javaagent/$OTEL/opentelemetry-javaagent-$OTEL.jar
mkdir -p "$out/prometheus-data"
{
  printf 'global: {scrape_interval: 10s, evaluation_interval: 10s}\nscrape_configs:\n'
  for job in micrometer:$((port + 10)) otel:$((port + 20)); do
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
  --web.listen-address=127.0.0.1:$port > "$out/prometheus.log" 2>&1 &
prom=$!
pod() { # NAME I MINUTES RUN [PREFIX...]
  local name=$1 i=$2 minutes=$3 run=$4; shift 4
  mkdir -p "$out/$name"
  date +%s%3N >> "$out/$name/starts.txt"
  if [ $# -eq 0 ]; then set -- nice -n 5; fi
  "$@" java -XX:ActiveProcessorCount=1 -XX:+UseG1GC -Xms128m -Xmx128m -Xss512k \
    -javaagent:"$otel_jar" -Dotel.service.name=orders -Dotel.metrics.exporter=prometheus \
    -Dotel.exporter.prometheus.host=127.0.0.1 -Dotel.exporter.prometheus.port=$((port + 20 + i)) \
    -Dotel.traces.exporter=none -Dotel.logs.exporter=none \
    -cp "$cp" io.canaryjudge.memory.MemoryPod stable "$out/$name/run$run" $((port + 10 + i)) "$minutes" $((port + 10 + i)) 65536 \
    > "$out/$name/run$run.log" 2>&1
}
start=$(date +%s)
pod s1 0 $((first + second + 1)) 1 &
s1=$!
if [ -n "${FIRST_TIMEOUT:-}" ]; then pod r1 1 "$first" 1 timeout "$FIRST_TIMEOUT" nice -n 5 || true; else pod r1 1 "$first" 1; fi
sleep "$gap"
if [ -n "${SLOW_RESTART:-}" ]; then pod r1 1 "$second" 2 cpulimit -f -q -l "$SLOW_RESTART" --; else pod r1 1 "$second" 2; fi
wait "$s1"
sleep 20
for dir in "$out"/s1 "$out"/r1; do
  name=$(basename "$dir")
  echo "timestamp_ms,job,metric,labels,value" > "$dir/series.csv"
  curl -sG "http://127.0.0.1:$port/api/v1/query_range" \
    --data-urlencode "query={pod=\"$name\",__name__=~\"(jvm|process|http_server|target)_.*|up\"}" \
    --data-urlencode "start=$start" --data-urlencode "end=$(date +%s)" --data-urlencode step=10 |
    jq -r '.data.result[] | .metric as $m | ($m | del(.__name__, .job, .instance, .app, .pod, .track)
           | to_entries | map("\(.key)=\(.value)") | join(";")) as $l
           | .values[] | "\((.[0] * 1000) | floor),\($m.job),\($m.__name__),\($l | gsub(",";" ")),\(.[1])"' \
    >> "$dir/series.csv"
done
kill "$prom"; wait "$prom" || true
