#!/usr/bin/env python3
"""Saw-tooth heaps in 15 minutes (qa49): which per-pod series of a recording made by bench/qa49-sawtooth.sh shows a
leak soonest. For each pod and each 15-minute window (start ages FROM..TO minutes, one minute apart), the series
  heap     heap after every collection (gc.csv heap_after_bytes: the GC log / heap.csv the judge reads),
  heap-min the lowest heap after GC per minute (what Micrometer's default query gives, one point a minute),
  old      the old generation after every collection (gc.csv old_after_bytes; JFR's jdk.GCHeapSummary and
           jvm_memory_used_bytes{id="G1 Old Gen"} give the same),
  old-trough the old generation after each collection that shrank it (every mixed collection of a cycle),
  livedata Micrometer's jvm_gc_live_data_size_bytes as scraped (each change once),
and per series: points in the window, Theil-Sen slope (MiB/min) and the scatter of the points about that line
(median absolute deviation, MiB). Usage: bench/qa49-series.py DIR [FROM TO]"""
import csv, gzip, statistics, sys
from pathlib import Path

def theil_sen(points):
    slopes = [(y2 - y1) / (x2 - x1) for i, (x1, y1) in enumerate(points) for (x2, y2) in points[i + 1:] if x2 > x1]
    if not slopes:
        return float('nan'), float('nan')
    b = statistics.median(slopes)
    a = statistics.median(y - b * x for x, y in points)
    return b, statistics.median(abs(y - a - b * x) for x, y in points)

def series(pod):
    props = dict(l.strip().split('=', 1) for l in open(pod / 'pod.properties') if '=' in l)
    start = int(props['jvm_start_ms'])
    heap, old, trough = [], [], []
    prev_old = None
    for row in csv.DictReader(open(pod / 'gc.csv')):
        t = (int(row['timestamp_ms']) - start) / 60000
        heap.append((t, int(row['heap_after_bytes']) / 2**20))
        o = int(row['old_after_bytes']) / 2**20
        old.append((t, o))
        if prev_old is not None and o < prev_old:
            trough.append((t, o))
        prev_old = o
    per_minute = {}
    for t, v in heap:
        per_minute[int(t)] = min(v, per_minute.get(int(t), v))
    live, last = [], None
    raw = pod / 'prometheus-raw.csv'
    raw = raw if raw.exists() else pod / 'prometheus-raw.csv.gz'
    if raw.exists():
        for row in csv.DictReader(gzip.open(raw, 'rt') if raw.suffix == '.gz' else open(raw)):
            if row['metric'] == 'jvm_gc_live_data_size_bytes':
                v = float(row['value'])
                if v > 0 and v != last:
                    live.append(((int(row['timestamp_ms']) - start) / 60000, v / 2**20))
                last = v
    return {'heap': heap, 'heap-min': sorted((m + 0.5, v) for m, v in per_minute.items()), 'old': old,
            'old-trough': trough, 'livedata': live}

def main():
    folder = Path(sys.argv[1])
    lo, hi = (int(sys.argv[2]), int(sys.argv[3])) if len(sys.argv) > 3 else (5, 7)
    print('| pod | series | windows | points per window (median) | slope MiB/min: median [min, max] | scatter MiB (median) |')
    print('|---|---|---:|---:|---|---:|')
    for pod in sorted(p for p in folder.iterdir() if (p / 'gc.csv').exists()):
        for name, pts in series(pod).items():
            counts, slopes, scatters = [], [], []
            for start in range(lo, hi + 1):
                window = [(t, v) for t, v in pts if start <= t < start + 15]
                counts.append(len(window))
                if len(window) >= 2:
                    b, mad = theil_sen(window)
                    slopes.append(b)
                    scatters.append(mad)
            if slopes:
                print(f'| {pod.name} | {name} | {len(counts)} | {statistics.median(counts):.0f} | '
                      f'{statistics.median(slopes):+.2f} [{min(slopes):+.2f}, {max(slopes):+.2f}] | {statistics.median(scatters):.2f} |')
            else:
                print(f'| {pod.name} | {name} | {len(counts)} | {statistics.median(counts):.0f} | – | – |')

main()
