#!/usr/bin/env bash
# qa37: how the service answers settings operators get wrong, through the real jar over loopback.
# Usage (repository root, after `mvn -B -q -DskipTests package`): bench/qa37-settings.sh [PORT]
# Prints, for each setting, the exit status and the line that names the problem, or the effect on a verdict.
set -u
port=${1:-19720}
jar=canary-judge/target/canary-judge.jar
out=$(mktemp -d)
trap 'rm -rf "$out"' EXIT

# start PORT LOG ARGS...: runs serve; prints "UP" once live, else "exit N" when it stopped
start() {
  local p=$1 log=$2; shift 2
  nice java -Xmx384m -jar "$jar" serve --server.port="$p" --canary-judge.warm-up.enabled=false "$@" >"$log" 2>&1 &
  local pid=$!
  for _ in $(seq 1 120); do
    if ! kill -0 "$pid" 2>/dev/null; then wait "$pid"; echo "exit $?"; return; fi
    if curl -sf "http://127.0.0.1:$p/actuator/health/liveness" >/dev/null 2>&1; then echo "UP $pid"; return; fi
    sleep 1
  done
  echo "timeout"; kill "$pid"
}

probe() { # NAME ENV-ASSIGNMENT-OR-- ARGS...
  local name=$1 envset=$2; shift 2
  local log="$out/$name.log" state
  state=$(if [ "$envset" != "--" ]; then export "${envset?}"; fi; start "$port" "$log" "$@")
  echo "== $name: $state"
  grep -E "Reason:|canary-judge: serve:" "$log" | head -2 | cut -c1-260
  case "$state" in UP*) kill "${state#UP }"; sleep 1;; esac
}

probe bare-duration CANARY_JUDGE_LOCAL_TIMEOUT=5
probe bare-size -- --canary-judge.upload.max-file-size=32
probe url-with-credentials -- --canary-judge.prometheus.url=http://judge:secret@127.0.0.1:9/prom
probe enum-typo -- --canary-judge.analysis.profile-types=cpu,alloc
probe ratio-tolerance -- --canary-judge.prometheus.gates.error-ratio.absolute-tolerance=5

# the settings in effect, and where they came from
state=$(export CANARY_JUDGE_ANALYSIS_DEADLINE=6s; start "$port" "$out/effective.log" \
  --canary-judge.prometheus.url=http://127.0.0.1:9 --canary-judge.prometheus.username=judge \
  --canary-judge.prometheus.password=secret)
echo "== configprops: $state"
curl -s "http://127.0.0.1:$port/actuator/configprops" | python3 -c '
import json, sys
for ctx in json.load(sys.stdin)["contexts"].values():
    for bean in ctx["beans"].values():
        if bean["prefix"] in ("canary-judge.analysis", "canary-judge.prometheus"):
            p, i = bean["properties"], bean["inputs"]
            for key in ("deadline", "password", "username", "url"):
                if key in p:
                    print(bean["prefix"] + "." + key, "=", p[key], i.get(key, {}).get("origin", "(default)"))
'
case "$state" in UP*) kill "${state#UP }";; esac
