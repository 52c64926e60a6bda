#!/usr/bin/env bash
# heldout5 (qa95): lays a bench/heldout5/record.sh recording out as compare reads it (docs/CLI.md "Instances and
# slices"), one directory per pod: DEST/go/NAME (cpu-NN.pb.gz, heap-NN.pb.gz, goroutine-NN.pb.gz, requests.csv,
# heap.csv from GODEBUG=gctrace=1 by bench/qa69-gctrace-heapcsv.py) and DEST/node/NAME (wall-NN.pb.gz,
# heap-NN.pb.gz renamed as Pyroscope's Node SDK uploads them by node-heap-as-sdk.js, requests.csv).
#   bench/heldout5/assemble.sh REC DEST [FIRST_PROFILE_SLICE]
# FIRST_PROFILE_SLICE (default 0): the CPU, wall and heap profiles of earlier slices are left out (to keep the
# committed data small); goroutine profiles and heap.csv keep the whole recording (memory growth needs 10 minutes).
set -euo pipefail
rec=$1; dest=$2; first=${3:-0}
here=$(cd "$(dirname "$0")" && pwd)
keep() { # FILE -> true when its slice number is >= first
  local n=${1##*-}; n=${n%%.*}; [ $((10#$n)) -ge "$first" ]
}
for lang in go node; do
  for d in "$rec/$lang"/*/; do
    pod=$(basename "$d"); to="$dest/$lang/$pod"
    rm -rf "$to"; mkdir -p "$to"
    echo "profile,requests" > "$to/requests.csv"
    for f in "$d"/*.pb.gz; do
      b=$(basename "$f")
      case $b in
        goroutine-*) cp "$f" "$to/" ;;
        *) if keep "$b"; then cp "$f" "$to/"; grep "^$b," "$d/requests.csv" >> "$to/requests.csv" || true; fi ;;
      esac
    done
    if [ "$lang" = node ]; then # the heap files as Pyroscope's Node SDK uploads them (inuse_space / inuse_objects)
      ls "$to"/heap-*.pb.gz >/dev/null 2>&1 && node "$here/node-heap-as-sdk.js" "$to"/heap-*.pb.gz
    fi
    if [ "$lang" = go ]; then
      python3 "$here/../qa69-gctrace-heapcsv.py" "$(cat "$d/start_ms")" "$rec/go/$pod.gctrace" > "$to/heap.csv"
    fi
  done
done
du -sh "$dest"
