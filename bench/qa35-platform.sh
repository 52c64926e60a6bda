#!/usr/bin/env bash
# Many rollouts at once against the real jar (qa35): a Pyroscope stand-in process serving the shipped example's real
# pprof as N applications (bench PlatformPyroscope; app03's calls delayed 3 s: a slow shard), the judge as
# examples/kubernetes/deployment.yaml runs it (deadline 6 s, -Xmx768m), driven as Argo's Web provider
# (timeoutSeconds 8) and Flagger's webhook by bench/qa35-rollouts.py. Run from the repository root:
#   bench/qa35-platform.sh JAR [JAR ...]      (e.g. a build before and after a change, alternated)
# Ports 19502 (judge) and 19510 (stand-in); scratch in /tmp/qa35.
set -euo pipefail
OUT=${OUT:-/tmp/qa35}; mkdir -p "$OUT"
N=${N:-50}
CP=canary-judge/target/test-classes:canary-judge/target/classes:$(cat "$OUT/cp.txt")
T0=$(date -u -d '-6 min' +%Y-%m-%dT%H:%M:00Z); END=$(date -u -d "$T0 +5 min" +%Y-%m-%dT%H:%M:%SZ)
WINDOW="{\"start\":\"$T0\",\"end\":\"$END\"}"
for i in $(seq -w 1 "$N"); do echo "app$i $(( 10#$i % 2 == 0 )) " ; done | sed 's/ 1 $/ reg/; s/ 0 $/ aa/' > "$OUT/apps.txt"
nice java -Xmx1g -cp "$CP" io.canaryjudge.bench.PlatformPyroscope 19510 "$N" "$T0" app03 3000 > "$OUT/pyro.log" 2>&1 &
PYRO=$!
trap 'kill $PYRO 2>/dev/null || true' EXIT
until grep -q ready "$OUT/pyro.log"; do sleep 1; done
for round in $(seq 1 "${ROUNDS:-2}"); do
  for jar in "$@"; do
    tag=$(basename "$jar" .jar)-${TAG:-r}$round
    nice java -Xmx768m -XX:+ExitOnOutOfMemoryError -jar "$jar" serve --server.port=19502 \
      --canary-judge.pyroscope.url=http://127.0.0.1:19510 --canary-judge.pyroscope.series-step=60s \
      --canary-judge.analysis.deadline=6s > "$OUT/$tag.log" 2>&1 &
    JUDGE=$!
    until curl -sf -o /dev/null localhost:19502/actuator/health/readiness; do sleep 0.5; done
    python3 bench/qa35-rollouts.py http://localhost:19502 <(head -2 "$OUT/apps.txt") --extra "$WINDOW" > /dev/null  # warm
    for n in 1 20 50; do
      echo "== $tag argo $n at $(date -u +%T) load $(cut -d' ' -f1 /proc/loadavg)"
      python3 bench/qa35-rollouts.py http://localhost:19502 <(head -$n "$OUT/apps.txt") --timeout 8 --extra "$WINDOW" --check-stored > "$OUT/$tag-argo$n.jsonl"
      tail -1 "$OUT/$tag-argo$n.jsonl"
      grep -o '"summary": "[^"]\{0,70\}\|"detail": "[^"]\{0,90\}' "$OUT/$tag-argo$n.jsonl" | sed 's/[0-9]\.[0-9] s/N s/g' | sort | uniq -c | sort -rn | head -4
    done
    echo "== $tag flagger 20 at $(date -u +%T) load $(cut -d' ' -f1 /proc/loadavg)"
    python3 bench/qa35-rollouts.py http://localhost:19502 <(head -20 "$OUT/apps.txt") --mode flagger --timeout 8 \
      --extra "{\"lookback\":\"5m\"}" > "$OUT/$tag-flagger20.jsonl"
    tail -1 "$OUT/$tag-flagger20.jsonl"
    echo "rss_kib $(ps -o rss= -p $JUDGE)"
    kill $JUDGE; wait $JUDGE 2>/dev/null || true
  done
done
