#!/usr/bin/env bash
# Soak of the service (qa47): the real jar with JFR on itself, against a Pyroscope stand-in process (bench
# SoakPyroscope: 12 applications of real pprof, app03 slow, app05 503, app07 garbage), a real Prometheus (scraping the
# judge itself every 5 s) and a real PostgreSQL verdict store (retention max-rows 400 every 2 min), driven by
# bench/qa47-soak.py (Argo, Flagger, uploads, reads, bad requests; 4 in flight) for MINUTES; the stand-in is killed for
# 2 min at minute 12 (refused connections), Prometheus stopped for 2 min at minute 20. Every 15 s one line of
# samples.tsv: seconds, judge RSS KiB, threads, open fds, files in its java.io.tmpdir, rows in analyses and in
# learned_noise. Run from the repository root after `mvn -o -DskipTests package` and a test-compile:
#   CP=$(cat /tmp/qa47/cp.txt) MINUTES=35 bench/qa47-soak.sh
# Ports 20700 (judge), 20710 (stand-in), 20711 (Prometheus), 20712 (PostgreSQL); scratch in /tmp/qa47.
set -euo pipefail
OUT=${OUT:-/tmp/qa47}; MINUTES=${MINUTES:-35}; mkdir -p "$OUT/jtmp"
CP=canary-judge/target/test-classes:canary-judge/target/classes:$CP
PG=/usr/lib/postgresql/$(ls /usr/lib/postgresql | sort -n | tail -1)/bin
pids=()
cleanup() {
  for p in "${pids[@]}" $(cat "$OUT/pyro.pid" "$OUT/prom.pid" 2>/dev/null); do kill "$p" 2>/dev/null || true; done
  [ -f "$OUT/pg/data/postmaster.pid" ] && runuser -u postgres -- "$PG/pg_ctl" -D "$OUT/pg/data" -m fast -w stop >/dev/null || true
}
trap cleanup EXIT
# PostgreSQL (as the tests start it: initdb, SCRAM over TCP)
rm -rf "$OUT/pg"; mkdir -p "$OUT/pg"; chown postgres "$OUT/pg"; echo judge-soak > "$OUT/pg/pw"; chown postgres "$OUT/pg/pw"
runuser -u postgres -- "$PG/initdb" -D "$OUT/pg/data" -U canary --pwfile="$OUT/pg/pw" --auth-local=trust \
  --auth-host=scram-sha-256 --encoding=UTF8 --locale=C --no-sync >/dev/null
runuser -u postgres -- "$PG/pg_ctl" -D "$OUT/pg/data" -l "$OUT/pg/server.log" -w -o \
  "-p 20712 -k $OUT/pg -c listen_addresses=127.0.0.1 -c fsync=off -c max_connections=40" start >/dev/null
runuser -u postgres -- "$PG/psql" -h "$OUT/pg" -p 20712 -U canary -d postgres -qc "CREATE DATABASE judge"
psql() { runuser -u postgres -- "$PG/psql" -h "$OUT/pg" -p 20712 -U canary -d judge -tAc "$1" 2>/dev/null || echo NA; }
# Prometheus scraping the judge
cat > "$OUT/prometheus.yml" <<YAML
global: {scrape_interval: 5s}
scrape_configs:
  - job_name: judge
    metrics_path: /actuator/prometheus
    static_configs: [{targets: ["127.0.0.1:20700"], labels: {pod: judge-0, namespace: test}}]
YAML
start_prometheus() {
  nice prometheus --config.file="$OUT/prometheus.yml" --storage.tsdb.path="$OUT/prom" \
    --web.listen-address=127.0.0.1:20711 >> "$OUT/prometheus.log" 2>&1 &
  echo $! > "$OUT/prom.pid"
}
start_prometheus
T0=$(date -u -d '-10 min' +%Y-%m-%dT%H:%M:00Z)
start_pyroscope() {
  nice java -Xmx1g -cp "$CP" io.canaryjudge.bench.SoakPyroscope 20710 12 "$T0" 1 >> "$OUT/pyro.log" 2>&1 &
  echo $! > "$OUT/pyro.pid"
  until grep -q ready "$OUT/pyro.log" 2>/dev/null; do sleep 1; done
}
start_pyroscope
nice java -Xmx512m -XX:+ExitOnOutOfMemoryError -Djava.io.tmpdir="$OUT/jtmp" \
  -XX:StartFlightRecording=filename="$OUT/judge.jfr",dumponexit=true,maxsize=200m \
  -jar canary-judge/target/canary-judge.jar serve --server.port=20700 \
  --canary-judge.pyroscope.url=http://127.0.0.1:20710 --canary-judge.pyroscope.series-step=60s \
  --canary-judge.prometheus.url=http://127.0.0.1:20711 --canary-judge.analysis.deadline=6s \
  --spring.datasource.url=jdbc:postgresql://127.0.0.1:20712/judge --spring.datasource.username=canary \
  --spring.datasource.password=judge-soak --canary-judge.store.retention.max-rows=400 \
  --canary-judge.store.retention.interval=2m > "$OUT/judge.log" 2>&1 &
JUDGE=$!; pids+=($JUDGE); echo "$JUDGE" > "$OUT/judge.pid"
until curl -sf -o /dev/null localhost:20700/actuator/health/liveness; do sleep 0.5; done
START=$(date +%s)
( while kill -0 $JUDGE 2>/dev/null; do
    s=$(( $(date +%s) - START ))
    printf '%s\t%s\t%s\t%s\t%s\t%s\t%s\n' "$s" "$(ps -o rss= -p $JUDGE | tr -d ' ')" "$(ls /proc/$JUDGE/task | wc -l)" \
      "$(ls /proc/$JUDGE/fd | wc -l)" "$(find "$OUT/jtmp" -type f | wc -l)" "$(psql 'SELECT count(*) FROM analyses')" \
      "$(psql 'SELECT count(*) FROM learned_noise')"
    sleep 15
  done ) > "$OUT/samples.tsv" &
pids+=($!)
( sleep 720; echo "stand-in down $(date -u +%T)"; kill "$(cat "$OUT/pyro.pid")"; sleep 120; : > "$OUT/pyro.log"; start_pyroscope
  echo "stand-in up $(date -u +%T)"
  sleep 360; echo "prometheus down $(date -u +%T)"; kill "$(cat "$OUT/prom.pid")"; sleep 120; start_prometheus
  echo "prometheus up $(date -u +%T)" ) > "$OUT/outages.log" 2>&1 &
pids+=($!)
( sleep 120; jcmd $JUDGE GC.class_histogram > "$OUT/histo-2min.txt" ) &
pids+=($!)
python3 bench/qa47-soak.py http://127.0.0.1:20700 "$MINUTES" 4 > "$OUT/requests.jsonl"
echo "driver done $(date -u +%T)"
jcmd $JUDGE GC.run >/dev/null; sleep 2
jcmd $JUDGE JFR.dump filename="$OUT/judge-end.jfr" >/dev/null
jcmd $JUDGE GC.class_histogram > "$OUT/histo-end.txt"
ls /proc/$JUDGE/fd -l > "$OUT/fds-end.txt" 2>&1
jcmd $JUDGE Thread.print > "$OUT/threads-end.txt"
