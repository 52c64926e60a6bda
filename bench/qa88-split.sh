#!/usr/bin/env bash
# qa88: each goroutine profile of the given pods split as ConnectionGoroutines reads it (from the leaf, a gRPC transport
# or net/http connection frame before any handler frame or main. frame): "connections/rest" per listed minute.
#   bench/qa88-split.sh REC "1 5 9 13 16" b1 r1 r2 h1
set -euo pipefail
rec=$1 minutes=$2
shift 2
for pod in "$@"; do
  row="$pod:"
  for m in $minutes; do
    row+=" $(go tool pprof -traces "$rec/$pod/goroutine-$(printf %02d "$m").pb.gz" 2>/dev/null | awk '
      function flush() { if (n > 0) { if (conn) c += n; else r += n }; n = 0; decided = 0; conn = 0 }
      /^-+\+-+$/ { flush(); next }
      /^ +[0-9]+ +[^ ]/ { flush(); n = $1; line = $2 } 
      /^ +[^ 0-9]/ { line = $1 }
      (n > 0 && line != "" && !decided) {
        if (line ~ /^google\.golang\.org\/grpc\/internal\/transport\.\((\*http2Server\)\.(HandleStreams|keepalive)|\*loopyWriter\)\.run)$/ ||
            line ~ /^net\/http\.\(\*(conn\)\.serve|connReader\)\.backgroundRead|http2serverConn\)\.(serve|readFrames))$/) { conn = 1; decided = 1 }
        else if (line ~ /^main\./ || line == "google.golang.org/grpc.(*Server).handleStream" || line == "net/http.serverHandler.ServeHTTP") { decided = 1 }
        line = ""
      }
      END { flush(); printf "%d/%d", c, r }')"
  done
  echo "$row"
done
