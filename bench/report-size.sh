#!/usr/bin/env bash
# Size of the stored report (JSON, gzipped) and of the HTML page, and the time to build the report,
# on the recorded scenarios and the Kafka slices. Usage: bench/report-size.sh [scenario ...]
set -euo pipefail
cd "$(dirname "$0")/.."
cp=$(bench/test-classpath.sh)
java -Dcanaryjudge.shared.dir="${SHARED_DIR:-../shared}" -cp "$cp" io.canaryjudge.report.ReportSizeBenchmark "$@"
