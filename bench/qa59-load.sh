#!/usr/bin/env bash
# qa59: does a stand-in the profiles already hold track a canary's share of the requests when no request counts are
# exported? io.canaryjudge.memory.MemoryPod pods (qa56's order service and flags) at other loads than their baseline
# pods, profiled with CPU (itimer) and every allocation (alloc, not live) in one JFR a minute (-Dorders.events), with
# the requests each served (requests.log); no Prometheus. bench/qa59-standin.py reads them.
# Usage: bench/qa59-load.sh OUT MINUTES CLASSPATH_FILE [FIRST_POD_PORT]   pods name:variant:load in QA59_PODS or the default
set -euo pipefail
out=$1; minutes=$2; cp=$(cat "$3"); port=${4:-21830}
pods=${QA59_PODS:-"b1:stable:1 b2:stable:1 aa-10:stable:0.1 aa-25:stable:0.25 aa-200:stable:2 leak-25:leak-sessions:0.25
  leak-200:leak-sessions:2"}
flags="-XX:ActiveProcessorCount=1 -XX:+UseG1GC -Xms256m -Xmx256m -Xss512k -XX:ReservedCodeCacheSize=64m
  -XX:+UnlockDiagnosticVMOptions -XX:+DebugNonSafepoints"
seed=1; p=$port; pids=()
for spec in $pods; do
  IFS=: read -r name variant load <<<"$spec"
  mkdir -p "$out/$name"
  # shellcheck disable=SC2086
  nice -n 5 java $flags -Dorders.load="$load" -Dorders.events=event=itimer,alloc=%d -cp "$cp" \
    io.canaryjudge.memory.MemoryPod "$variant" "$out/$name" "$p" "$minutes" "$seed" 65536 > "$out/$name/pod.log" 2>&1 &
  pids+=($!)
  seed=$((seed + 1)); p=$((p + 1))
done
for pid in "${pids[@]}"; do wait "$pid" || true; done
