#!/usr/bin/env bash
# heldout5's Go pods re-recorded with CPU (qa99): lays a bench/qa99-heldout5-go2-record.sh recording (OUT/runN/go/NAME)
# out as compare reads it, as bench/heldout5/assemble.sh does for heldout5's Go pods: DEST/NAME with cpu-NN.pb.gz,
# heap-NN.pb.gz, goroutine-NN.pb.gz, requests.csv and heap.csv (GODEBUG=gctrace=1 by bench/qa69-gctrace-heapcsv.py).
#   bench/qa99-heldout5-go2-assemble.sh REC DEST [FIRST_PROFILE_SLICE]
# FIRST_PROFILE_SLICE (default 0): the CPU and heap profiles of earlier slices are left out (to keep the committed data
# small); goroutine profiles and heap.csv keep the whole recording (memory growth needs 10 minutes).
set -euo pipefail
rec=$1; dest=$2; first=${3:-0}
here=$(cd "$(dirname "$0")" && pwd)
keep() { # FILE -> true when its slice number is >= first
  local n=${1##*-}; n=${n%%.*}; [ $((10#$n)) -ge "$first" ]
}
for d in "$rec"/run*/go/*/; do
  pod=$(basename "$d"); run=$(dirname "$(dirname "$d")"); to="$dest/$pod"
  rm -rf "$to"; mkdir -p "$to"
  echo "profile,requests" > "$to/requests.csv"
  for f in "$d"/*.pb.gz; do
    b=$(basename "$f")
    case $b in
      goroutine-*) cp "$f" "$to/" ;;
      *) if keep "$b"; then cp "$f" "$to/"; grep "^$b," "$d/requests.csv" >> "$to/requests.csv" || true; fi ;;
    esac
  done
  python3 "$here/qa69-gctrace-heapcsv.py" "$(cat "$d/start_ms")" "$run/go/$pod.gctrace" > "$to/heap.csv"
done
du -sb "$dest"
