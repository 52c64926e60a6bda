#!/usr/bin/env python3
"""Runs every heap, JVM-start and memory-area query the service issues for one exporter (HeapQueries' defaults, as
docs/METRICS.md lists them) against a Prometheus that scraped the qa54 pods (bench/qa54-agents.sh), per pod, with
step = range = 60 s, and prints what each answers: series per pod, points, first and last value, and the slope of a
least-squares line through the points after minute WARMUP (MiB/h, or per hour for threads).
Usage: bench/qa54-queries.py PROMETHEUS_URL START END JOB [WARMUP_MIN] [QUERY_FILE]
  JOB: otel, jmx or micrometer (the scrape job of bench/qa54-agents.sh); START, END: Unix seconds
  QUERY_FILE: lines "name<TAB>template" (default: QUERIES[JOB] below: heap_after_own_gc is the exporters' heap query before
  qa54, heap_used HeapQueries' now)."""
import json, sys, urllib.parse, urllib.request

url, start, end, job = sys.argv[1], float(sys.argv[2]), float(sys.argv[3]), sys.argv[4]
warmup = float(sys.argv[5]) if len(sys.argv) > 5 else 3
QUERIES = {
 "otel": [
  [
   "heap_after_own_gc",
   "sum by ({{instance_label}}) (jvm_memory_used_after_last_gc_bytes{{{selector}},jvm_memory_type=\"heap\"})"
  ],
  [
   "heap_used",
   "sum by ({{instance_label}}) (min_over_time(jvm_memory_used_bytes{{{selector}},jvm_memory_type=\"heap\",jvm_memory_pool_name!~\"(?i).*(eden|young).*\"}[{{range}}]))"
  ],
  [
   "metaspace",
   "sum by ({{instance_label}}) (min_over_time(jvm_memory_used_bytes{{{selector}},jvm_memory_type=\"non_heap\",jvm_memory_pool_name=\"Metaspace\"}[{{range}}]))"
  ],
  [
   "direct",
   "sum by ({{instance_label}}) (min_over_time(jvm_buffer_memory_used_bytes{{{selector}},jvm_buffer_pool_name=\"direct\"}[{{range}}]))"
  ],
  [
   "threads",
   "min_over_time((sum by ({{instance_label}}) (jvm_thread_count{{{selector}}}))[{{range}}:])"
  ],
  [
   "jvm_start",
   "max by ({{instance_label}}) ((min_over_time(timestamp(jvm_class_loaded_total{{{selector}}})[6h:1m])) > time() - 21540)"
  ]
 ],
 "jmx": [
  [
   "heap_after_own_gc",
   "sum by ({{instance_label}}) (jvm_memory_pool_collection_used_bytes{{{selector}}})"
  ],
  [
   "heap_used",
   "sum by ({{instance_label}}) (min_over_time(jvm_memory_pool_used_bytes{{{selector}},pool!~\"(?i).*(eden|young).*\"}[{{range}}]) and on ({{instance_label}}, pool) jvm_memory_pool_collection_used_bytes{{{selector}}})"
  ],
  [
   "metaspace",
   "sum by ({{instance_label}}) (min_over_time(jvm_memory_pool_used_bytes{{{selector}},pool=\"Metaspace\"}[{{range}}]))"
  ],
  [
   "direct",
   "sum by ({{instance_label}}) (min_over_time(jvm_buffer_pool_used_bytes{{{selector}},pool=\"direct\"}[{{range}}]))"
  ],
  [
   "threads",
   "max by ({{instance_label}}) (min_over_time(jvm_threads_current{{{selector}}}[{{range}}]))"
  ],
  [
   "jvm_start",
   "max by ({{instance_label}}) (process_start_time_seconds{{{selector}}})"
  ]
 ],
 "micrometer": [
  [
   "heap_used",
   "sum by ({{instance_label}}) (min_over_time(jvm_memory_used_bytes{{{selector}},area=\"heap\",id!~\"(?i).*(eden|young).*\"}[{{range}}]))"
  ],
  [
   "threads",
   "max by ({{instance_label}}) (min_over_time(jvm_threads_live_threads{{{selector}}}[{{range}}]))"
  ]
 ]
}
queries = [l.rstrip("\n").split("\t", 1) for l in open(sys.argv[6])] if len(sys.argv) > 6 else QUERIES[job]

def render(t):
    return (t.replace("{{selector}}", 'app="orders",job="%s"' % job).replace("{{instance_label}}", "pod").replace("{{range}}", "60s"))

def ask(q):
    data = urllib.parse.urlencode({"query": q, "start": start, "end": end, "step": 60}).encode()
    with urllib.request.urlopen(url + "/api/v1/query_range", data) as r:
        return json.load(r)["data"]["result"]

def slope(points):
    xs = [float(t) / 3600 for t, v in points]
    ys = [float(v) for t, v in points]
    n = len(xs)
    if n < 3:
        return float("nan")
    mx, my = sum(xs) / n, sum(ys) / n
    sxx = sum((x - mx) ** 2 for x in xs)
    return sum((x - mx) * (y - my) for x, y in zip(xs, ys)) / sxx if sxx else float("nan")

for name, template in queries:
    q = render(template)
    try:
        result = ask(q)
    except Exception as e:
        print("%-16s ERROR %s" % (name, e))
        continue
    if not result:
        print("%-16s NO SERIES  %s" % (name, q))
        continue
    for s in sorted(result, key=lambda s: s["metric"].get("pod", "")):
        pts = s["values"]
        t0 = float(pts[0][0])
        past = [(t, v) for t, v in pts if float(t) - start >= warmup * 60]
        scale = 1 if name in ("threads", "jvm_start") else 1 / 1048576
        sl = slope(past) * scale
        print("%-16s %-16s points %3d first %14.1f last %14.1f slope/h past %gmin %9.2f" % (name, s["metric"].get("pod", "?"), len(pts),
              float(pts[0][1]) * scale, float(pts[-1][1]) * scale, warmup, sl))
