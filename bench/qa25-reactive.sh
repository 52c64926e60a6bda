#!/usr/bin/env bash
# Records the qa25 quote service (io.canaryjudge.qa25.QuotePod, test sources) as pods and judges them with
# `compare --slice 10s`: Reactor Netty pods on this Java (17) and virtual-thread pods on JDK 25.
#   bench/qa25-reactive.sh record OUT [JDK25_JAVA]   6 A pods and 3 of each change per mode, 30 s each, one at a time
#   bench/qa25-reactive.sh judge OUT MODE [JAR]     prints one line per case (A/A, CPU50, CPU100, NEWPATH, ALLOC) and layout
# Run from the project root, after `mvn -B -q -o -DskipTests package`. Uses port 18501.
set -euo pipefail
cmd=$1 out=$2
if [ "$cmd" = record ]; then
  java25=${3:-/usr/lib/jvm/temurin-25-jdk-amd64/bin/java}
  cp=$(bench/test-classpath.sh)
  for k in 1 2 3; do
    for mode in reactor virtual; do
      java=java; [ "$mode" = virtual ] && java=$java25
      for v in A1 A2 CPU50 CPU100 NEWPATH ALLOC; do
        case $v in A1) var=A; n=$((2*k-1));; A2) var=A; n=$((2*k));; *) var=$v; n=$k;; esac
        mkdir -p "$out/$mode/$var/pod$n"
        nice "$java" -XX:+UnlockDiagnosticVMOptions -XX:+DebugNonSafepoints -Xmx256m -cp "$cp" \
          io.canaryjudge.qa25.QuotePod "$mode" "$var" "$out/$mode/$var/pod$n/profile.jfr" 30 18501 2>>"$out/log.txt"
      done
    done
  done
else
  python3 "$(dirname "$0")/qa25-judge.py" "$3" "$out" "${4:-canary-judge/target/canary-judge.jar}"
fi
