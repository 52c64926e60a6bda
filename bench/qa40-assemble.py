#!/usr/bin/env python3
"""Turns a qa40 recording (bench/qa40-nonheap.sh record OUT) into the small committed files under
canary-judge/src/test/resources/qa40/pods/POD/:
  prometheus.csv.gz  timestamp_ms,metric,id,value: every 10 s scrape of the pod's memory pools (heap and non-heap),
                     direct buffers, live threads, loaded classes, live data size and JVM start, as Prometheus stored them
  live-last.jfr.gz   the pod's last whole minute of async-profiler alloc,live recording
  pod.properties     variant, track, jvm_start_ms, batch, shift_ms
  labels.properties  track, variant, replica (the pod's name): the local profile source's labels, and the labels the
                     tests give the series in Prometheus
Batch 2 ran after batch 1 (at most 3 x 2 JVMs side by side on the shared machine): its timestamps (and JVM starts) are
shifted back by shift_ms, a whole number of scrape intervals, so that both batches' pods are the same age at the same
time, as pods started together would be. Usage: bench/qa40-assemble.py REC OUT
"""
import csv, gzip, os, shutil, sys

rec, out = sys.argv[1], sys.argv[2]
batch1 = ["b1", "b2", "b3", "leak-classes-1", "leak-direct-1", "leak-threads-1"]
keep = {"jvm_memory_used_bytes", "jvm_buffer_memory_used_bytes", "jvm_threads_live_threads", "jvm_classes_loaded_classes",
        "jvm_gc_live_data_size_bytes", "process_start_time_seconds"}

def props(path):
    d = {}
    for line in open(path):
        if "=" in line:
            k, v = line.strip().split("=", 1)
            d[k] = v
    return d

pods = sorted(p for p in os.listdir(rec) if os.path.isfile(os.path.join(rec, p, "pod.properties")))
starts = {p: int(props(os.path.join(rec, p, "pod.properties"))["jvm_start_ms"]) for p in pods}
first1 = min(starts[p] for p in pods if p in batch1)
first2 = min(starts[p] for p in pods if p not in batch1)
shift = round((first2 - first1) / 10000) * 10000
for pod in pods:
    s = shift if pod not in batch1 else 0
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
    minutes = sorted(os.listdir(os.path.join(rec, pod, "live")))
    last = minutes[-2] if len(minutes) > 1 else minutes[-1]  # the last one is cut short by the pod's end
    with open(os.path.join(rec, pod, "live", last), "rb") as f, gzip.open(os.path.join(d, "live-last.jfr.gz"), "wb") as g:
        shutil.copyfileobj(f, g)
    with open(os.path.join(d, "pod.properties"), "w") as f:
        f.write("variant=%s\ntrack=%s\njvm_start_ms=%d\nbatch=%d\nshift_ms=%d\n"
                % (meta["variant"], track, starts[pod] - s, 1 if pod in batch1 else 2, s))
    with open(os.path.join(d, "labels.properties"), "w") as f:
        f.write("track=%s\nvariant=%s\nreplica=%s\n" % (track, meta["variant"], pod))
print("shift_ms", shift, "pods", len(pods))
