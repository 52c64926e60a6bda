#!/usr/bin/env bash
# qa61: the Kafka 3+3 JVM-rise tuning cell's cases 2, 3, 10 and 11 at the commit checked out in DIR (a scratch clone;
# ../shared beside it). Exit 0 ("good", the old behaviour) when at least 2 of the 4 FAIL, 1 when fewer, 125 when the
# cases did not run. As a bisect: cd DIR && git bisect start HEAD 09f20ed -- '*/src/main/*' && git bisect run BENCH/qa61-bisect-step.sh DIR
# (09f20ed: 4 of 4 FAIL; 3abbe344: 4 of 4; 59452557 and later: 0 of 4). Add -Dqa61.noWarmUp=true to MAVEN_EXTRA with
# CompilingCanaryWarmUp.apply patched to return the canary whole when that property is set to measure without the rule.
set -u
dir=${1:?usage: qa61-bisect-step.sh DIR}
here=$(cd "$(dirname "$0")" && pwd)
cd "$dir" || exit 125
runner=canary-judge/src/test/java/io/canaryjudge/eval/TuningCases.java
cp "$here/qa61/TuningCases.java" "$runner"
log=$(mktemp /tmp/qa61-step-XXXX.log)
nice mvn -B -q -o -pl canary-judge -am test -Dtest=TuningCases -Dqa61.cases=2,3,10,11 ${MAVEN_EXTRA:-} \
  '-Deval.cells=^kafka cpu 3\+3×8×14k κ6%±0\.5 JVM ×2, \+100%@1%$' -Dsurefire.failIfNoSpecifiedTests=false > "$log" 2>&1
rm -f "$runner"
fails=$(grep -c 'QA61 case .* FAIL ' "$log")
total=$(grep -c 'QA61 case ' "$log")
echo "$(git rev-parse --short HEAD): $fails of $total FAIL ($log)"
[ "$total" -eq 4 ] || exit 125
[ "$fails" -ge 2 ] && exit 0 || exit 1
