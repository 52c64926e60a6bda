#!/usr/bin/env bash
# What learned noise costs per analysis (docs/BENCHMARKS.md "Learned noise"): size of 24 lessons, time to read and
# pool them, judge time with and without. Usage: bench/learned-noise.sh [runs]
set -euo pipefail
cd "$(dirname "$0")/.."
cp=$(bench/test-classpath.sh)
java -Xmx2g ${JAVA_OPTS:-} -Dcanaryjudge.shared.dir="$(pwd)/../shared" -cp "$cp" io.canaryjudge.eval.LearnedNoiseBenchmark "$@"
