# shellcheck shell=bash
# Functions the recording scripts share to scrape io.canaryjudge.memory.MemoryPod JVMs with a real Prometheus
# (/usr/bin/prometheus) and export every pod's raw series (qa40, qa46, qa49, qa52). Source it:
#   . "$(dirname "$0")/prometheus-scrape.sh"

# scrape_config FIRST_PORT NAME:VARIANT...  prints a prometheus.yml scraping each pod's /metrics every 10 s, the pods on
# FIRST_PORT, FIRST_PORT+1, …, labelled app=orders, pod=NAME, track=baseline (NAME b<digit>…) or canary.
scrape_config() {
  local port=$1 spec name track
  shift
  printf 'global: {scrape_interval: 10s, evaluation_interval: 10s}\nscrape_configs:\n  - job_name: orders\n    metrics_path: /metrics\n    static_configs:\n'
  for spec in "$@"; do
    name=${spec%%:*}; track=canary; case $name in b[0-9]*) track=baseline;; esac
    printf "      - targets: ['127.0.0.1:%d']\n        labels: {app: orders, pod: '%s', track: '%s'}\n" "$port" "$name" $track
    port=$((port + 1))
  done
}

# start_prometheus OUT LISTEN_PORT  starts Prometheus on OUT/prometheus.yml, its data in OUT/prometheus-data and its log
# in OUT/prometheus.log, listening on 127.0.0.1:LISTEN_PORT; its pid in $prom and OUT/prometheus.pid.
start_prometheus() {
  mkdir -p "$1/prometheus-data"
  nice prometheus --config.file="$1/prometheus.yml" --storage.tsdb.path="$1/prometheus-data" \
    --web.listen-address=127.0.0.1:"$2" > "$1/prometheus.log" 2>&1 &
  prom=$!
  echo "$prom" > "$1/prometheus.pid"
}

# The id column of an exported sample: Micrometer's id label (a pool, a buffer pool), commas made spaces.
POOL_ID='($m.id // "")'

# export_series PORT START END CSV ID QUERY...  appends to CSV (timestamp_ms,metric,id,value) every raw 10 s sample of
# each QUERY between START and END (seconds since the epoch) from the Prometheus on 127.0.0.1:PORT; ID is the jq
# expression of the id column over the series' labels $m (e.g. $POOL_ID).
export_series() {
  local port=$1 start=$2 end=$3 csv=$4 id=$5 q
  shift 5
  for q in "$@"; do
    curl -sG "http://127.0.0.1:$port/api/v1/query_range" --data-urlencode "query=$q" \
      --data-urlencode "start=$start" --data-urlencode "end=$end" --data-urlencode step=10 |
      jq -r '.data.result[] | .metric as $m | .values[] | "\((.[0] * 1000) | floor),\($m.__name__),\(('"$id"') | gsub(",";" ")),\(.[1])"' \
      >> "$csv"
  done
}
