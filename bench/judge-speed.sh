#!/usr/bin/env bash
# Times the judge on 20 + 20 observations of profiles with 50,000 distinct stacks each.
# Usage: bench/judge-speed.sh [observationsPerGroup] [stacksPerProfile] [functions] [runs]
set -euo pipefail
cd "$(dirname "$0")/.."
cp=$(bench/test-classpath.sh)
java -Xmx4g -cp "$cp" io.canaryjudge.bench.JudgeSpeedBenchmark "$@"
