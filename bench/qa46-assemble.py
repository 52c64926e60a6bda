#!/usr/bin/env python3
"""Turns a qa46 recording (bench/qa46-native.sh record OUT) into the small committed files under
canary-judge/src/test/resources/qa46/pods/POD/:
  prometheus.csv.gz  timestamp_ms,metric,id,value: every 10 s scrape of the pod's memory pools (used and committed, by
                     pool id), direct buffers (used and capacity), live threads, live data size, JVM start and resident
                     size (process_resident_memory_bytes: VmRSS), as Prometheus stored them
  pod.properties     variant, track, jvm_start_ms, shift_ms
The batches ran one after another (at most 2 JVMs at once on the shared machine): each pod's timestamps (and JVM start)
are shifted back by shift_ms, a whole number of 10 s scrapes, so that every pod is the same age at the same time, as pods
started together would be. Usage: bench/qa46-assemble.py REC OUT
"""
import csv, gzip, os, sys

rec, out = sys.argv[1], sys.argv[2]
keep = {"jvm_memory_used_bytes", "jvm_memory_committed_bytes", "jvm_buffer_memory_used_bytes",
        "jvm_buffer_total_capacity_bytes", "jvm_threads_live_threads", "jvm_gc_live_data_size_bytes",
        "process_start_time_seconds", "process_resident_memory_bytes"}

def props(path):
    d = {}
    for line in open(path):
        if "=" in line:
            k, v = line.strip().split("=", 1)
            d[k] = v
    return d

pods = sorted(p for p in os.listdir(rec) if os.path.isfile(os.path.join(rec, p, "pod.properties"))
              and os.path.isfile(os.path.join(rec, p, "prometheus-raw.csv")))
starts = {p: int(props(os.path.join(rec, p, "pod.properties"))["jvm_start_ms"]) for p in pods}
first = min(starts.values())
for pod in pods:
    s = round((starts[pod] - first) / 10000) * 10000
    meta = props(os.path.join(rec, pod, "pod.properties"))
    track = "baseline" if pod.startswith("b") and pod[1:].isdigit() else "canary"
    d = os.path.join(out, "pods", pod)
    os.makedirs(d, exist_ok=True)
    with open(os.path.join(rec, pod, "prometheus-raw.csv")) as f, gzip.open(os.path.join(d, "prometheus.csv.gz"), "wt") as g:
        g.write("timestamp_ms,metric,id,value\n")
        for row in csv.DictReader(f):
            if row["metric"] not in keep or row["id"].startswith("mapped"):
                continue
            value = row["value"]
            if row["metric"] == "process_start_time_seconds":
                value = "%.3f" % (float(value) - s / 1000)
            g.write("%d,%s,%s,%s\n" % (int(row["timestamp_ms"]) - s, row["metric"], row["id"], value))
    with open(os.path.join(d, "pod.properties"), "w") as f:
        f.write("variant=%s\ntrack=%s\njvm_start_ms=%d\nshift_ms=%d\n" % (meta["variant"], track, starts[pod] - s, s))
print("pods", len(pods))
