#!/usr/bin/env python3
# bench/qa67-scale.py SRC DST FRAME FACTOR: every stack through FRAME x FACTOR (that method made dearer), other stacks as they were
import gzip, os, shutil, sys
src, dst, frame, k = sys.argv[1], sys.argv[2], sys.argv[3], float(sys.argv[4])
os.makedirs(dst, exist_ok=True)
for n in sorted(os.listdir(src)):
    if not n.endswith('.collapsed.gz'):
        shutil.copy(os.path.join(src, n), os.path.join(dst, n)); continue
    out = []
    for l in gzip.open(os.path.join(src, n), 'rt'):
        l = l.rstrip('\n')
        if not l: continue
        s, v = l.rsplit(' ', 1)
        out.append(s + ' ' + str(round(int(v) * (k if frame in s.split(';') else 1))))
    with gzip.open(os.path.join(dst, n), 'wt') as f: f.write('\n'.join(out) + '\n')
