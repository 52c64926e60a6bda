#!/usr/bin/env bash
# JIT decisions between JVMs (qa45): io.canaryjudge.qa45.RoutingPod (test sources) pods recorded under async-profiler
# 4.2 (event=itimer,interval=4ms,alloc=32k; JFR slices of 10 s with requests.csv), at most 2 JVMs at once, equal JVM
# flags in every pod; what differs is the warm-up traffic (seed=: the message shape of the first 4 s).
#   bench/qa45-jit.sh record OUT CP
#     b1..b14   base, seeds 1..14, 80 requests/s x 400 messages, 6 slices (1-2: that pod's own earlier window, 3-6 now)
#     slow1..3  Fees.quote 1.3x its rounding steps, seeds 101..103, 4 slices
#     newp1..3  a new Throttle.admit per message, seeds 111..113, 4 slices
#     look1..3  Enricher.tag does its header lookups twice (twice the HashMap lookups), seeds 121..123, 4 slices
#   bench/qa45-jit.sh split OUT    OUT/now/<pod> (slices 3-6 of b*, all slices of the others), OUT/hist/<pod> (1-2)
#   bench/qa45-jit.sh jitlog OUT CP  two base JVMs (seeds 1 and 4) without the profiler, -XX:+PrintCompilation
#     -XX:+PrintInlining, 30 s each, into OUT/jitlog-<seed>.txt
# CP: the test class path (bench/test-classpath.sh).
set -euo pipefail
cmd=$1 out=$2
flags=(-XX:+UnlockDiagnosticVMOptions -XX:+DebugNonSafepoints -XX:+UseG1GC -Xms128m -Xmx128m)
if [ "$cmd" = record ]; then
  cp=$3
  pod() { # name variant seed slices
    [ -f "$out/.done-$1" ] && return 0
    mkdir -p "$out/raw"
    ( nice java "${flags[@]}" -cp "$cp" io.canaryjudge.qa45.RoutingPod output="$out/raw/$1" variant="$2" seed="$3" \
        slices="$4" sliceMillis=10000 warmupMillis=15000 > "$out/$1.log" 2>&1 && touch "$out/.done-$1" ) &
    while [ "$(jobs -rp | wc -l)" -ge 2 ]; do wait -n || true; done
  }
  for i in $(seq 1 14); do pod b$i base $i 6; done
  for i in 1 2 3; do pod slow$i slow $((100 + i)) 4; pod newp$i newpath $((110 + i)) 4; pod look$i lookups $((120 + i)) 4; done
  wait || true
elif [ "$cmd" = split ]; then
  for d in "$out"/raw/*/; do
    name=$(basename "$d"); mkdir -p "$out/now/$name"
    if [ -f "$d/slice-6.jfr" ]; then
      mkdir -p "$out/hist/$name"
      for k in 1 2; do gzip -6c "$d/slice-$k.jfr" > "$out/hist/$name/slice-$k.jfr.gz"; done
      for k in 3 4 5 6; do gzip -6c "$d/slice-$k.jfr" > "$out/now/$name/slice-$k.jfr.gz"; done
      { echo profile,requests; sed -n '2,3p' "$d/requests.csv"; } | sed 's/\.jfr,/.jfr.gz,/' > "$out/hist/$name/requests.csv"
      { echo profile,requests; sed -n '4,7p' "$d/requests.csv"; } | sed 's/\.jfr,/.jfr.gz,/' > "$out/now/$name/requests.csv"
    else
      for f in "$d"/slice-*.jfr; do gzip -6c "$f" > "$out/now/$name/$(basename "$f").gz"; done
      sed 's/\.jfr,/.jfr.gz,/' "$d/requests.csv" > "$out/now/$name/requests.csv"
    fi
  done
elif [ "$cmd" = jitlog ]; then
  cp=$3
  for s in 1 4; do
    timeout 30 nice java "${flags[@]}" -XX:+PrintCompilation -XX:+PrintInlining -cp "$cp" io.canaryjudge.qa45.RoutingPod \
      output="$out/jitlog-run-$s" seed=$s slices=1 sliceMillis=10000 warmupMillis=15000 profiler=event=itimer,interval=100ms \
      > "$out/jitlog-$s.txt" 2>&1 || true
  done
else
  echo "usage: $0 record OUT CP | split OUT | jitlog OUT CP" >&2; exit 64
fi
