#!/usr/bin/env bash
# Every 10 s, each pod port's Micrometer /metrics (the memory series bench/qa51-areas.py needs) appended to OUT/PORT.txt
# after a line "# scrape_ms EPOCH_MS" (qa51: areas.csv without a Prometheus). Runs until killed.
#   bench/qa51-scrape.sh OUT FIRST_PORT LAST_PORT      e.g. bench/qa51-scrape.sh /tmp/qa51/scrape 21110 21118
set -uo pipefail
out=$1 first=$2 last=$3
mkdir -p "$out"
while true; do
  for port in $(seq "$first" "$last"); do
    ts=$(date +%s%3N)
    body=$(curl -s -m 2 "http://127.0.0.1:$port/metrics") || continue
    { echo "# scrape_ms $ts"; echo "$body" | grep -E '^(jvm_memory_used_bytes|jvm_memory_committed_bytes|jvm_buffer_memory_used_bytes|jvm_buffer_total_capacity_bytes|jvm_threads_live_threads|process_resident_memory_bytes|process_start_time_seconds)'; } >> "$out/$port.txt"
  done
  sleep 10
done
