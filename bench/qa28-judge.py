#!/usr/bin/env python3
"""qa28-judge.py RECORDINGS JAR: `compare` (default settings) over each qa28 batch's layouts (bench/qa28-nodes.sh).
Writes RECORDINGS/verdicts/BATCH-LAYOUT-K.json and prints one line per case; ONLY=batch,batch limits the batches;
SWAP=1 swaps the roles (the unlike-node pods as the baseline, e.g. a release that raises a CPU limit)."""
import json, subprocess, sys, os
rec, jar = sys.argv[1], sys.argv[2]
out = rec + '/verdicts'
os.makedirs(out, exist_ok=True)
only = os.environ.get('ONLY')
batches = only.split(',') if only else [b for b in
    ['same', 'cpu1', 'pin', 'xmx64', 'noisy', 'reg-cpu1', 'hot-noisy'] if os.path.isdir(f'{rec}/{b}/canary')]
swap = os.environ.get('SWAP') == '1'
def pod(b, side, n): return f"{rec}/{b}/{({'baseline': 'canary', 'canary': 'baseline'}[side] if swap else side)}/pod-{n}"
for b in batches:
    cases = [('1v3', k, (1, 2, 3), (k,)) for k in (1, 2, 3)]
    cases += [('2v2', k, p, p) for k, p in enumerate([(1, 2), (2, 3), (3, 1)], 1)]
    cases += [('3v3', 1, (1, 2, 3), (1, 2, 3))]
    for layout, k, base, can in cases:
        args = ['nice', 'java', '-jar', jar, 'compare', '--format', 'json']
        for x in base: args += ['--baseline', pod(b, 'baseline', x)]
        for x in can: args += ['--canary', pod(b, 'canary', x)]
        name = f"{out}/{b}{'-swap' if swap else ''}-{layout}-{k}.json"
        with open(name, 'w') as f:
            subprocess.run(args, stdout=f, stderr=subprocess.DEVNULL)
        try:
            v = json.load(open(name))
        except Exception:
            print(b, layout, k, 'ERROR', open(name).read()[:300]); continue
        inc = v.get('incidents') or []
        lead = inc[0].get('entryFrame', '-') if inc else '-'
        print(f"{b + ('~' if swap else ''):10} {layout} {k} {v['result']:12} {lead[-60:]:60} | {v['summary'][:400]}", flush=True)
