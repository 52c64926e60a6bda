#!/usr/bin/env python3
"""qa91: per pod of a Go recording (bench/qa83-record.sh, qa87-record.sh, qa88-record.sh, qa91-record.sh OUT), the
growth of three candidate heap-after-GC series over the pod's heap profiles' span from profile FIRST on (Theil-Sen over
1-minute points, MiB an hour):
  inuse      the heap profiles' inuse_space totals (go tool pprof -raw; Go's heap as of each last collection)
  heap_alloc min_over_time(go_memstats_heap_alloc_bytes[1m]) at 60 s steps (the client-golang preset's series)
  next_gc/2  min_over_time(go_memstats_next_gc_bytes[1m]) / 2 (the goal at GOGC 100, halved)
from the Prometheus that scraped it (the recording's own, or one started on a copy of OUT/prometheus-data).

Usage: qa91-series-slopes.py OUT PROMETHEUS_PORT FIRST POD...
  e.g. qa91-series-slopes.py /tmp/qa88/rec 22716 2 b1 b2 b3 s1 r1 r2 h1
"""
import datetime
import json
import os
import statistics
import subprocess
import sys
import urllib.parse
import urllib.request

MIB = 1024 * 1024


def profile(path):
    """(end of the profile, Unix seconds; inuse_space total, bytes) of one heap profile."""
    raw = subprocess.run(["go", "tool", "pprof", "-sample_index=inuse_space", "-raw", path], capture_output=True,
                         text=True, check=True).stdout
    when, total, samples = None, 0, False
    for line in raw.splitlines():
        if line.startswith("Time:"):
            day, clock = line.split()[1:3]
            when = datetime.datetime.fromisoformat(day + "T" + clock[:15]).replace(
                tzinfo=datetime.timezone.utc).timestamp()
        elif line.startswith("Samples:"):
            samples = True
        elif samples and ":" in line and line.split(":")[0].split() and line.split(":")[0].split()[0].isdigit():
            values = line.split(":")[0].split()
            if len(values) == 4:
                total += int(values[3])
    return when, total


def theil_sen(points):
    slopes = [(b[1] - a[1]) / (b[0] - a[0]) for i, a in enumerate(points) for b in points[i + 1:] if b[0] != a[0]]
    return statistics.median(slopes)


def series(port, query, start, end):
    url = "http://127.0.0.1:%d/api/v1/query_range?" % port + urllib.parse.urlencode(
        dict(query=query, start=start, end=end, step=60))
    result = json.load(urllib.request.urlopen(url))["data"]["result"]
    return [(float(t), float(v)) for t, v in result[0]["values"]] if result else []


def main():
    out, port, first, pods = sys.argv[1], int(sys.argv[2]), int(sys.argv[3]), sys.argv[4:]
    for pod in pods:
        folder = os.path.join(out, pod)
        points = sorted(profile(os.path.join(folder, f)) for f in sorted(os.listdir(folder)) if f.startswith("heap-"))
        points = points[first:]
        start, end = points[0][0], points[-1][0]
        heap = series(port, 'min_over_time(go_memstats_heap_alloc_bytes{pod="%s"}[1m])' % pod, start, end)
        goal = series(port, 'min_over_time(go_memstats_next_gc_bytes{pod="%s"}[1m])' % pod, start, end)
        rate = lambda s, scale=1: theil_sen([(t / 3600, v / MIB / scale) for t, v in s])
        print("%-3s inuse %5.1f -> %5.1f MiB %+6.1f/h | heap_alloc %5.1f -> %5.1f %+6.1f/h | next_gc/2 %5.1f -> %5.1f %+6.1f/h"
              % (pod, points[0][1] / MIB, points[-1][1] / MIB, rate(points), heap[0][1] / MIB, heap[-1][1] / MIB,
                 rate(heap), goal[0][1] / 2 / MIB, goal[-1][1] / 2 / MIB, rate(goal, 2)))


if __name__ == "__main__":
    main()
