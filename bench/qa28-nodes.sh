#!/usr/bin/env bash
# Records shop pods (io.canaryjudge.scenario.ShopPod, test sources) whose canaries differ from their baseline only by
# the node or container they run on (qa28), and judges them with `compare` at default settings.
#   bench/qa28-nodes.sh record OUT CP [BATCH ...]  one batch at a time: 3 baseline JVMs (seeds 1-3) beside 3 canary JVMs
#                                                 (seeds 11-13) of the batch's kind, 6,000 requests/s each (-Dshop.rate),
#                                                 2 workers, warm-up >= 60 s, 9 slices of 10 s, itimer 4 ms + alloc 2 MB
#   SLICES=24 bench/qa28-nodes.sh record ...     longer pods (the "long" rows of docs/EVALUATION.md)
#   bench/qa28-nodes.sh judge OUT [JAR]             one line per batch and layout (1v3 x3, 2v2 x3, 3v3)
# CP: the test class path (bench/test-classpath.sh, or a copy of it). Batches (default all):
#   same      canaries with the baseline's flags (A/A control)
#   cpu1      -XX:ActiveProcessorCount=1 (ergonomics pick SerialGC, fewer compiler threads)
#   pin       taskset -c 0 for the three canaries (one shared core; the JVM sees 1 CPU)
#   xmx64     -Xmx64m instead of -Xmx512m (G1 in both)
#   noisy     canaries and a busy-loop process on core 1 (taskset), -XX:ActiveProcessorCount=2 (G1 as the baseline)
#   reg-cpu1  cpu1 with discountRuleFactor=2 (PriceCalculator.applyDiscounts, ~20 % of CPU, does twice the work)
#   hot-noisy noisy with auditSnapshots=true (a new hot path, AuditTrail.serializeSnapshot)
# Baseline JVMs: no GC flag (G1 by ergonomics on 2 CPUs), -Xmx512m, not pinned.
set -euo pipefail
cmd=$1 out=$2
if [ "$cmd" = record ]; then
  cp=$(cat "$3"); shift 3
  batches=${*:-same cpu1 pin xmx64 noisy reg-cpu1 hot-noisy}
  flags=(-XX:+UnlockDiagnosticVMOptions -XX:+DebugNonSafepoints -XX:CompileCommand=quiet
         '-XX:CompileCommand=dontinline,io.canaryjudge.scenario.shop.*::*' -Dshop.rate=6000)
  pod=(io.canaryjudge.scenario.ShopPod workers=2 warmupMillis=60000 maxWarmupMillis=150000 "slices=${SLICES:-9}" sliceMillis=10000)
  for b in $batches; do
    mkdir -p "$out/$b"
    pids=()
    for n in 1 2 3; do
      nice java "${flags[@]}" -Xmx512m -cp "$cp" "${pod[@]}" output="$out/$b/baseline/pod-$n" seed=$n \
        2>"$out/$b/baseline-$n.log" & pids+=($!)
    done
    spin=
    if [[ $b == *noisy ]]; then
      taskset -c 1 sh -c 'while :; do :; done' & spin=$!
    fi
    for n in 1 2 3; do
      pre=() jvm=(-Xmx512m) variant=()
      case $b in
        cpu1) jvm+=(-XX:ActiveProcessorCount=1);;
        pin) pre=(taskset -c 0);;
        xmx64) jvm=(-Xmx64m -XX:+UseG1GC);;
        noisy) pre=(taskset -c 1); jvm+=(-XX:ActiveProcessorCount=2);;
        reg-cpu1) jvm+=(-XX:ActiveProcessorCount=1); variant=(discountRuleFactor=2.0);;
        hot-noisy) pre=(taskset -c 1); jvm+=(-XX:ActiveProcessorCount=2); variant=(auditSnapshots=true);;
      esac
      nice "${pre[@]}" java "${flags[@]}" "${jvm[@]}" -Xlog:gc:file="$out/$b/canary-$n.gc.log" -cp "$cp" "${pod[@]}" \
        output="$out/$b/canary/pod-$n" seed=$((10+n)) "${variant[@]}" 2>"$out/$b/canary-$n.log" & pids+=($!)
    done
    for p in "${pids[@]}"; do wait "$p"; done
    [ -n "$spin" ] && kill "$spin"
    echo "batch $b done $(date -u +%T)"
  done
else
  python3 "$(dirname "$0")/qa28-judge.py" "$out" "${3:-canary-judge/target/canary-judge.jar}"
fi
