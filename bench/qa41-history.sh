#!/usr/bin/env bash
# History unlike now (qa41): io.canaryjudge.qa41.HistoryShiftPod (test sources) pods recorded under async-profiler 4.2
# (itimer 500 us, alloc 16k, JFR slices of 10 s with requests.csv), at most 3 JVMs at once.
#   bench/qa41-history.sh record OUT CP
#     b1..b3 (baseline, variant base) record, in one JVM each, consecutive phases into OUT/<phase>/<pod>:
#       young  120/s 2 slices from JVM start (a restarted pod's first 20 s)
#       night   40/s 4 slices (a third of the load)
#       storm  120/s 4 slices; in b2 only a dependency times out for 40 % of requests (3 retries, an exception each)
#       flag   120/s 4 slices, a feature flag shrinks the item cache from 1,500 to 400 items (more Catalog.load)
#       gap    120/s 1 slice, not used (the flag back off; a gap between history and now)
#       now    120/s 4 slices (the analysis window)
#     canaries after 60 s at 120/s, 4 slices into OUT/now/<pod>: a1..a3 base (A/A), s1..s3 slow (Tariff.applyTax
#     +45 % loop), n1..n3 newpath (Recommend.similar per request); p1..p3 the previous stable version (variant prev)
#     into OUT/prev/<pod>.
# CP: the test class path (bench/test-classpath.sh). JIT inlining of the pod's own classes is off
# (CompileCommand dontinline) so itimer samples land on the method that ran, as in a service of deeper calls.
set -euo pipefail
cmd=$1 out=$2
if [ "$cmd" = record ]; then
  cp=$3
  pod() { # name variant warmupMillis phases
    [ -f "$out/.done-$1" ] && return 0
    mkdir -p "$out"
    ( nice java -XX:+UnlockDiagnosticVMOptions -XX:+DebugNonSafepoints -XX:CompileCommand=quiet \
        '-XX:CompileCommand=dontinline,io.canaryjudge.qa41.HistoryShiftPod$*::*' -XX:+UseG1GC -Xms128m -Xmx128m \
        -cp "$cp" io.canaryjudge.qa41.HistoryShiftPod output="$out" pod="$1" variant="$2" warmupMillis="$3" profiler=event=itimer,interval=500us,alloc=16k \
        phases="$4" sliceMillis=10000 > "$out/$1.log" 2>&1 && touch "$out/.done-$1" ) &
    while [ "$(jobs -rp | wc -l)" -ge 3 ]; do wait -n || true; done
  }
  for i in 1 2 3; do
    storm=normal; [ $i = 2 ] && storm=storm
    pod b$i base 0 "young:120:2:normal,night:40:4:normal,storm:120:4:$storm,flag:120:4:flag,gap:120:1:normal,now:120:4:normal"
  done
  for v in a:base s:slow n:newpath; do
    for i in 1 2 3; do pod ${v%%:*}$i ${v#*:} 60000 "now:120:4:normal"; done
  done
  for i in 1 2 3; do pod p$i prev 60000 "prev:120:4:normal"; done
  wait || true
else
  echo "usage: $0 record OUT CP" >&2; exit 64
fi
