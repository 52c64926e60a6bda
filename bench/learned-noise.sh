#!/usr/bin/env bash
# What learned noise costs per analysis (docs/BENCHMARKS.md "Learned noise"): size of 24 lessons, time to read and
# pool them, judge time with and without. Usage: bench/learned-noise.sh [runs]
set -euo pipefail
cd "$(dirname "$0")/.."
cp_file=$(mktemp)
mvn -B -q -pl canary-judge -am test-compile dependency:build-classpath \
  -Dmdep.outputFile="$cp_file" -Dmdep.includeScope=test >/dev/null
cp="canary-judge/target/test-classes:canary-judge/target/classes:$(cat "$cp_file")"
rm -f "$cp_file"
java -Xmx2g ${JAVA_OPTS:-} -Dcanaryjudge.shared.dir="$(pwd)/../shared" -cp "$cp" io.canaryjudge.eval.LearnedNoiseBenchmark "$@"
