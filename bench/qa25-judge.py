#!/usr/bin/env python3
"""qa25-judge.py MODE RECORDINGS JAR: compare --slice 10s over the qa25 cases and layouts of one mode (bench/qa25-reactive.sh)."""
import json, subprocess, sys, os, itertools
mode = sys.argv[1]
out = sys.argv[2] + '/verdicts'
jar = sys.argv[3]
R = sys.argv[2] + '/' + mode
os.makedirs(out, exist_ok=True)
def pod(v, n): return f'{R}/{v}/pod{n}'
cases = []
A = [1, 2, 3, 4, 5, 6]
# A/A splits
for i, (b, c) in enumerate([((1,2,3),(4,)), ((4,5,6),(1,)), ((1,3,5),(2,)), ((2,4,6),(3,)), ((1,2,4),(6,)), ((3,5,6),(4,))]):
    cases.append(('AA', '1v3', i, [pod('A', x) for x in b], [pod('A', x) for x in c]))
for i, (b, c) in enumerate([((1,2),(3,4)), ((3,4),(5,6)), ((5,6),(1,2)), ((1,3),(2,4)), ((2,5),(3,6)), ((4,6),(1,5))]):
    cases.append(('AA', '2v2', i, [pod('A', x) for x in b], [pod('A', x) for x in c]))
for i, (b, c) in enumerate([((1,2,3),(4,5,6)), ((1,3,5),(2,4,6)), ((1,2,6),(3,4,5)), ((2,3,4),(1,5,6))]):
    cases.append(('AA', '3v3', i, [pod('A', x) for x in b], [pod('A', x) for x in c]))
for v in ['CPU50', 'CPU100', 'NEWPATH', 'ALLOC']:
    for k in (1, 2, 3):
        base = [(1,2,3), (3,4,5), (5,6,1)][k-1]
        cases.append((v, '1v3', k, [pod('A', x) for x in base], [pod(v, k)]))
        cases.append((v, '2v2', k, [pod('A', x) for x in [(1,2),(3,4),(5,6)][k-1]], [pod(v, x) for x in [(1,2),(2,3),(3,1)][k-1]]))
        cases.append((v, '3v3', k, [pod('A', x) for x in [(1,2,3),(4,5,6),(2,4,6)][k-1]], [pod(v, x) for x in (1,2,3)]))
only = os.environ.get('ONLY')
for case, layout, k, b, c in cases:
    if only and case != only:
        continue
    args = ['nice', 'java', '-jar', jar, 'compare', '--slice', '10s', '--format', 'json']
    for x in b: args += ['--baseline', x]
    for x in c: args += ['--canary', x]
    name = f'{out}/{mode}-{case}-{layout}-{k}.json'
    with open(name, 'w') as f:
        subprocess.run(args, stdout=f, stderr=subprocess.DEVNULL)
    try:
        v = json.load(open(name))
    except Exception as e:
        print(mode, case, layout, k, 'ERROR', open(name).read()[:300]); continue
    inc = v.get('incidents') or []
    lead = inc[0]['entryFrame'] if inc else '-'
    print(f"{mode:8} {case:8} {layout} {k} {v['result']:12} {lead[:70]:70} | {v['summary'][:260]}", flush=True)
