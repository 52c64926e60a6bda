#!/usr/bin/env python3
"""areas.csv per pod (the CLI's format: metaspace, direct-buffers, threads, native) from a plain scrape log of the pods'
Micrometer endpoints (qa51: no Prometheus; every 10 s, `curl http://127.0.0.1:PORT/metrics`, each scrape preceded by a line
`# scrape_ms EPOCH_MS`). native = resident size - every pool's committed size - direct buffers' capacity, as the service's
default query and bench/qa46-assemble.py (points where it is negative, a young JVM's heap not yet touched, left out).
A scrape belongs to the pod whose pod.properties jvm_start_ms is closest to its process_start_time_seconds (within 2 s).
  bench/qa51-areas.py SCRAPE_DIR REC   writes REC/POD/areas.csv
"""
import os, re, sys

scrapes, rec = sys.argv[1], sys.argv[2]
starts = {}
for pod in os.listdir(rec):
    p = os.path.join(rec, pod, "pod.properties")
    if os.path.isfile(p):
        props = dict(l.strip().split("=", 1) for l in open(p) if "=" in l)
        starts[pod] = int(props["jvm_start_ms"])
rows = {pod: [] for pod in starts}
line_re = re.compile(r'^(\w+)(?:\{([^}]*)\})? (\S+)$')
def flush(ts, m):
    if ts is None or "process_start_time_seconds" not in m:
        return
    start = m["process_start_time_seconds"] * 1000
    pod = min(starts, key=lambda p: abs(starts[p] - start))  # pods of a batch start within a second of each other
    if abs(starts[pod] - start) > 2000:
        return
    out = rows[pod]
    out.append((ts, "metaspace", m.get("metaspace")))
    out.append((ts, "direct-buffers", m.get("direct")))
    out.append((ts, "threads", m.get("threads")))
    if "rss" in m:
        native = m["rss"] - m.get("committed", 0) - m.get("direct-capacity", 0)
        if native >= 0:
            out.append((ts, "native", native))
for f in sorted(os.listdir(scrapes)):
    ts, m = None, {}
    for line in open(os.path.join(scrapes, f)):
        line = line.strip()
        if line.startswith("# scrape_ms"):
            flush(ts, m)
            ts, m = int(line.split()[2]), {}
            continue
        g = line_re.match(line)
        if not g:
            continue
        name, labels, value = g.group(1), g.group(2) or "", float(g.group(3))
        if name == "jvm_memory_used_bytes" and 'id="Metaspace"' in labels:
            m["metaspace"] = value
        elif name == "jvm_buffer_memory_used_bytes" and 'id="direct"' in labels:
            m["direct"] = value
        elif name == "jvm_buffer_total_capacity_bytes" and 'id="direct"' in labels:
            m["direct-capacity"] = value
        elif name == "jvm_threads_live_threads":
            m["threads"] = value
        elif name == "process_resident_memory_bytes":
            m["rss"] = value
        elif name == "process_start_time_seconds":
            m["process_start_time_seconds"] = value
        elif name == "jvm_memory_committed_bytes":
            m["committed"] = m.get("committed", 0) + value
    flush(ts, m)
for pod, out in rows.items():
    if not out:
        continue
    with open(os.path.join(rec, pod, "areas.csv"), "w") as g:
        g.write("# jvm_start_ms=%d\ntimestamp_ms,area,value\n" % starts[pod])
        for ts, area, value in sorted(out):
            if value is not None:
                g.write("%d,%s,%d\n" % (ts, area, value))
    print(pod, len(out))
