#!/usr/bin/env bash
# A canary that keeps the JIT busy (qa70): io.canaryjudge.qa45.RoutingPod pods (test sources) under async-profiler 4.2
# (event=itimer,interval=4ms,alloc=32k; 10 s JFR slices with requests.csv), qa45's JVM flags, all 7 JVMs at once.
#   bench/qa70-jit.sh record OUT CP
#     b1 b2 b3  warm baseline pods (base, seeds 1-3): 30 s warm-up, then 69 slices (11.5 min)
#     aa        a warm A/A canary (base, seed 5), started and recorded as the baseline pods
#     young     an unchanged canary (base, seed 6) started 3.5 min after the baseline pods, recorded from its start
#     deopt     variant deopt (seed 7): a MutableCallSite re-pointed per request, started as young
#     classes   variant classes (seed 8): a new hidden class per request, started as young
#     canaries started so: 48 slices (8 min) from their start, warmupMillis=0 (the first slice begins with the JVM).
#   bench/qa70-jit.sh split OUT  OUT/w1/<pod> (the canaries' minutes 0-3: their slices 1-18, the warm pods' 19-36),
#     OUT/w2/<pod> (minutes 3-8: canaries' 19-48, warm pods' 37-66), OUT/h1/<pod> and OUT/h2/<pod> (the warm pods'
#     3 min before each window: slices 1-18 and 19-36) as --history; OUT/w1b/<pod>: the canaries' minutes 0-3 against
#     the warm pods' slices 37-54 (the warm pods were still compiling until about their slice 30 at this load), with
#     OUT/h2 as history.
#   bench/qa70-jit.sh jitlog OUT CP  the deopt, classes and a base JVM under the profiler at 100 ms for 45 s each,
#     -XX:+PrintCompilation, into OUT/jitlog-<variant>.txt
# CP: the test class path (bench/test-classpath.sh). Rate 20 requests/s x 100 messages (the machine was at load average 30-60 from other work).
set -euo pipefail
cmd=$1 out=$2
flags=(-XX:+UnlockDiagnosticVMOptions -XX:+DebugNonSafepoints -XX:+UseG1GC -Xms128m -Xmx128m)
if [ "$cmd" = record ]; then
  cp=$3
  mkdir -p "$out/raw"
  pod() { # name variant seed slices warmupMillis
    nice java "${flags[@]}" -cp "$cp" io.canaryjudge.qa45.RoutingPod output="$out/raw/$1" variant="$2" seed="$3" \
        slices="$4" sliceMillis=10000 warmupMillis="$5" rate=20 batch=100 > "$out/$1.log" 2>&1 &
  }
  pod b1 base 1 69 30000; pod b2 base 2 69 30000; pod b3 base 3 69 30000; pod aa base 5 69 30000
  sleep 210
  pod young base 6 48 0; pod deopt deopt 7 48 0; pod classes classes 8 48 0
  wait
elif [ "$cmd" = split ]; then
  cut() { # pod dest first last
    local d="$out/raw/$1" dest="$out/$2/$1"
    mkdir -p "$dest"; echo profile,requests > "$dest/requests.csv"
    for k in $(seq "$3" "$4"); do
      gzip -6c "$d/slice-$k.jfr" > "$dest/slice-$k.jfr.gz"
      grep "^slice-$k.jfr," "$d/requests.csv" | sed 's/\.jfr,/.jfr.gz,/' >> "$dest/requests.csv"
    done
  }
  for p in b1 b2 b3 aa; do cut $p w1 19 36; cut $p w2 37 66; cut $p h1 1 18; cut $p h2 19 36; cut $p w1b 37 54; done
  for p in young deopt classes; do cut $p w1 1 18; cut $p w2 19 48; cp -r "$out/w1/$p" "$out/w1b/$p"; done
elif [ "$cmd" = jitlog ]; then
  cp=$3
  for v in base deopt classes; do
    timeout 45 nice java "${flags[@]}" -XX:+PrintCompilation -cp "$cp" io.canaryjudge.qa45.RoutingPod \
      output="$out/jitlog-run-$v" variant=$v seed=7 slices=1 sliceMillis=40000 warmupMillis=0 rate=20 batch=100 \
      profiler=event=itimer,interval=100ms > "$out/jitlog-$v.txt" 2>&1 || true
  done
else
  echo "usage: $0 record OUT CP | split OUT | jitlog OUT CP" >&2; exit 64
fi
