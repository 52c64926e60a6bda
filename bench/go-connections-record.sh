#!/usr/bin/env bash
# Records bench/go-pod servers (built with client_golang: -tags prom) serving real requests from real clients whose
# connections the load process opens, holds or churns, scraped by a real Prometheus, a goroutine profile (and with
# --heap a heap profile) saved every minute: the recordings of Go services whose inbound connections grow (qa77 over
# HTTP/1.1, qa83 over HTTP/2). bench/qa77-record.sh and bench/qa83-record.sh give it their layouts.
#   bench/go-connections-record.sh [options] OUT [SLICES]     # SLICES 1-minute slices (17)
# Options:
#   --pods "SPEC ..."      the pods, each NAME:VARIANT:MODE,FROM,TO[,RATE,IDLE] (required): go-pod's -variant; the
#                          load's mode (hold: FROM -> TO keep-alive clients over 15 minutes; churn: clients that close
#                          their connection after IDLE, requests at random gaps), 100 requests/s per pod either way.
#                          NAME b<digit>... is a baseline pod (track=baseline), any other a canary.
#   --prometheus-port P    Prometheus on 127.0.0.1:P (required); pod i's client_golang /metrics (and over HTTP/1.1 its
#                          GET /order) on P+i, i = 1, 2, ...
#   --h2                   requests over HTTP/2: net/http's bundled http2 server over TLS on P+10+i, HTTP/2 by ALPN,
#                          one connection per client (the load's URLs are https)
#   --heap                 also a heap profile every minute (go-pod -heap-every-slice)
#   --assemble SCRIPT      the script the closing message names for the next step (bench/qa77-assemble.py, ...)
#   --dry-run              print what would run and the prometheus.yml; start, build and write nothing
#   --help                 this text
# Prometheus is Debian's (2.42, /usr/bin/prometheus); it keeps running after the pods for the assemble script, which
# the closing message names with its pid.
set -euo pipefail
usage() { sed -n '2,/^# Prometheus is/p' "$0" | sed 's/^# \{0,1\}//'; }
pods_spec='' prom_port='' h2='' heap='' assemble='the assemble script' dry=''
while [ $# -gt 0 ]; do
  case $1 in
    --pods) pods_spec=$2; shift 2;;
    --prometheus-port) prom_port=$2; shift 2;;
    --h2) h2=1; shift;;
    --heap) heap=1; shift;;
    --assemble) assemble=$2; shift 2;;
    --dry-run) dry=1; shift;;
    --help|-h) usage; exit 0;;
    --*) echo "unknown option $1" >&2; usage >&2; exit 64;;
    *) break;;
  esac
done
if [ $# -lt 1 ] || [ -z "$pods_spec" ] || [ -z "$prom_port" ]; then
  echo "usage: $0 --pods \"SPEC ...\" --prometheus-port P [--h2] [--heap] [--assemble SCRIPT] [--dry-run] OUT [SLICES]" >&2
  exit 64
fi
out=$1
slices=${2:-17}
here=$(cd "$(dirname "$0")" && pwd)
. "$here/prometheus-scrape.sh"

# run CMD...: runs CMD, or prints it on a dry run.
run() { if [ -n "$dry" ]; then echo "$*"; else "$@"; fi; }

[ -n "$dry" ] || mkdir -p "$out"
if [ -n "$dry" ]; then
  echo "(cd $here/go-pod && GO111MODULE=off GOPATH=$out/gopath:/usr/share/gocode go build -tags prom -o $out/gopod-prom .)"
else
  (cd "$here/go-pod" && GO111MODULE=off GOPATH=$out/gopath:/usr/share/gocode go build -tags prom -o "$out/gopod-prom" .)
fi
[ -n "$dry" ] || cd "$out"
# shellcheck disable=SC2046,SC2086
config=$(scrape_config $((prom_port + 1)) $(for spec in $pods_spec; do echo "${spec%%:*}"; done) | sed 's/app: orders/app: gopod/')
if [ -n "$dry" ]; then
  printf '%s\n' "--- $out/prometheus.yml" "$config" "---"
  echo "nice prometheus --config.file=$out/prometheus.yml ... --web.listen-address=127.0.0.1:$prom_port &"
  prom=DRY
else
  printf '%s\n' "$config" > prometheus.yml
  start_prometheus "$out" "$prom_port"
  : > pods.txt
fi
port=$((prom_port + 1))
loads=()
for spec in $pods_spec; do
  IFS=: read -r name variant load <<< "$spec"
  pod=("$out/gopod-prom" -out "$name" -variant "$variant" -http)
  url=http://127.0.0.1:$port
  if [ -n "$h2" ]; then
    tls=$((port + 10))
    pod+=(-h2 127.0.0.1:$tls)
    url=https://127.0.0.1:$tls
  fi
  pod+=(-goroutine-leak-every 2000 -slice 1m -slices "$slices" -cpu=false -goroutines-every-slice)
  [ -z "$heap" ] || pod+=(-heap-every-slice)
  pod+=(-metrics 127.0.0.1:$port)
  if [ -n "$dry" ]; then
    echo "nice ${pod[*]} > $name.log 2>&1 &"
  else
    nice "${pod[@]}" > "$name.log" 2>&1 &
    echo "$name $! $port${tls:+ $tls}" >> pods.txt
  fi
  IFS=, read -r mode from to rest <<< "$load"
  rate=100; idle=${rest#*,}; [ "$mode" = churn ] || idle=
  loads+=(-load "$name=$url,$mode,$from,$to,$rate${idle:+,$idle}")
  port=$((port + 1))
done
run sleep 1
if [ -n "$dry" ]; then
  echo "nice $out/gopod-prom -out load ${loads[*]} -load-ramp 15m -load-for $((slices * 60 + 30))s > load.log 2>&1 &"
  echo "(wait for the pods, 20 s for the last scrape; Prometheus on 127.0.0.1:$prom_port left running for $assemble)"
  exit 0
fi
nice "$out/gopod-prom" -out load "${loads[@]}" -load-ramp 15m -load-for $((slices * 60 + 30))s > load.log 2>&1 &
echo "load $! -" >> pods.txt
wait $(awk '{print $2}' pods.txt)
sleep 20 # the last scrape
echo "pods done; Prometheus (pid $prom) still serves 127.0.0.1:$prom_port for $assemble; kill $prom after"
