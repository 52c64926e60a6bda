# shellcheck shell=bash
# The recording sessions of io.canaryjudge.qa79.MixPod (test sources) that bench/qa79-record.sh and
# bench/qa85-record.sh share: pods as separate JVMs under async-profiler (the pod's own settings: 6 JFR slices after
# 30 s warm-up), a few at a time beside one io.canaryjudge.qa79.MixLoad JVM that gives each pod its own mix. Source it,
# set the variables, call session once per group of pods:
#   out, cp      the output folder (each pod into OUT/<name>/, its log OUT/<name>.log) and the test class path
#   first_port   the group's first pod listens there, the next on the port after, ...
#   slice_ms     each JFR slice's length, milliseconds; the load runs 6 slices + 40 s
#   rate         requests a second per pod
#   mix          an associative array: mix name -> MixLoad weights (/search /quote /product /cart [/export])

# JVM flags of every pod: safepoint-free stacks, one collector and heap size for all
mixpod_flags=(-XX:+UnlockDiagnosticVMOptions -XX:+DebugNonSafepoints -XX:+UseG1GC -Xms128m -Xmx128m)

# session NAME CHANGE FACTOR MIX ...  records the pods at once (MixPod change=CHANGE factor=FACTOR, the load mix[MIX]);
# a pod whose OUT/.done-NAME exists was recorded before and is skipped.
session() {
  local pids=() targets=() k=0
  while [ $# -ge 4 ]; do
    local name=$1 change=$2 factor=$3 m=$4; shift 4
    if [ ! -f "$out/.done-$name" ]; then
      local port=$((first_port + k))
      ( nice java "${mixpod_flags[@]}" -cp "$cp" io.canaryjudge.qa79.MixPod output="$out/$name" port=$port \
          change=$change factor=$factor slices=6 sliceMillis=$slice_ms warmupMillis=30000 > "$out/$name.log" 2>&1 \
          && touch "$out/.done-$name" ) &
      pids+=($!); targets+=("$port:${mix[$m]}"); k=$((k + 1))
    fi
  done
  [ ${#pids[@]} -eq 0 ] && return 0
  sleep 3
  nice java -Xmx96m -XX:TieredStopAtLevel=1 -cp "$cp" io.canaryjudge.qa79.MixLoad \
      targets=$(IFS=,; echo "${targets[*]}") rate=$rate seconds=$((slice_ms * 6 / 1000 + 40)) \
      > "$out/load-$(date +%s).log" 2>&1 &
  local load=$!
  wait "${pids[@]}" || true
  kill "$load" 2>/dev/null || true
  wait "$load" 2>/dev/null || true
}
