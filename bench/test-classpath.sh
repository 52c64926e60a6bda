#!/usr/bin/env bash
# Compiles canary-judge's tests (and the modules it needs) and prints their test-scope class path, for the
# bench scripts that run a benchmark or evaluation class outside surefire. Run from the project root.
set -euo pipefail
cp_file=$(mktemp)
# Compiling in the same invocation lets the reactor resolve sibling modules to target/classes;
# canary-judge is built last, so the file ends up holding its test-scope classpath.
mvn -B -q -pl canary-judge -am test-compile dependency:build-classpath \
  -Dmdep.outputFile="$cp_file" -Dmdep.includeScope=test >/dev/null
echo "canary-judge/target/test-classes:canary-judge/target/classes:$(cat "$cp_file")"
rm -f "$cp_file"
