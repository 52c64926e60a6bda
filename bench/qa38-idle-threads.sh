#!/usr/bin/env bash
# qa38: the same code with a bigger, mostly idle worker pool, recorded under async-profiler 4.2 wall-clock sampling,
# to see what a wall profile's total per request and its shares say of idle threads.
#   bench/qa38-idle-threads.sh record OUT   b1 b2 b3 (workers=8) and w1 w2 (workers=32), 3 at a time; needs
#                                           canary-judge/target/test-classes (mvn -pl canary-judge -am test-compile)
#   bench/qa38-idle-threads.sh judge OUT JAR   baseline b1 b2 b3 against w1 w2, and A/A b1 b2 against b3, with
#                                           wall in failOnTypes; prints each headline and the wall note
set -euo pipefail
cmd=$1 out=$2
cp="canary-judge/target/test-classes:$HOME/.m2/repository/tools/profiler/async-profiler/4.2/async-profiler-4.2.jar"
pod() { # name workers
  nice java -XX:+UnlockDiagnosticVMOptions -XX:+DebugNonSafepoints -XX:+UseG1GC -Xms128m -Xmx128m -cp "$cp" \
    io.canaryjudge.qa32.BlockingPod output="$out/$1" variant=base workers="$2" rate=400 priceWork=15000 \
    slices=3 sliceMillis=5000 warmupMillis=10000 profiler=wall=20ms > "$out/$1.log" 2>&1
}
if [ "$cmd" = record ]; then
  mkdir -p "$out"
  pod b1 8 & pod b2 8 & pod w1 32 & wait
  pod b3 8 & pod w2 32 & wait
elif [ "$cmd" = judge ]; then
  jar=$3
  printf 'failOnTypes: [cpu, wall]\n' > "$out/fail.yaml"
  for run in "w: --baseline $out/b1 --baseline $out/b2 --baseline $out/b3 --canary $out/w1 --canary $out/w2" \
             "aa: --baseline $out/b1 --baseline $out/b2 --canary $out/b3"; do
    name=${run%%:*}
    # shellcheck disable=SC2086
    nice java -jar "$jar" compare --profile-type wall --config "$out/fail.yaml" ${run#*:} > "$out/$name.txt" 2>/dev/null || true
    echo "== $name"; head -1 "$out/$name.txt"; grep "per request" "$out/$name.txt" | grep -v "^FAIL\|^PASS\|^INCON" || true
  done
else
  echo "usage: $0 record OUT | judge OUT JAR" >&2; exit 64
fi
