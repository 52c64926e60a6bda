#!/usr/bin/env python3
"""Small, committable copies of the qa44 pods (bench/qa44-nonheap-jfr.sh): per pod directory OUT/POD/
  areas.csv   memory outside the heap, extracted by the JDK's own `jfr print --json` from POD/jdk.jfr
              (jdk.MetaspaceSummary "After GC" metaspace.used, jdk.DirectBufferStatistics memoryUsed,
              jdk.JavaThreadStatistics activeCount; # jvm_start_ms from jdk.JVMInformation)
  heap.csv    the pod's own (GC notifications), with the JVM's start from its jdk.jfr
  alloc.collapsed  one profile for compare to read: the last whole minute's allocation samples of its
              async-profiler recording, converted by async-profiler's jfr-converter (--alloc --total)
Usage: bench/qa44-extract.py REC OUT   (REC: the recording folder; needs jfr and ~/.m2's jfr-converter 4.2)"""
import datetime
import json
import os
import subprocess
import sys

rec, out = sys.argv[1], sys.argv[2]
converter = os.path.expanduser("~/.m2/repository/tools/profiler/jfr-converter/4.2/jfr-converter-4.2.jar")
profiler = os.path.expanduser("~/.m2/repository/tools/profiler/async-profiler/4.2/async-profiler-4.2.jar")


def millis(text):
    # "2026-12-06T12:50:35.017053213Z" or with an offset: to Unix milliseconds
    text = text.replace("Z", "+00:00")
    head, _, rest = text.partition(".")
    frac, sign, zone = "", "", ""
    for i, c in enumerate(rest):
        if c in "+-":
            frac, sign, zone = rest[:i], c, rest[i + 1:]
            break
    else:
        frac = rest
    base = datetime.datetime.fromisoformat(head + (sign + zone if sign else "+00:00"))
    return int(base.timestamp()) * 1000 + int((frac + "000")[:3])


for pod in sorted(os.listdir(rec)):
    src = os.path.join(rec, pod)
    if not os.path.isfile(os.path.join(src, "jdk.jfr")) or os.path.getsize(os.path.join(src, "jdk.jfr")) == 0:
        continue
    dst = os.path.join(out, pod)
    os.makedirs(dst, exist_ok=True)
    events = json.loads(subprocess.check_output(["jfr", "print", "--json", "--events",
        "jdk.MetaspaceSummary,jdk.DirectBufferStatistics,jdk.JavaThreadStatistics,jdk.JVMInformation",
        os.path.join(src, "jdk.jfr")]))["recording"]["events"]
    rows, start = [], None
    for e in events:
        v, t = e["values"], e["type"]
        if t == "jdk.JVMInformation":
            start = millis(v["jvmStartTime"]) if start is None else start
        elif t == "jdk.MetaspaceSummary" and v["when"] == "After GC":
            rows.append((millis(v["startTime"]), "metaspace", v["metaspace"]["used"]))
        elif t == "jdk.DirectBufferStatistics":
            rows.append((millis(v["startTime"]), "direct-buffers", v["memoryUsed"]))
        elif t == "jdk.JavaThreadStatistics":
            rows.append((millis(v["startTime"]), "threads", v["activeCount"]))
    rows.sort()
    with open(os.path.join(dst, "areas.csv"), "w") as f:
        if start is not None:
            f.write("# jvm_start_ms=%d\n" % start)
        f.write("timestamp_ms,area,value\n")
        for r in rows:
            f.write("%d,%s,%d\n" % r)
    with open(os.path.join(src, "heap.csv")) as f, open(os.path.join(dst, "heap.csv"), "w") as g:
        if start is not None:
            g.write("# jvm_start_ms=%d\n" % start)  # the pod's own heap.csv does not say it
        g.write(f.read())
    minutes = sorted(m for m in os.listdir(os.path.join(src, "live")) if m.endswith(".jfr"))
    last = os.path.join(src, "live", minutes[-2] if len(minutes) > 1 else minutes[-1])
    subprocess.check_call(["java", "-cp", converter + ":" + profiler, "Main", "--alloc", "--total", "-o", "collapsed",
                           last, os.path.join(dst, "alloc.collapsed")])
    print(pod, len(rows), "area rows,", os.path.getsize(os.path.join(dst, "alloc.collapsed")), "bytes collapsed")
