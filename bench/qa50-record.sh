#!/usr/bin/env bash
# Culprits with one canary pod (qa50): io.canaryjudge.qa50.ReportPod (test sources, a reporting service on Reactor,
# commons-math3, Guava, jsoup, commons-lang3 and Jackson) recorded as separate JVMs under async-profiler 4.2
# (itimer 4 ms, JFR slices of 10 s with requests.csv, -XX:+DebugNonSafepoints), at most 3 JVMs at once.
#   bench/qa50-record.sh OUT CP
#     b1..b8                      unchanged, 4 slices (45 s warm-up first)
#     deep|lib|lambda x 1.15|1.3|1.6, two JVMs each (e.g. deep130a, deep130b), 4 slices:
#       deep    Normalizer.normalize's own loop (called inside Reactor's operators) x factor
#       lib     Summary.describe asks commons-math3 for factor x the percentiles (its cost is library code below it)
#       lambda  Scoring.score's own loop (called from a stream's lambda) x factor
#   Each pod into OUT/<name>/ (slice-N.jfr, requests.csv); OUT/<name>.log has the served rate.
# CP: the test class path (bench/test-classpath.sh; absolute paths, or run from the repository root).
set -euo pipefail
out=$1 cp=$2
flags=(-XX:+UnlockDiagnosticVMOptions -XX:+DebugNonSafepoints -XX:+UseG1GC -Xms128m -Xmx128m)
mkdir -p "$out"
pod() { # name change factor
  [ -f "$out/.done-$1" ] && return 0
  ( nice java "${flags[@]}" -cp "$cp" io.canaryjudge.qa50.ReportPod output="$out/$1" change="$2" factor="$3" \
      rate=300 slices=4 sliceMillis=10000 warmupMillis=45000 > "$out/$1.log" 2>&1 && touch "$out/.done-$1" ) &
  while [ "$(jobs -rp | wc -l)" -ge 3 ]; do wait -n || true; done
}
for i in 1 2 3 4; do pod b$i none 1; done
for f in 130 160 115; do
  for c in deep lib lambda; do
    pod $c${f}a $c $(echo "scale=2; $f/100" | bc); pod $c${f}b $c $(echo "scale=2; $f/100" | bc)
  done
  [ $f = 130 ] && for i in 5 6; do pod b$i none 1; done
  [ $f = 160 ] && for i in 7 8; do pod b$i none 1; done
done
wait || true
