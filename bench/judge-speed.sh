#!/usr/bin/env bash
# Times the judge on 20 + 20 observations of profiles with 50,000 distinct stacks each.
# Usage: bench/judge-speed.sh [observationsPerGroup] [stacksPerProfile] [functions] [runs]
set -euo pipefail
cd "$(dirname "$0")/.."
cp_file=$(mktemp)
# Compiling in the same invocation lets the reactor resolve sibling modules to target/classes;
# canary-judge is built last, so the file ends up holding its test-scope classpath.
mvn -B -q -pl canary-judge -am test-compile dependency:build-classpath \
  -Dmdep.outputFile="$cp_file" -Dmdep.includeScope=test >/dev/null
cp="canary-judge/target/test-classes:canary-judge/target/classes:$(cat "$cp_file")"
rm -f "$cp_file"
java -Xmx4g -cp "$cp" io.canaryjudge.bench.JudgeSpeedBenchmark "$@"
