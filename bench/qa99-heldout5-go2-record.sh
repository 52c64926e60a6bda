#!/usr/bin/env bash
# heldout5's Go pods re-recorded with CPU (qa99): the same Go ledger program as heldout5 (bench/heldout5/go-ledger,
# unchanged) and the same eleven pods and changes, but each pod offered enough requests to give the CPU profiler
# about 1,500+ samples a minute (heldout5's 25 requests/s gave ~240: ~1.5 ms of CPU a request), and recorded a few
# pods at a time in sequential runs instead of all 19 processes at once:
#   run 1: b1 b2 s1 d1    run 2: b3 a1 n1 g1    run 3: b4 h1 c1
# so every run holds unchanged pods and every comparison mixes pods of different runs (as a canary's pods on
# differently loaded nodes). Per run a 20 s warm-up, then SLICES one-minute slices (12: ≈ 13 min a run, ≈ 40 min).
#   bench/qa99-heldout5-go2-record.sh OUT [SLICES] [RATE]
#   bench/qa99-heldout5-go2-assemble.sh OUT DEST FIRST   # then lays them out as compare reads them
# RATE (200) requests/s offered per pod, 4 keep-alive connections, open loop (dropped when every connection is busy
# and the queue full). The leaks are kept at heldout5's per-minute rates at the higher request rate, by the program's
# own flags: one goroutine blocked forever per 1,600 requests (7.5 a minute at 200/s, heldout5: 1 per 200 at 25/s)
# and 32 bytes kept per request (≈ 0.7 MiB a minute with the slice's own growth; heldout5: 489 bytes at 25/s). c1:
# 4 -> 40 keep-alive connections from 5 minutes into the load, the same rate. Ports 127.0.0.1:22860-22863.
# OUT/runN/load-average.txt: `uptime` every 30 s during the run (the machine is shared). Everything under nice -n 10.
set -euo pipefail
out=$(realpath -m "$1"); slices=${2:-12}; rate=${3:-200}
here=$(cd "$(dirname "$0")" && pwd)
mkdir -p "$out"
(cd "$here/heldout5/go-ledger" && GO111MODULE=off go build -o "$out/ledger" .)
leak_every=$((rate * 60 * 2 / 15))      # 7.5 goroutines a minute at the offered rate
run=0
for pods in "b1:base b2:base s1:slow15 d1:slow2" "b3:base a1:base n1:newpath g1:goleak" "b4:base h1:heapleak c1:base"; do
  run=$((run + 1)); dir="$out/run$run"; mkdir -p "$dir/go"
  pids=''; port=22860; targets=()
  for spec in $pods; do
    name=${spec%%:*}; variant=${spec#*:}
    GODEBUG=gctrace=1 nice -n 10 "$out/ledger" serve -addr 127.0.0.1:$port -out "$dir/go/$name" -variant "$variant" \
      -slices "$slices" -goroutine-leak-every "$leak_every" -leak-bytes 32 2> "$dir/go/$name.gctrace" &
    pids="$pids $!"
    if [ "$name" = c1 ]; then targets+=("go-$name=http://127.0.0.1:$port/settle,ledger,$rate,4,5m,40")
    else targets+=("go-$name=http://127.0.0.1:$port/settle,ledger,$rate,4"); fi
    port=$((port + 1))
  done
  sleep 2
  nice -n 10 "$out/ledger" load -for $((slices * 60 + 40))s "${targets[@]}" > "$dir/load.log" 2>&1 &
  load=$!
  (while kill -0 $load 2>/dev/null; do uptime >> "$dir/load-average.txt"; sleep 30; done) &
  watch=$!
  wait $pids
  kill $load 2>/dev/null || true
  kill $watch 2>/dev/null || true
  echo "run $run ($pods) recorded into $dir"
done
echo "next: bench/qa99-heldout5-go2-assemble.sh $out DEST FIRST"
