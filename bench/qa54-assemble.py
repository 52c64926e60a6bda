#!/usr/bin/env python3
"""Turns a qa54 memory recording (bench/qa54-agents.sh memory OUT) into the small committed files under
canary-judge/src/test/resources/qa54/pods/POD/:
  otel.csv.gz        timestamp_ms,metric,labels,value: every 10 s point of the OpenTelemetry agent's memory, thread and
                     class series (labels "k=v;k=v" as the agent wrote them, without the scrape's own job/instance/app/
                     pod/track), as the recording's Prometheus stored them
  jmx.csv.gz         the same for the JMX exporter's memory pool, buffer pool, thread and process series
  live-last.jfr.gz   the pod's last whole minute of async-profiler alloc,live recording
  pod.properties     variant, track, jvm_start_ms (the JVM's own, from MemoryPod)
  labels.properties  track, variant, replica: the local profile source's labels, and the series' labels in the tests
Usage: bench/qa54-assemble.py REC OUT"""
import csv, gzip, os, shutil, sys

rec, out = sys.argv[1], sys.argv[2]
keep = {
    "otel": {"jvm_memory_used_bytes", "jvm_memory_used_after_last_gc_bytes", "jvm_memory_committed_bytes",
             "jvm_thread_count", "jvm_class_loaded_total", "jvm_buffer_memory_used_bytes", "jvm_buffer_memory_limit_bytes"},
    "jmx": {"jvm_memory_pool_used_bytes", "jvm_memory_pool_collection_used_bytes", "jvm_memory_committed_bytes",
            "jvm_buffer_pool_used_bytes", "jvm_buffer_pool_capacity_bytes", "jvm_threads_current",
            "process_start_time_seconds", "process_resident_memory_bytes"},
}

def props(path):
    d = {}
    for line in open(path):
        if "=" in line:
            k, v = line.strip().split("=", 1)
            d[k] = v
    return d

pods = sorted(p for p in os.listdir(rec) if os.path.isfile(os.path.join(rec, p, "pod.properties")))
for pod in pods:
    meta = props(os.path.join(rec, pod, "pod.properties"))
    track = "baseline" if pod.startswith("b") and pod[1:].isdigit() else "canary"
    d = os.path.join(out, "pods", pod)
    os.makedirs(d, exist_ok=True)
    rows = list(csv.DictReader(open(os.path.join(rec, pod, "series.csv"))))
    for job, families in keep.items():
        with gzip.open(os.path.join(d, job + ".csv.gz"), "wt") as g:
            g.write("timestamp_ms,metric,labels,value\n")
            for row in rows:
                if row["job"] == job and row["metric"] in families and "mapped" not in row["labels"]:
                    g.write("%s,%s,%s,%s\n" % (row["timestamp_ms"], row["metric"], row["labels"], row["value"]))
    minutes = sorted(os.listdir(os.path.join(rec, pod, "live")))
    last = minutes[-2] if len(minutes) > 1 else minutes[-1]  # the last one is cut short by the pod's end
    with open(os.path.join(rec, pod, "live", last), "rb") as f, gzip.open(os.path.join(d, "live-last.jfr.gz"), "wb") as g:
        shutil.copyfileobj(f, g)
    with open(os.path.join(d, "pod.properties"), "w") as f:
        f.write("variant=%s\ntrack=%s\njvm_start_ms=%s\n" % (meta["variant"], track, meta["jvm_start_ms"]))
    with open(os.path.join(d, "labels.properties"), "w") as f:
        f.write("track=%s\nvariant=%s\nreplica=%s\n" % (track, meta["variant"], pod))
print("pods", len(pods))
