#!/usr/bin/env bash
# Writes what prom-client (Node.js) exports for an HTTP server instrumented as prom-client's README shows
# (http_request_duration_seconds histogram, labels method/route/code, default metrics), after five GET /orders:
# canary-judge/src/test/resources/qa93/prom-client-15.1.3.txt. Uses port 22740 on loopback; needs node and npm.
# Usage: bench/qa93-prom-client-exposition.sh OUT_FILE
set -euo pipefail
out=${1:?usage: $0 OUT_FILE}
work=$(mktemp -d /tmp/qa93-prom-client.XXXX)
here=$(cd "$(dirname "$0")" && pwd)
cp "$here/qa93-prom-client/exposition.js" "$work/"
(cd "$work" && npm init -y >/dev/null && npm install --no-audit --no-fund prom-client@15.1.3 >/dev/null)
(cd "$work" && node exposition.js) > "$out"
rm -rf "$work"
