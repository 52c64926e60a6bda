#!/usr/bin/env bash
# qa38: produce a spread of verdicts (text, json, html) over the committed recordings, to read them cold.
# Usage: bench/qa38-verdicts.sh [OUT_DIR]   (default /tmp/qa38/v; needs canary-judge/target/canary-judge.jar)
set -u
cd "$(dirname "$0")/.."
OUT=${1:-/tmp/qa38/v}; mkdir -p "$OUT"
J="nice java -jar canary-judge/target/canary-judge.jar compare"
R=canary-judge/src/test/resources
S=examples/profiles/shop
B=$R/scenarios/baselines/session-1
FORMATS=${FORMATS:-text json html}
run() { # name, args...
  local name=$1; shift
  for f in $FORMATS; do $J "$@" --format $f --output "$OUT/$name.$f" 2>"$OUT/$name.err"; echo $? > "$OUT/$name.rc"; done
}
run ex-2v2 --baseline $S/shop-6d4f8c7b9-k2x7p --baseline $S/shop-6d4f8c7b9-w5n3j --canary $S/shop-7f9b6c5d4-m4q8z --canary $S/shop-7f9b6c5d4-r9t2w
run ex-1v1 --baseline $S/shop-6d4f8c7b9-k2x7p --canary $S/shop-7f9b6c5d4-m4q8z
run ex-2v1-hist --baseline $S/shop-6d4f8c7b9-k2x7p --history $S/shop-6d4f8c7b9-w5n3j --canary $S/shop-7f9b6c5d4-m4q8z
for sc in aa cpu-regression-10 cpu-regression-30 cpu-regression-100 alloc-regression audit-jackson improvement low-rate new-hot-path regex-per-request thread-local-lookups; do
  C=$R/scenarios/$sc/canary
  [ -d $C ] || continue
  # each scenario's canary was recorded beside its own baseline session (scenario.json "baseline")
  SB=$R/scenarios/$(python3 -c "import json;print(json.load(open('$R/scenarios/$sc/scenario.json'))['baseline'][3:])")
  run sc-$sc-3v3 --baseline $SB/pod-1 --baseline $SB/pod-2 --baseline $SB/pod-3 --canary $C/pod-1 --canary $C/pod-2 --canary $C/pod-3
done
B2=$R/scenarios/baselines/session-2
run sc-cpu30-1v1 --baseline $B2/pod-1 --canary $R/scenarios/cpu-regression-30/canary/pod-1
run sc-cpu30-2v1-hist --baseline $B2/pod-1 --baseline $B2/pod-2 --history $B2/pod-3 --history $R/scenarios/baselines/session-1/pod-1 --history $R/scenarios/baselines/session-1/pod-2 --canary $R/scenarios/cpu-regression-30/canary/pod-1
run sc-cpu100-3v1-hist --baseline $B2/pod-1 --baseline $B2/pod-2 --baseline $B2/pod-3 --history $R/scenarios/baselines/session-1/pod-1 --history $R/scenarios/baselines/session-1/pod-2 --canary $R/scenarios/cpu-regression-100/canary/pod-1
FORMATS="markdown text" run sc-aa-2v2 --baseline $B/pod-1 --baseline $B/pod-2 --canary $R/scenarios/aa/canary/pod-1 --canary $R/scenarios/aa/canary/pod-2
Q=$R/qa32
for t in lock_delay lock_count; do run qa32-$t --profile-type $t --baseline $Q/b1 --baseline $Q/b2 --baseline $Q/b3 --canary $Q/s1; done
run qa32-aa-lock --profile-type lock_delay --baseline $Q/b1 --baseline $Q/b2 --canary $Q/b3 --canary $Q/a1
W=$Q/wall
run qa32-wall --profile-type wall --baseline $W/b1 --baseline $W/b2 --canary $W/b3 --canary $W/z1
run qa32-wall-1v1 --profile-type wall --baseline $W/b1 --canary $W/z1
M=$R/memory/pods
run mem-leak --baseline $M/baseline-1 --baseline $M/baseline-2 --baseline $M/baseline-3 --canary $M/leak-sessions-1 --canary $M/leak-sessions-2 --canary $M/leak-sessions-3
run mem-aa --baseline $M/baseline-1 --baseline $M/baseline-2 --baseline $M/baseline-3 --canary $M/aa-1 --canary $M/aa-2
run mem-flat --baseline $M/baseline-1 --baseline $M/baseline-2 --canary $M/bigger-flat-1 --canary $M/bigger-flat-2
run mem-live --profile-type live_bytes --baseline $M/baseline-1 --baseline $M/baseline-2 --canary $M/leak-listeners-1 --canary $M/leak-listeners-2
