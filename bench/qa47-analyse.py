#!/usr/bin/env python3
"""Figures of a soak (bench/qa47-soak.sh): the judge's heap after GC over time from its own JFR recording (least-squares
slope of every after-GC point, and of the floor: the lowest after-GC point of each 2-minute bucket), live threads and
metaspace (JFR), RSS, threads, fds, temp files and store rows (samples.tsv), and requests by kind, status and result with
latency per 5-minute bucket (requests.jsonl). Points before SKIP seconds (warm-up, default 300) are left out of slopes.
  python3 bench/qa47-analyse.py /tmp/qa47/judge-end.jfr /tmp/qa47 [SKIP]"""
import collections, json, subprocess, sys
from datetime import datetime

jfr, out = sys.argv[1], sys.argv[2]
skip = float(sys.argv[3]) if len(sys.argv) > 3 else 300


def slope(points):  # least squares, per hour
    n = len(points)
    if n < 3:
        return float('nan'), n
    mx = sum(p[0] for p in points) / n
    my = sum(p[1] for p in points) / n
    sxx = sum((p[0] - mx) ** 2 for p in points)
    sxy = sum((p[0] - mx) * (p[1] - my) for p in points)
    return sxy / sxx * 3600, n


def ts(s):
    return datetime.fromisoformat(s.replace('Z', '+00:00')).timestamp()


events = json.loads(subprocess.run(['jfr', 'print', '--json', '--events',
                                    'jdk.GCHeapSummary,jdk.JavaThreadStatistics,jdk.MetaspaceSummary', jfr],
                                   capture_output=True, text=True, check=True).stdout)['recording']['events']
heap, threads, meta = [], [], []
for e in events:
    v = e['values']
    t = ts(v['startTime'])
    if e['type'] == 'jdk.GCHeapSummary' and v['when'] == 'After GC':
        heap.append((t, v['heapUsed']))
    elif e['type'] == 'jdk.JavaThreadStatistics':
        threads.append((t, v['activeCount']))
    elif e['type'] == 'jdk.MetaspaceSummary' and v['when'] == 'After GC':
        meta.append((t, v['metaspace']['used']))
t0 = min(p[0] for p in heap)
rel = lambda pts: [(t - t0, y) for t, y in pts if t - t0 >= skip]
h = rel(heap)
floor = collections.defaultdict(lambda: float('inf'))
for t, y in h:
    floor[int(t // 120)] = min(floor[int(t // 120)], y)
fl = [(k * 120 + 60, y) for k, y in sorted(floor.items())]
mb = 1 << 20
s, n = slope(h)
print(f'heap after GC: {n} points over {(h[-1][0] - h[0][0]) / 60:.0f} min, slope {s / mb:+.1f} MiB/h, '
      f'first {h[0][1] / mb:.0f} MiB, last {h[-1][1] / mb:.0f} MiB')
s, n = slope(fl)
print(f'heap floor (min after GC per 2 min): {n} buckets, slope {s / mb:+.1f} MiB/h, '
      f'{fl[0][1] / mb:.0f} -> {fl[-1][1] / mb:.0f} MiB; buckets: ' + ' '.join(f'{y / mb:.0f}' for _, y in fl))
s, n = slope(rel(threads))
print(f'live threads (JFR): slope {s:+.2f}/h, min {min(y for _, y in rel(threads))}, max {max(y for _, y in rel(threads))}')
s, n = slope(rel(meta))
print(f'metaspace used after GC: slope {s / mb:+.2f} MiB/h, last {rel(meta)[-1][1] / mb:.1f} MiB')
rows = [l.split('\t') for l in open(out + '/samples.tsv').read().split('\n') if l]
cols = ['rss KiB', 'threads', 'fds', 'tmp files', 'analyses rows', 'learned_noise rows']
for i, name in enumerate(cols, 1):
    pts = [(float(r[0]), float(r[i])) for r in rows if r[i] != 'NA' and float(r[0]) >= skip]
    s, n = slope(pts)
    print(f'{name}: slope {s:+.1f}/h over {n} samples, min {min(p[1] for p in pts):.0f}, max {max(p[1] for p in pts):.0f},'
          f' last {pts[-1][1]:.0f}')
reqs = [json.loads(l) for l in open(out + '/requests.jsonl')]
print(f'{len(reqs)} requests; analyses (argo/flagger/upload): '
      f'{sum(1 for r in reqs if r["kind"] in ("argo", "flagger", "upload"))}')
c = collections.Counter((r['kind'], r['status'], r['result']) for r in reqs)
for k, v in sorted(c.items(), key=lambda kv: (kv[0][0], -kv[1])):
    print(f'  {v:5d} {k[0]} {k[1]} {k[2]}')
buckets = collections.defaultdict(list)
for r in reqs:
    if r['kind'] in ('argo', 'flagger', 'upload'):
        buckets[int(r['t'] // 300)].append(r['ms'])
print('analysis latency per 5 min (n, p50, p95 ms): ' + '; '.join(
    f'{k * 5}-{k * 5 + 5}m {len(v)} {sorted(v)[len(v) // 2]} {sorted(v)[int(len(v) * 0.95)]}' for k, v in sorted(buckets.items())))
