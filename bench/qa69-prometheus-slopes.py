#!/usr/bin/env python3
"""Per pod, the growth (MiB/h, Theil-Sen over 1-minute points) of client_golang's heap series in a Prometheus,
beside the live heap gctrace printed (the truth, bench/qa69-gctrace-heapcsv.py's heap.csv).

Usage: qa69-prometheus-slopes.py PROMETHEUS_URL START_S END_S POD_DIR...
(POD_DIR's name is the pod label; it holds heap.csv.)
"""
import json
import os
import statistics
import sys
import urllib.parse
import urllib.request

QUERIES = {
    "next_gc": "max by (pod) (go_memstats_next_gc_bytes)",
    "next_gc/2": "max by (pod) (go_memstats_next_gc_bytes) / 2",
    "min heap_alloc 1m": "min by (pod) (min_over_time(go_memstats_heap_alloc_bytes[1m]))",
    "heap_inuse min 1m": "min by (pod) (min_over_time(go_memstats_heap_inuse_bytes[1m]))",
}


def theil_sen(points):
    slopes = [(b[1] - a[1]) / (b[0] - a[0]) for i, a in enumerate(points) for b in points[i + 1:] if b[0] != a[0]]
    return statistics.median(slopes) * 3600 / 2**20 if slopes else float("nan")


def series(url, query, start, end):
    q = urllib.parse.urlencode({"query": query, "start": start, "end": end, "step": 60})
    data = json.load(urllib.request.urlopen(f"{url}/api/v1/query_range?{q}"))["data"]["result"]
    return {r["metric"].get("pod"): [(float(t), float(v)) for t, v in r["values"]] for r in data}


def truth(pod_dir, start, end):
    minute = {}
    for line in open(os.path.join(pod_dir, "heap.csv")):
        if line[0].isdigit():
            t, b = line.strip().split(",")[:2]
            t = int(t) / 1000
            if start <= t <= end:
                key = int(t // 60)
                minute[key] = min(minute.get(key, float("inf")), int(b))
    return [(k * 60, v) for k, v in sorted(minute.items())]


def main():
    url, start, end = sys.argv[1], float(sys.argv[2]), float(sys.argv[3])
    pods = sys.argv[4:]
    got = {name: series(url, q, start, end) for name, q in QUERIES.items()}
    print("| pod | gctrace live heap | " + " | ".join(QUERIES) + " |")
    print("|---|---:|" + "---:|" * len(QUERIES))
    for pod_dir in pods:
        pod = os.path.basename(pod_dir.rstrip("/"))
        cells = [f"{theil_sen(truth(pod_dir, start, end)):.1f}"]
        cells += [f"{theil_sen(got[name].get(pod, [])):.1f}" for name in QUERIES]
        print(f"| {pod} | " + " | ".join(cells) + " |")


if __name__ == "__main__":
    main()
