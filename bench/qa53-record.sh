#!/usr/bin/env bash
# Culprits under an HTTP framework (qa53): io.canaryjudge.qa53.PricingPod (test sources; a pricing API on Spring
# WebFlux functional endpoints over Reactor Netty, Jackson JSON codecs) recorded as separate JVMs under async-profiler
# 4.2 (itimer 2 ms + alloc 256 KB, JFR slices of 10 s with requests.csv after 40 s warm-up, -XX:+DebugNonSafepoints),
# two pods at a time beside one io.canaryjudge.qa53.PricingLoad JVM (HTTP/1.1 over loopback, 200 requests/s a pod):
# at most 3 JVMs at once. Ports 21301-21302.
#   bench/qa53-record.sh OUT CP
#     b1..b6                            unchanged
#     handler|codec|lambda x1.25 (a,b) and x1.8 (a,b,c):
#       handler  PromotionRules.apply's own loop (called by the handler) x factor
#       codec    AuditLog.record has Jackson write factor x the entries (its cost is Jackson's, below it)
#       lambda   the Reactor map lambda's tax loop (Quotes.lambda$quote$0) x factor
#     alloca, allocb                    a 64 KB scratch table per quote in PromotionRules.apply
#   Each pod into OUT/<name>/ (slice-N.jfr, requests.csv); OUT/<name>.log has the served rate.
# CP: the test class path (bench/test-classpath.sh).
set -euo pipefail
out=$1 cp=$2
flags=(-XX:+UnlockDiagnosticVMOptions -XX:+DebugNonSafepoints -XX:+UseG1GC -Xms128m -Xmx128m)
mkdir -p "$out"
pair() { # name change factor name change factor
  local pids=() ports=() k=0
  while [ $# -ge 3 ]; do
    local name=$1 change=$2 factor=$3; shift 3
    if [ ! -f "$out/.done-$name" ]; then
      local port=$((21301 + k))
      ( nice java "${flags[@]}" -cp "$cp" io.canaryjudge.qa53.PricingPod output="$out/$name" port=$port \
          change=$change factor=$factor slices=4 sliceMillis=10000 warmupMillis=40000 > "$out/$name.log" 2>&1 \
          && touch "$out/.done-$name" ) &
      pids+=($!); ports+=($port); k=$((k + 1))
    fi
  done
  [ ${#pids[@]} -eq 0 ] && return 0
  sleep 4
  nice java -Xmx96m -XX:TieredStopAtLevel=1 -cp "$cp" io.canaryjudge.qa53.PricingLoad \
      ports=$(IFS=,; echo "${ports[*]}") rate=200 seconds=95 > "$out/load-${ports[0]}-$(date +%s).log" 2>&1 &
  local load=$!
  wait "${pids[@]}" || true
  kill "$load" 2>/dev/null || true
  wait "$load" 2>/dev/null || true
}
pair b1 none 1 handler180a handler 1.8
pair b2 none 1 codec180a codec 1.8
pair b3 none 1 lambda180a lambda 1.8
pair handler180b handler 1.8 codec180b codec 1.8
pair lambda180b lambda 1.8 b4 none 1
pair handler125a handler 1.25 codec125a codec 1.25
pair lambda125a lambda 1.25 b5 none 1
pair handler125b handler 1.25 codec125b codec 1.25
pair lambda125b lambda 1.25 alloca alloc 1
pair b6 none 1 allocb alloc 1
pair handler180c handler 1.8 codec180c codec 1.8
pair lambda180c lambda 1.8
