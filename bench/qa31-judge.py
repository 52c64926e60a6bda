#!/usr/bin/env python3
"""qa31-judge.py JAR RECORDINGS aa|cpu2x|new|inline|io|changes|all [compare flags]: compare --slice 10s (default settings otherwise)
over the qa31 Kotlin quote pods recorded by RecordKotlinPodsRun (-Dqa31.record=RECORDINGS): A/A 3v3 (the 10 splits
with aa-1 in the baseline), 10 of the 2v2 and 10 of the 1v3 layouts of aa-1..aa-6 (drawn with seed 31); each change
(cpu2x: the suspend function QuoteService.discount does twice the work; new: a new suspend function fraudScore in its
own coroutine; inline: the inline function mix does twice the work, in its callers render and reserveStock; io: the
pricing coroutine dispatched to Dispatchers.IO instead of Dispatchers.Default, the same work)
at 3v3, 2v2 (twice) and 1v3 (three times). Prints each verdict, then counts per layout and result."""
import sys, json, subprocess, itertools, random
jar, rec, what = sys.argv[1], sys.argv[2], sys.argv[3]
extra = sys.argv[4:]
AA = ['aa-%d' % i for i in range(1, 7)]
def run(base, can):
    cmd = ['nice', 'java', '-jar', jar, 'compare', '--slice', '10s', '--format', 'json'] + extra
    for b in base: cmd += ['--baseline', rec + '/' + b]
    for c in can: cmd += ['--canary', rec + '/' + c]
    p = subprocess.run(cmd, capture_output=True, text=True)
    try:
        v = json.loads(p.stdout)
        return v['result'], v['summary']
    except Exception:
        return 'ERROR', p.stderr[-500:]
cases = []
rnd = random.Random(31)
if what in ('aa', 'all'):
    splits = [c for c in itertools.combinations(AA, 3) if 'aa-1' in c]
    for c in splits:
        cases.append(('aa 3v3', list(c), [p for p in AA if p not in c]))
    four = list(itertools.combinations(AA, 4)); rnd.shuffle(four)
    for f in four[:10]:
        cases.append(('aa 2v2', list(f[:2]), list(f[2:])))
    ones = [(c, b) for c in AA for b in itertools.combinations([p for p in AA if p != c], 3)]; rnd.shuffle(ones)
    for c, b in ones[:10]:
        cases.append(('aa 1v3', list(b), [c]))
for ch in ('cpu2x', 'new', 'inline', 'io'):
    if what in (ch, 'all', 'changes'):
        cases.append((ch + ' 3v3', AA[:3], [ch + '-1', ch + '-2', ch + '-3']))
        cases.append((ch + ' 2v2', AA[3:5], [ch + '-1', ch + '-2']))
        cases.append((ch + ' 2v2', AA[:2], [ch + '-2', ch + '-3']))
        for i in (1, 2, 3):
            cases.append((ch + ' 1v3', AA[i:i + 3], [ch + '-%d' % i]))
from collections import Counter
cnt = Counter()
for layout, b, c in cases:
    r, s = run(b, c)
    cnt[(layout, r)] += 1
    print('%-8s %-12s b=%s c=%s :: %s' % (layout, r, ','.join(b), ','.join(c), s[:400]), flush=True)
for k in sorted(cnt): print(k, cnt[k])
