#!/usr/bin/env bash
# The held-out evaluation of the judge (docs/EVALUATION.md "Held-out evaluation (never tuned on)"):
# the second simulator's cells and the recorded search-service scenarios, judged at
# JudgeConfig.defaults() with history, the oracle beside each figure. Deterministic (seeded).
# Writes canary-judge/target/heldout/heldout-evaluation.md and prints it.
#
# Usage:  bench/heldout-evaluation.sh              (from anywhere; builds the test classes first)
#         bench/heldout-evaluation.sh --classpath  (prints the test class path and exits: for
#                                                   RecordHeldOut / RecordingArchive / PodSummary)
# Knobs (environment, passed on as system properties):
#   AA_CASES=400        simulated A/A cases per layout (1v3, 2v2, 3v3)
#   CHANGED_CASES=150   simulated cases per changed cell (different program: a third of it)
#   RECORDED_CAP=120    recorded layouts per cell at most
#   THREADS=2           judge threads
#   (system properties after the knobs: JAVA_OPTS="-Dheldout.sources=simulated -Dheldout.cells=REGEX")
set -euo pipefail
cd "$(dirname "$0")/.."
cp=$(bench/test-classpath.sh)
if [[ "${1:-}" == "--classpath" ]]; then
  echo "$cp"
  exit 0
fi
exec java -Xmx4g -XX:+UseParallelGC ${JAVA_OPTS:-} \
  -Dheldout.aaCases="${AA_CASES:-400}" -Dheldout.changedCases="${CHANGED_CASES:-150}" \
  -Dheldout.recordedCap="${RECORDED_CAP:-120}" -Dheldout.threads="${THREADS:-2}" \
  -cp "$cp" io.canaryjudge.heldout.HeldOutEvaluation canary-judge/target/heldout/heldout-evaluation.md
