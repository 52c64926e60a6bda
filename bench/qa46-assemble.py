#!/usr/bin/env python3
"""Turns a qa46 recording (bench/qa46-native.sh record OUT) into the small committed files under
canary-judge/src/test/resources/qa46/pods/POD/:
  prometheus.csv.gz  timestamp_ms,metric,id,value: every 10 s scrape of the pod's memory pools (used and committed, by
                     pool id), direct buffers (used and capacity), live threads, live data size, JVM start and resident
                     size (process_resident_memory_bytes: VmRSS), as Prometheus stored them
  pod.properties     variant, track, jvm_start_ms, shift_ms
  heap.csv           the pod's own (GC notifications), with its JVM start
  areas.csv          metaspace, direct-buffers, threads and native per 10 s scrape (the CLI's format), from the scrapes:
                     native = resident size - every pool's committed size - direct buffers' capacity, as the service's
                     default query (points where that is negative, a young JVM's heap not yet touched, are left out:
                     the file holds sizes >= 0)
  alloc.collapsed, alloc.pb.gz  the last whole minute's allocation samples (async-profiler's jfr-converter 4.2
                     --alloc --total; pprof for the service's local directory, which does not read collapsed stacks)
  nativemem-leak.collapsed  the same minute's malloc samples not freed by its end (jfr-converter --nativemem --leak
                     --total): the call sites keeping native memory
The batches ran one after another (at most 2 JVMs at once on the shared machine): each pod's timestamps (and JVM start)
are shifted back by shift_ms, a whole number of 10 s scrapes, so that every pod is the same age at the same time, as pods
started together would be. Usage: bench/qa46-assemble.py REC OUT
"""
import collections, csv, gzip, os, subprocess, sys

rec, out = sys.argv[1], sys.argv[2]
converter = os.path.expanduser("~/.m2/repository/tools/profiler/jfr-converter/4.2/jfr-converter-4.2.jar")
profiler = os.path.expanduser("~/.m2/repository/tools/profiler/async-profiler/4.2/async-profiler-4.2.jar")
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
    # areas.csv from the same scrapes (every series of a pod shares the 10 s timestamps of the export)
    at = collections.defaultdict(dict)
    with open(os.path.join(rec, pod, "prometheus-raw.csv")) as f:
        for row in csv.DictReader(f):
            t, m, i, v = int(row["timestamp_ms"]) - s, row["metric"], row["id"], float(row["value"])
            a = at[t]
            if m == "jvm_memory_used_bytes" and i == "Metaspace":
                a["metaspace"] = v
            elif m == "jvm_buffer_memory_used_bytes" and i == "direct":
                a["direct-buffers"] = v
            elif m == "jvm_buffer_total_capacity_bytes" and i == "direct":
                a["direct-capacity"] = v
            elif m == "jvm_threads_live_threads":
                a["threads"] = v
            elif m == "process_resident_memory_bytes":
                a["rss"] = v
            elif m == "jvm_memory_committed_bytes":
                key = "heap-committed" if i.startswith("G1 ") else "nonheap-committed"
                a[key] = a.get(key, 0) + v
    with open(os.path.join(d, "areas.csv"), "w") as g:
        g.write("# jvm_start_ms=%d\ntimestamp_ms,area,value\n" % (starts[pod] - s))
        for t in sorted(at):
            a = at[t]
            for area in ("metaspace", "direct-buffers", "threads"):
                if area in a:
                    g.write("%d,%s,%d\n" % (t, area, a[area]))
            if "rss" in a and "heap-committed" in a and "nonheap-committed" in a:
                # as the service's default native query: the heap's committed size (resident once touched)
                heap = a["heap-committed"]
                native = a["rss"] - heap - a["nonheap-committed"] - a.get("direct-capacity", 0)
                if native >= 0:
                    g.write("%d,native,%d\n" % (t, native))
    with open(os.path.join(rec, pod, "heap.csv")) as f, open(os.path.join(d, "heap.csv"), "w") as g:
        g.write("# jvm_start_ms=%d\n" % (starts[pod] - s))
        for i, line in enumerate(f):
            if i == 0:
                g.write(line)
            else:
                t, v = line.strip().split(",")
                g.write("%d,%s\n" % (int(t) - s, v))
    minutes = sorted(os.listdir(os.path.join(rec, pod, "live")))
    last = os.path.join(rec, pod, "live", minutes[-2] if len(minutes) > 1 else minutes[-1])  # the last is cut short
    for args, name in ((["--alloc", "-o", "collapsed"], "alloc.collapsed"), (["--alloc", "-o", "pb.gz"], "alloc.pb.gz"),
                       (["--nativemem", "--leak", "-o", "collapsed"], "nativemem-leak.collapsed")):
        subprocess.check_call(["java", "-cp", converter + ":" + profiler, "Main"] + args + ["--total",
                               last, os.path.join(d, name)])
    with open(os.path.join(d, "pod.properties"), "w") as f:
        f.write("variant=%s\ntrack=%s\njvm_start_ms=%d\nshift_ms=%d\n" % (meta["variant"], track, starts[pod] - s, s))
print("pods", len(pods))
