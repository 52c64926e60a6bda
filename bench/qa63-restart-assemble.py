#!/usr/bin/env python3
"""qa63: after bench/qa59-restart.sh OUT ..., writes DEST/POD/otel.csv.gz (the agent's series of the families the
judge asks and Prometheus' `up` for the agent's target: timestamp_ms,metric,labels,value, labels k=v;k=v, as qa59's)
and DEST/POD/pod.properties (each JVM's launch and its own start, from Micrometer's process start time beside the agent).
Usage: bench/qa63-restart-assemble.py OUT DEST
"""
import gzip, os, sys

out, dest = sys.argv[1], sys.argv[2]
keep = ("jvm_class_loaded_total", "jvm_cpu_time_seconds_total", "jvm_memory_used_bytes", "jvm_memory_committed_bytes",
        "jvm_memory_used_after_last_gc_bytes", "jvm_thread_count", "up")
for pod in ("r1", "s1"):
    os.makedirs(os.path.join(dest, pod), exist_ok=True)
    rows = [l.rstrip("\n").split(",") for l in open(os.path.join(out, pod, "series.csv"))][1:]
    with gzip.open(os.path.join(dest, pod, "otel.csv.gz"), "wt") as f:
        f.write("timestamp_ms,metric,labels,value\n")
        for t, job, metric, labels, value in rows:
            if job == "otel" and metric in keep:
                f.write("%s,%s,%s,%s\n" % (t, metric, labels, value))
    launches = [l.strip() for l in open(os.path.join(out, pod, "starts.txt")) if l.strip()]
    with open(os.path.join(dest, pod, "pod.properties"), "w") as f:
        f.write("# launch of each JVM (epoch ms, bench/qa59-restart.sh), and each JVM's own start (MemoryPod's pod.properties)\n")
        for i, launch in enumerate(launches, 1):
            props = dict(l.strip().split("=", 1) for l in open(os.path.join(out, pod, "run%d" % i, "pod.properties"))
                         if "=" in l)
            f.write("launch_ms.%d=%s\njvm_start_ms.%d=%s\n" % (i, launch, i, props["jvm_start_ms"]))
print("assembled", dest)
