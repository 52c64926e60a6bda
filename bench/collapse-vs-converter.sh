#!/usr/bin/env bash
# Compares `canary-judge collapse` with async-profiler's own converter (jfr-converter, Main
# -o collapsed) as whole processes: wall time, CPU and peak RSS, in alternating pairs, medians.
# The converter's flags are chosen per file so that it writes the same stacks (choose_flags),
# and both tools' stack counts are printed beside the figures.
# Also runs the in-process aggregation benchmark (read + Profile.functionTotals).
#
# Needs a build first (this script builds nothing):  mvn -B -q -DskipTests package
# Usage:  bench/collapse-vs-converter.sh            (from the repository root or anywhere)
# Knobs (environment):
#   PAIRS=5            alternating pairs per input and profile type (>= 5 for a median)
#   BIG_MB=64          minimum size of the generated multi-chunk recording, MiB
#   SEED_SECONDS=30    length of the one recording that is repeated to make it
#   BENCH_OUT=bench-out  where generated files and raw results go (git-ignored; never commit)
#   SHARED_DIR=../shared  the read-only fixtures (fixtures/jfr-parser/*.jfr.gz)
#   M2=~/.m2/repository   where Maven put tools.profiler:jfr-converter / async-profiler 4.2
#   SKIP_INPROCESS=1   skip the in-process aggregation benchmark
#   JUDGE_JAR=canary-judge/target/canary-judge.jar  the executable jar measured (e.g. an older build, for before/after)
set -euo pipefail

repo=$(cd "$(dirname "$0")/.." && pwd)
cd "$repo"
pairs=${PAIRS:-5}
big_mb=${BIG_MB:-64}
seed_seconds=${SEED_SECONDS:-30}
out=${BENCH_OUT:-bench-out}
shared=${SHARED_DIR:-$repo/../shared}
m2=${M2:-$HOME/.m2/repository}
converter_jar=$m2/tools/profiler/jfr-converter/4.2/jfr-converter-4.2.jar
profiler_jar=$m2/tools/profiler/async-profiler/4.2/async-profiler-4.2.jar
judge_jar=${JUDGE_JAR:-canary-judge/target/canary-judge.jar}
classes=profile-client/target/classes
test_classes=profile-client/target/test-classes

fail() { echo "collapse-vs-converter: $*" >&2; exit 1; }
[[ -x /usr/bin/time ]] || fail "/usr/bin/time missing (Debian: apt-get install -y time)"
for f in "$judge_jar" "$converter_jar" "$profiler_jar" "$classes" "$test_classes"; do
  [[ -e $f ]] || fail "$f missing: run 'mvn -B -q -DskipTests package' first (and resolve dependencies once)"
done
[[ -d $shared/fixtures/jfr-parser ]] || fail "fixtures not found in $shared/fixtures/jfr-parser (set SHARED_DIR)"

mkdir -p "$out/inputs"
big=$out/inputs/big.jfr
if [[ ! -s $big ]]; then
  echo "generating $big (>= $big_mb MiB from a ${seed_seconds}s async-profiler recording) ..." >&2
  java -XX:+UnlockDiagnosticVMOptions -XX:+DebugNonSafepoints -cp "$test_classes:$profiler_jar" \
    io.canaryjudge.profile.testing.LargeRecording "$big" "$big_mb" "$seed_seconds"
fi
# The converter reads only uncompressed files named *.jfr; both tools get the same plain file.
for gz in "$shared"/fixtures/jfr-parser/*.jfr.gz; do
  plain=$out/inputs/$(basename "$gz" .gz)
  [[ -s $plain ]] || gzip -dc "$gz" > "$plain"
done

# measure LABEL FILE TYPE CMD... -> appends "label file type wall_s user_s sys_s maxrss_kb" to results.
# CPU seconds (user + sys) are reported beside wall time: on a shared machine wall time also
# counts waiting for a core, CPU time does not.
results=$out/collapse-vs-converter.tsv
: > "$results"
: > "$out/stacks.tsv"
measure() {
  local label=$1 file=$2 type=$3; shift 3
  local t; t=$(mktemp)
  # Wall time from bash's microsecond clock around the process (GNU time's %e has 10 ms steps,
  # too coarse for 0.1 s runs); CPU and peak RSS from GNU time.
  local start=$EPOCHREALTIME
  if ! /usr/bin/time -f '%U %S %M' -o "$t" "$@" > /dev/null 2> "$t.err"; then
    echo "FAILED: $* (see $t.err)" >&2; cat "$t.err" >&2; rm -f "$t"; return 1
  fi
  local wall; wall=$(awk -v a="$start" -v b="$EPOCHREALTIME" 'BEGIN { printf "%.4f", b - a }')
  echo "$label $(basename "$file") $type $wall $(tail -1 "$t")" >> "$results"
  rm -f "$t" "$t.err"
}
ours() { # file type
  measure collapse "$1" "$2" java -jar "$judge_jar" collapse "$1" --profile-type "$2"
}
# The converter's flags for the same job as `collapse --profile-type TYPE`. alloc_bytes: --alloc
# --total. cpu: its --cpu keeps only execution samples in thread state STATE_DEFAULT, which is
# how async-profiler marks CPU samples in a cpu+wall recording; every other recording (JDK JFR,
# the Pyroscope agent's, dd-trace-java's) marks them otherwise, and --cpu then drops them all and
# writes nothing. So for cpu the flags are whichever of --cpu and none (all execution samples)
# gives the number of stacks closest to collapse's; ties keep --cpu. The stack counts of both
# tools are printed beside the timings, so that the reader can see they did the same work.
stack_count() { grep -c . "$1" || true; }
declare -A converter_flags=() stacks_ours=() stacks_theirs=()
choose_flags() { # file type
  local key="$1 $2" ours_out=$out/stacks-ours.txt theirs_out=$out/stacks-theirs.txt
  java -jar "$judge_jar" collapse "$1" --profile-type "$2" > "$ours_out"
  stacks_ours[$key]=$(stack_count "$ours_out")
  local candidates=("--alloc --total")
  [[ $2 == cpu ]] && candidates=("--cpu" "")
  local best="" best_stacks="" best_distance=""
  for flags in "${candidates[@]}"; do
    # shellcheck disable=SC2086 # flags are words
    java -cp "$converter_jar" Main -o collapsed $flags "$1" "$theirs_out" > /dev/null
    local n; n=$(stack_count "$theirs_out")
    local distance=$(( n > stacks_ours[$key] ? n - stacks_ours[$key] : stacks_ours[$key] - n ))
    if [[ -z $best_distance ]] || (( distance < best_distance )); then
      best=$flags best_stacks=$n best_distance=$distance
    fi
  done
  converter_flags[$key]=$best
  stacks_theirs[$key]=$best_stacks
  rm -f "$ours_out" "$theirs_out"
}
theirs() { # file type
  local flags
  read -r -a flags <<< "${converter_flags["$1 $2"]}"
  measure converter "$1" "$2" java -cp "$converter_jar" Main -o collapsed "${flags[@]}" "$1" /dev/null
}

inputs=("$big" "$out"/inputs/*.jfr)
declare -A seen=()
for file in "${inputs[@]}"; do
  [[ -n ${seen[$file]:-} ]] && continue; seen[$file]=1
  types=(cpu)
  case $(basename "$file") in
    big.jfr|async-profiler.jfr|dd-trace-java.jfr|FastSlow*) types+=(alloc_bytes) ;;
  esac
  for type in "${types[@]}"; do
    choose_flags "$file" "$type"
    echo "$(basename "$file") $type: $pairs pairs; converter flags '${converter_flags["$file $type"]}';" \
      "stacks: collapse ${stacks_ours["$file $type"]}, converter ${stacks_theirs["$file $type"]}" >&2
    echo "$(basename "$file") $type ${stacks_ours["$file $type"]} ${stacks_theirs["$file $type"]} ${converter_flags["$file $type"]:-(none)}" >> "$out/stacks.tsv"
    for ((i = 0; i < pairs; i++)); do
      if (( i % 2 == 0 )); then ours "$file" "$type"; theirs "$file" "$type"
      else theirs "$file" "$type"; ours "$file" "$type"; fi
    done
  done
done

echo
echo "Medians of $pairs alternating pairs (wall s, CPU s = user + sys, peak RSS MiB); raw: $results"
printf '| input | MiB | type | converter flags | stacks collapse / converter | collapse wall s | converter wall s | collapse CPU s | converter CPU s | collapse RSS MiB | converter RSS MiB |\n'
printf '|---|---:|---|---|---:|---:|---:|---:|---:|---:|---:|\n'
awk -v dir="$out/inputs" -v stacks="$out/stacks.tsv" '
  function median(list,   n, a, i, j, t) {
    n = split(list, a, " ")
    for (i = 2; i <= n; i++) { t = a[i]; for (j = i - 1; j >= 1 && a[j] + 0 > t + 0; j--) a[j + 1] = a[j]; a[j + 1] = t }
    return n % 2 ? a[(n + 1) / 2] : (a[n / 2] + a[n / 2 + 1]) / 2
  }
  { key = $2 " " $3; if (!(key in order)) { order[key] = ++k; keys[k] = key }
    sec[$1, key] = sec[$1, key] " " $4; cpu[$1, key] = cpu[$1, key] " " ($5 + $6); rss[$1, key] = rss[$1, key] " " $7 }
  END {
    while ((getline line < stacks) > 0) {
      split(line, f, " "); flags = f[5]; for (j = 6; j in f; j++) flags = flags " " f[j]
      count[f[1] " " f[2]] = f[3] " / " f[4]; how[f[1] " " f[2]] = flags
    }
    for (i = 1; i <= k; i++) {
      split(keys[i], p, " ")
      cmd = "stat -c %s \"" dir "/" p[1] "\""; cmd | getline size; close(cmd)
      printf "| %s | %.1f | %s | %s | %s | %.3f | %.3f | %.2f | %.2f | %.1f | %.1f |\n", p[1], size / 1048576, p[2],
        how[keys[i]], count[keys[i]],
        median(sec["collapse", keys[i]]), median(sec["converter", keys[i]]),
        median(cpu["collapse", keys[i]]), median(cpu["converter", keys[i]]),
        median(rss["collapse", keys[i]]) / 1024, median(rss["converter", keys[i]]) / 1024
    }
  }' "$results"

if [[ -z ${SKIP_INPROCESS:-} ]]; then
  echo
  echo "In-process: read + Profile.functionTotals vs the converter's own read + aggregate"
  fixtures=()
  for file in "$out"/inputs/*.jfr; do [[ $file -ef $big ]] || fixtures+=("$file"); done
  java -cp "$classes:$test_classes:$converter_jar" io.canaryjudge.profile.testing.AggregationBenchmark \
    "$big" "${fixtures[@]}"
fi
