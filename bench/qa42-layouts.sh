#!/usr/bin/env bash
# Pod layouts (qa42): io.canaryjudge.qa42.LedgerPod (test sources) pods recorded under async-profiler 4.2
# (event=itimer,interval=4ms,alloc=64k; JFR slices of 10 s with requests.csv), at most 3 JVMs at once.
#   bench/qa42-layouts.sh record OUT CP
#     b1..b10  base, 40 requests/s, 6 slices (slices 1-2 serve as that pod's history, 3-6 as now: see split)
#     big1,2   base at 120/s (a pod on a bigger node: 3x the samples), 4 slices
#     late1,2  base, 1 slice of 4 s (a pod started late: a tenth of a 4-slice pod's samples)
#     frac1,2  base at 8/s (a pod that served a fifth of the traffic), 4 slices
#     slow1..6 Fx.convert rounds 1.4x as often (about 5 % of CPU -> 7 %), 40/s, 4 slices
#     newp1..6 a new Fraud.screen per transfer (about 1-2 % of CPU), 40/s, 4 slices
#     alloc1..3 Journal.serialize keeps a padded copy of each line (allocation only), 40/s, 4 slices
#     slowfrac1, newpfrac1 the slow and newpath canaries at 8/s
#   bench/qa42-layouts.sh split OUT   now/<pod> (slices 3-6 of b1..b10, all slices of the others) and hist/<pod>
#     (slices 1-2 of b1..b10), each with its requests.csv; the JFR files gzipped.
#   bench/qa42-layouts.sh split2 OUT  2-slice pods for 1v1 with two earlier windows of the baseline pod's own JVM:
#     OUT/w2/now/<pod> (slices 5-6 of b1..b10, 3-4 of slow1-4, newp1-4), OUT/w2/h1/<pod> (1-2), OUT/w2/h2/<pod> (3-4)
# CP: the test class path (bench/test-classpath.sh). JIT inlining of the pod's own classes is off (CompileCommand
# dontinline) so samples land on the method that ran, as in a service of deeper calls.
set -euo pipefail
cmd=$1 out=$2
if [ "$cmd" = record ]; then
  cp=$3
  pod() { # name variant rate slices sliceMillis
    [ -f "$out/.done-$1" ] && return 0
    mkdir -p "$out/raw"
    ( nice java -XX:+UnlockDiagnosticVMOptions -XX:+DebugNonSafepoints -XX:CompileCommand=quiet \
        '-XX:CompileCommand=dontinline,io.canaryjudge.qa42.LedgerPod$*::*' -XX:+UseG1GC -Xms128m -Xmx128m \
        -cp "$cp" io.canaryjudge.qa42.LedgerPod output="$out/raw/$1" variant="$2" rate="$3" slices="$4" \
        sliceMillis="$5" warmupMillis=15000 profiler=event=itimer,interval=4ms,alloc=64k > "$out/$1.log" 2>&1 \
        && touch "$out/.done-$1" ) &
    while [ "$(jobs -rp | wc -l)" -ge 3 ]; do wait -n || true; done
  }
  for i in 1 2 3 4 5 6 7 8 9 10; do pod b$i base 40 6 10000; done
  for i in 1 2 3 4 5 6; do pod slow$i slow 40 4 10000; pod newp$i newpath 40 4 10000; done
  for i in 1 2 3; do pod alloc$i alloc 40 4 10000; done
  for i in 1 2; do pod big$i base 120 4 10000; pod late$i base 40 1 4000; pod frac$i base 8 4 10000; done
  pod slowfrac1 slow 8 4 10000; pod newpfrac1 newpath 8 4 10000
  wait || true
elif [ "$cmd" = split ]; then
  for d in "$out"/raw/*/; do
    name=$(basename "$d"); mkdir -p "$out/now/$name"
    if [ -f "$d/slice-6.jfr" ]; then
      mkdir -p "$out/hist/$name"
      for k in 1 2; do gzip -9c "$d/slice-$k.jfr" > "$out/hist/$name/slice-$k.jfr.gz"; done
      for k in 3 4 5 6; do gzip -9c "$d/slice-$k.jfr" > "$out/now/$name/slice-$k.jfr.gz"; done
      { echo profile,requests; sed -n '2,3p' "$d/requests.csv"; } | sed 's/\.jfr,/.jfr.gz,/' > "$out/hist/$name/requests.csv"
      { echo profile,requests; sed -n '4,7p' "$d/requests.csv"; } | sed 's/\.jfr,/.jfr.gz,/' > "$out/now/$name/requests.csv"
    else
      for f in "$d"/slice-*.jfr; do gzip -9c "$f" > "$out/now/$name/$(basename "$f").gz"; done
      sed 's/\.jfr,/.jfr.gz,/' "$d/requests.csv" > "$out/now/$name/requests.csv"
    fi
  done
elif [ "$cmd" = split2 ]; then
  part() { # pod into first second
    local d="$out/raw/$1"; mkdir -p "$out/w2/$2/$1"; echo profile,requests > "$out/w2/$2/$1/requests.csv"
    for k in $3 $4; do
      gzip -1c "$d/slice-$k.jfr" > "$out/w2/$2/$1/slice-$k.jfr.gz"
      sed -n "$((k + 1))p" "$d/requests.csv" | sed 's/\.jfr,/.jfr.gz,/' >> "$out/w2/$2/$1/requests.csv"
    done
  }
  for i in 1 2 3 4 5 6 7 8 9 10; do part b$i now 5 6; part b$i h1 1 2; part b$i h2 3 4; done
  for p in slow1 slow2 slow3 slow4 newp1 newp2 newp3 newp4; do part $p now 3 4; done
else
  echo "usage: $0 record OUT CP | split OUT | split2 OUT" >&2; exit 64
fi
