#!/usr/bin/env bash
# Allocation as the signal (qa43): io.canaryjudge.qa43.EnrichPod (test sources) pods, an event-enrichment service
# recorded under async-profiler 4.2 (CPU and allocation in one session) or the JDK's JFR, judged with `compare`
# (docs/EVALUATION.md "Allocation as the signal (qa43)").
#   bench/qa43-alloc.sh record OUT CP [NAME ...]   JVMs at most 3 at once; NAME (default all below):
#        b1-b12 the unchanged build (event=itimer,interval=500us,alloc=32k, G1, 2,000 requests/s, 4 slices of 10 s after 15 s);
#        bigbuf1-3 Framer.frame buffers 30 % larger; smallobjs1-3 the same bytes as 32-byte chunks; newpath1-3 a new
#        AuditTrail.note per request; escape1-3 the geo point escapes; cpu1-3 Enricher.enrich hashes more (CPU only);
#        jb1-jb6 the unchanged build under the JDK's JFR (jdk.ObjectAllocationSample 150/s, jdk.ExecutionSample 20 ms),
#        jbigbuf1-3 bigbuf under the JDK's JFR.
#   bench/qa43-alloc.sh judge OUT JAR RESULTS [ARGS...]   every A/A split of b1-b12 (1v1, 1v3, 2v2, 3v3, drawn by
#        bench/qa43-splits.py) and every change (3v3, 2v2, 3 baselines v 1 canary x3): one JSON per run in RESULTS
#        (ARGS go to compare, e.g. --history), then one line per run: case result failing-types | summary
# CP: the test class path (bench/test-classpath.sh).
set -euo pipefail
cmd=$1 out=$2
if [ "$cmd" = record ]; then
  cp=$3; shift 3
  names=${*:-b1 b2 b3 b4 b5 b6 b7 b8 b9 b10 b11 b12 bigbuf1 bigbuf2 bigbuf3 smallobjs1 smallobjs2 smallobjs3
    newpath1 newpath2 newpath3 escape1 escape2 escape3 cpu1 cpu2 cpu3 jb1 jb2 jb3 jb4 jb5 jb6 jbigbuf1 jbigbuf2 jbigbuf3}
  for name in $names; do
    [ -f "$out/$name/requests.csv" ] && continue
    mkdir -p "$out"
    jvm=(-XX:+UnlockDiagnosticVMOptions -XX:+DebugNonSafepoints -XX:+UseG1GC -Xms256m -Xmx256m)
    pod=(rate=2000 slices=4 sliceMillis=10000 warmupMillis=15000 profiler=event=itimer,interval=500us,alloc=32k)
    base=${name%%[0-9]*}
    case $base in
      b) pod+=(variant=base) ;;
      bigbuf|smallobjs|newpath|escape|cpu) pod+=(variant=$base) ;;
      jb) pod+=(variant=base profiler=jdk) ;;
      jbigbuf) pod+=(variant=bigbuf profiler=jdk) ;;
      *) echo "unknown pod $name" >&2; exit 64 ;;
    esac
    nice java "${jvm[@]}" -cp "$cp" io.canaryjudge.qa43.EnrichPod output="$out/$name" "${pod[@]}" > "$out/$name.log" 2>&1 &
    # at most 3 JVMs at once on the shared machine
    while [ "$(jobs -rp | wc -l)" -ge 3 ]; do wait -n || true; done
  done
  wait || true
elif [ "$cmd" = judge ]; then
  jar=$3 results=$4; shift 4; mkdir -p "$results"
  run() { # name baseline... -- canary...
    local name=$1 side=--baseline; shift; local args=()
    for p in "$@"; do if [ "$p" = -- ]; then side=--canary; else args+=("$side" "$out/$p"); fi; done
    [ -f "$results/$name.json" ] || nice java -jar "$jar" compare --format json "${args[@]}" "${EXTRA[@]}" \
      > "$results/$name.json" 2>/dev/null || true
  }
  EXTRA=("$@")
  while read -r name spec; do run "$name" $spec; done < <(python3 "$(dirname "$0")/qa43-splits.py")
  for f in "$results"/*.json; do
    n=$(basename "$f" .json)
    echo "$n $(jq -r '.result + " " + ([.findings[] | select(.failing) | .profileType] | unique | join(",")) + " | " + .summary' "$f")"
  done
else
  echo "usage: $0 record OUT CP [NAME ...] | judge OUT JAR RESULTS [ARGS...]" >&2; exit 64
fi
