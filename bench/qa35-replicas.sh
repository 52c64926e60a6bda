#!/usr/bin/env bash
# Two judge replicas sharing one PostgreSQL verdict store (qa35), on the local directory source /tmp/qa35/profiles
# (bench/qa35-mkapps.sh 50 builds it from the shipped example's real pprof: even apps the shop regression, odd A/A).
# PostgreSQL must be running on 127.0.0.1:19520 (database judge, user canary, password in $PGPASSWORD).
#   1. 20 analyses at once to each replica (different apps), then each stored verdict is read from the OTHER replica;
#   2. the same 10 apps asked 3 times each, alternating replicas: one lesson per app (same pods replace theirs);
#   3. replica A killed (SIGKILL) while 12 analyses run on it; the caller retries on B: every retry answers and the
#      store holds no row of A's unanswered analyses that cannot be read.
# usage: JAR=canary-judge/target/canary-judge.jar bench/qa35-replicas.sh
set -euo pipefail
OUT=/tmp/qa35; JAR=${JAR:-canary-judge/target/canary-judge.jar}
start() { # port
  nice java -Xmx512m -XX:+ExitOnOutOfMemoryError -jar "$JAR" serve --server.port=$1 \
    --canary-judge.local.directory=$OUT/profiles --canary-judge.analysis.deadline=6s --canary-judge.store.type=postgres \
    --spring.datasource.url=jdbc:postgresql://127.0.0.1:19520/judge --spring.datasource.username=canary \
    --spring.datasource.password="$PGPASSWORD" > $OUT/replica-$1.log 2>&1 &
  echo $!
}
A=$(start 19503); B=$(start 19504)
trap 'kill $A $B 2>/dev/null || true' EXIT
for p in 19503 19504; do until curl -sf -o /dev/null localhost:$p/actuator/health/readiness; do sleep 0.5; done; done
echo "== 1. 20 + 20 at once, $(date -u +%T) load $(cut -d' ' -f1 /proc/loadavg)"
python3 bench/qa35-rollouts.py http://localhost:19503 <(sed -n 1,20p $OUT/apps.txt) --timeout 8 > $OUT/rep-a.jsonl &
python3 bench/qa35-rollouts.py http://localhost:19504 <(sed -n 21,40p $OUT/apps.txt) --timeout 8 > $OUT/rep-b.jsonl
wait %2 2>/dev/null || wait
tail -1 $OUT/rep-a.jsonl; tail -1 $OUT/rep-b.jsonl
python3 - <<'PY'
import json, urllib.request
bad = 0; n = 0
for f, other in (("/tmp/qa35/rep-a.jsonl", 19504), ("/tmp/qa35/rep-b.jsonl", 19503)):
    for line in open(f):
        r = json.loads(line)
        if "id" not in r: continue
        n += 1
        v = json.load(urllib.request.urlopen("http://localhost:%d/api/v1/analyses/%s" % (other, r["id"])))
        if v["result"] != r["result"] or v["analysis"]["application"] != r["app"]: bad += 1; print("MISMATCH", r["app"], v["analysis"]["application"])
print("read back from the other replica:", n, "verdicts,", bad, "mismatches")
PY
echo "== 2. 10 apps x 3 rounds alternating replicas"
for round in 1 2 3; do
  port=$(( round % 2 ? 19503 : 19504 ))
  python3 bench/qa35-rollouts.py http://localhost:$port <(sed -n 41,50p $OUT/apps.txt) --timeout 8 | tail -1
done
echo "== 3. kill A mid-analysis, retry on B"
python3 bench/qa35-rollouts.py http://localhost:19503 <(sed -n 1,12p $OUT/apps.txt) --timeout 8 > $OUT/rep-killed.jsonl &
sleep 1.5; kill -9 $A; wait $! 2>/dev/null || true
tail -1 $OUT/rep-killed.jsonl
python3 bench/qa35-rollouts.py http://localhost:19504 <(sed -n 1,12p $OUT/apps.txt) --timeout 8 --check-stored > $OUT/rep-retried.jsonl
tail -1 $OUT/rep-retried.jsonl
A=$(start 19503); until curl -sf -o /dev/null localhost:19503/actuator/health/readiness; do sleep 0.5; done
echo "restarted A; readiness: $(curl -s localhost:19503/actuator/health/readiness | head -c 200)"
