#!/usr/bin/env python3
"""Young saw-tooth pods (qa52): what a 15-minute window before or around the first marking cycle holds, per pod.

For each pod folder (gc.csv, pod.properties, prometheus-raw.csv.gz as bench/qa49-sawtooth.sh and bench/qa52-young.sh
write them) and each window [age A, A + 15 min): bytes promoted to the old generation per minute (Micrometer's
jvm_gc_memory_promoted_bytes_total where scraped, else the rises of the old generation between consecutive collections
of gc.csv, which is how Micrometer counts it), bytes allocated per minute, collections per minute, the old generation
after each collection (Theil-Sen slope, MiB/min) and the live data size's values.

  bench/qa52-young.py FROM_AGE TO_AGE POD_DIR...     e.g. 0 5 canary-judge/src/test/resources/qa49/* canary-judge/src/test/resources/qa52/*
  bench/qa52-young.py excess FROM_AGE TO_AGE POD_DIR...   each non-stable pod's value minus the highest stable pod's (1v3),
      and each stable pod against the others (A/A): the ranges of docs/EVALUATION.md's table
(docs/EVALUATION.md "Saw-tooth heaps: what the user is told (qa52)")
"""
import csv, gzip, os, statistics, sys

MIB = 1024 * 1024


def theil_sen(xs, ys):
    slopes = [(ys[j] - ys[i]) / (xs[j] - xs[i]) for i in range(len(xs)) for j in range(i + 1, len(xs)) if xs[j] != xs[i]]
    return statistics.median(slopes) if slopes else float('nan')


def load(pod):
    props = dict(l.strip().split('=', 1) for l in open(os.path.join(pod, 'pod.properties')) if '=' in l)
    start = int(props['jvm_start_ms'])
    gc = list(csv.DictReader(open(os.path.join(pod, 'gc.csv'))))
    raw = {}
    path = os.path.join(pod, 'prometheus-raw.csv.gz')
    if os.path.exists(path):
        for row in csv.DictReader(gzip.open(path, 'rt')):
            raw.setdefault((row['metric'], row['id']), []).append((int(row['timestamp_ms']), float(row['value'])))
    return props.get('variant', '?'), start, gc, raw


def counter_increase(points, t0, t1):
    inside = [v for t, v in points if t0 <= t <= t1]
    return inside[-1] - inside[0] if len(inside) >= 2 else float('nan')


def window(pod, a, minutes=15):
    variant, start, gc, raw = load(pod)
    t0, t1 = start + a * 60000, start + (a + minutes) * 60000
    rows = [r for r in gc if t0 <= int(r['timestamp_ms']) < t1]
    before = [r for r in gc if int(r['timestamp_ms']) < t0]
    prev = int(before[-1]['old_after_bytes']) if before else None
    promoted_log = 0
    for r in rows:
        old = int(r['old_after_bytes'])
        if prev is not None and old > prev:
            promoted_log += old - prev
        prev = old
    promoted = raw.get(('jvm_gc_memory_promoted_bytes_total', '')) or raw.get(('jvm_gc_memory_promoted_bytes_total', '|'))
    allocated = raw.get(('jvm_gc_memory_allocated_bytes_total', '')) or raw.get(('jvm_gc_memory_allocated_bytes_total', '|'))
    xs = [(int(r['timestamp_ms']) - t0) / 60000 for r in rows]
    old_slope = theil_sen(xs, [int(r['old_after_bytes']) / MIB for r in rows]) if len(rows) >= 2 else float('nan')
    live = sorted({v for t, v in (raw.get(('jvm_gc_live_data_size_bytes', '')) or raw.get(('jvm_gc_live_data_size_bytes', '|'), []))
                   if t0 <= t <= t1 and v > 0})
    last = int(gc[-1]['timestamp_ms']) if gc else 0
    if last < t1 - 60000:
        return None  # the recording ended inside the window: no full window
    return {
        'pod': os.path.basename(pod.rstrip('/')), 'variant': variant,
        'promoted': (counter_increase(promoted, t0, t1) / MIB / minutes) if promoted else float('nan'),
        'promoted_log': promoted_log / MIB / minutes,
        'allocated': (counter_increase(allocated, t0, t1) / MIB / minutes) if allocated else float('nan'),
        'gcs': len(rows) / minutes, 'old_slope': old_slope, 'live_values': len(live),
    }


def excess(a0, a1, pods):
    windows = {p: [window(p, a) for a in range(a0, a1 + 1)] for p in pods}
    stable = [p for p in pods if windows[p][0]['variant'] == 'stable']
    for key, name in [('promoted_log', 'promoted MiB/min (GC log)'), ('gcs', 'collections/min'),
                      ('old_slope', 'old gen after GC, MiB/min')]:
        ranges = {}
        for i in range(a1 - a0 + 1):
            if any(windows[p][i] is None for p in pods):
                continue
            for p in pods:
                others = [o for o in stable if o != p]
                top = max(windows[o][i][key] for o in others)
                group = 'A/A' if p in stable else windows[p][i]['variant']
                ranges.setdefault(group, []).append(windows[p][i][key] - top)
        print(name + ': ' + '; '.join('%s %+.2f to %+.2f (%d)' % (g, min(v), max(v), len(v)) for g, v in ranges.items()))


def main():
    if sys.argv[1] == 'excess':
        excess(int(sys.argv[2]), int(sys.argv[3]), [p for p in sys.argv[4:] if os.path.isdir(p)])
        return
    a0, a1 = int(sys.argv[1]), int(sys.argv[2])
    pods = [p for p in sys.argv[3:] if os.path.isdir(p)]
    print('| pod | variant | window start (min) | promoted MiB/min (counter) | promoted MiB/min (GC log) |'
          ' allocated MiB/min | collections/min | old gen after GC, MiB/min | live data values |')
    print('|---|---|---:|---:|---:|---:|---:|---:|---:|')
    for pod in pods:
        for a in range(a0, a1 + 1):
            w = window(pod, a)
            if w is None:
                continue
            print('| %s | %s | %d | %.2f | %.2f | %.1f | %.2f | %.2f | %d |' % (
                w['pod'], w['variant'], a, w['promoted'], w['promoted_log'], w['allocated'], w['gcs'], w['old_slope'],
                w['live_values']))


if __name__ == '__main__':
    main()
