#!/usr/bin/env bash
# heldout5 (qa95): records the Go ledger service (bench/heldout5/go-ledger) and the Node catalog service
# (bench/heldout5/node-catalog) under real HTTP load over loopback, all pods at once, each SLICES one-minute slices
# after a 20 s warm-up. Then bench/heldout5/assemble.sh OUT DEST lays them out as compare reads them.
#   bench/heldout5/record.sh OUT [SLICES]      # 12 slices: about 13 minutes
# Go pods on 127.0.0.1:22781-22791 (25 requests/s each, 4 keep-alive connections):
#   b1-b4 base, a1 base (A/A), s1 slow15 (settleBalances x1.5), d1 slow2 (x2), n1 newpath (screenSanctions),
#   g1 goleak (one goroutine blocked forever per 200 requests: ~7.5 a minute), h1 heapleak (489 bytes kept per
#   request: 0.7 MiB a minute), c1 base with a connection step (4 -> 40 keep-alive connections 5 minutes in, the
#   same request rate). GODEBUG=gctrace=1 to OUT/go/NAME.gctrace (assemble.sh turns it into heap.csv).
# Node pods on 127.0.0.1:22792-22799 (15 requests/s each): b1-b4 base, a1 base (A/A), s1 slow15 (scoreProducts
#   x1.5), d1 slow2 (x2), n1 newpath (highlightMatches). Node 20 (Debian's), @datadog/pprof 5.8.0 from npm
#   (installed into /tmp/qa95/node).
# Go 1.19 (Debian's golang-go), standard library only. Everything runs under nice.
set -euo pipefail
out=$(realpath -m "$1"); slices=${2:-12}
here=$(cd "$(dirname "$0")" && pwd)
node_app=/tmp/qa95/node
mkdir -p "$out/go" "$out/node" "$node_app"
(cd "$here/go-ledger" && GO111MODULE=off go build -o "$out/ledger" .)
cp "$here/node-catalog/server.js" "$node_app/"
(cd "$node_app" && { [ -d node_modules/@datadog/pprof ] || npm install --no-audit --no-fund @datadog/pprof@5.8.0 >/dev/null; })
pids=''
port=22781
targets=()
for spec in b1:base b2:base b3:base b4:base a1:base s1:slow15 d1:slow2 n1:newpath g1:goleak h1:heapleak c1:base; do
  name=${spec%%:*}; variant=${spec#*:}
  GODEBUG=gctrace=1 nice "$out/ledger" serve -addr 127.0.0.1:$port -out "$out/go/$name" -variant "$variant" \
    -slices "$slices" -goroutine-leak-every 200 -leak-bytes 489 2> "$out/go/$name.gctrace" &
  pids="$pids $!"
  if [ "$name" = c1 ]; then targets+=("go-$name=http://127.0.0.1:$port/settle,ledger,25,4,5m,40")
  else targets+=("go-$name=http://127.0.0.1:$port/settle,ledger,25,4"); fi
  port=$((port + 1))
done
for spec in b1:base b2:base b3:base b4:base a1:base s1:slow15 d1:slow2 n1:newpath; do
  name=${spec%%:*}; variant=${spec#*:}
  (cd "$node_app" && PORT=$port OUT="$out/node/$name" VARIANT=$variant SLICES=$slices nice node server.js \
    > "$out/node/$name.log" 2>&1) &
  pids="$pids $!"
  targets+=("node-$name=http://127.0.0.1:$port/search,search,15,4")
  port=$((port + 1))
done
sleep 2
nice "$out/ledger" load -for $((slices * 60 + 40))s "${targets[@]}" > "$out/load.log" 2>&1 &
load=$!
wait $pids
kill $load 2>/dev/null || true
echo "recorded into $out; next: bench/heldout5/assemble.sh $out DEST"
