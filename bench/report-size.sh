#!/usr/bin/env bash
# Size of the stored report (JSON, gzipped) and of the HTML page, and the time to build the report,
# on the recorded scenarios and the Kafka slices. Usage: bench/report-size.sh [scenario ...]
set -euo pipefail
cd "$(dirname "$0")/.."
cp_file=$(mktemp)
# Compiling in the same invocation lets the reactor resolve sibling modules to target/classes.
mvn -B -q -pl canary-judge -am test-compile dependency:build-classpath \
  -Dmdep.outputFile="$cp_file" -Dmdep.includeScope=test >/dev/null
cp="canary-judge/target/test-classes:canary-judge/target/classes:$(cat "$cp_file")"
rm -f "$cp_file"
java -Dcanaryjudge.shared.dir="${SHARED_DIR:-../shared}" -cp "$cp" io.canaryjudge.report.ReportSizeBenchmark "$@"
