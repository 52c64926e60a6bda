#!/usr/bin/env python3
# bench/qa65-partial-wrapper.py SRC DST FRACTION NEWFRAME BELOW: a share FRACTION of every stack's value through BELOW moved under NEWFRAME
# inserted above BELOW (a wrapper around some of BELOW's runs: `if (sampled) traced(() -> x()) else x()`)
import gzip, os, shutil, sys
src, dst, frac, nf, below = sys.argv[1], sys.argv[2], float(sys.argv[3]), sys.argv[4], sys.argv[5]
os.makedirs(dst, exist_ok=True)
for name in sorted(os.listdir(src)):
    p = os.path.join(src, name)
    if not name.endswith('.collapsed.gz'):
        shutil.copy(p, os.path.join(dst, name)); continue
    out = []
    for l in gzip.open(p, 'rt'):
        l = l.rstrip('\n')
        if not l: continue
        s, v = l.rsplit(' ', 1); v = int(v); fr = s.split(';')
        if below in fr:
            i = fr.index(below); moved = round(v * frac)
            if v - moved: out.append(s + ' ' + str(v - moved))
            if moved: out.append(';'.join(fr[:i] + [nf] + fr[i:]) + ' ' + str(moved))
        else:
            out.append(l)
    with gzip.open(os.path.join(dst, name), 'wt') as f: f.write('\n'.join(out) + '\n')
