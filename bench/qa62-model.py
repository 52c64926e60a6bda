#!/usr/bin/env python3
"""Modelled canaries from recorded collapsed slices (qa62, docs/EVALUATION.md): qa62-model.py SRC DST MODE [args]
A caller or callee starting with `$` is prefixed with io.canaryjudge.qa53.PricingPod.
MODE scale ALL                      every stack xALL
MODE wrap  ALL NEWFRAME BELOW       NEWFRAME inserted above frame BELOW (a wrapper), every stack xALL
MODE add   ALL NEWFRAME PARENT:CHILD:FACTOR ...   copies xFACTOR of stacks with PARENT;CHILD, NEWFRAME inserted between (the originals kept)
"""
import gzip, os, shutil, sys
src, dst, mode = sys.argv[1:4]
os.makedirs(dst, exist_ok=True)
def out(lines, path):
    with gzip.open(path, 'wt') as f: f.write('\n'.join(lines) + '\n')
for name in sorted(os.listdir(src)):
    p = os.path.join(src, name)
    if not name.endswith('.collapsed.gz'):
        shutil.copy(p, os.path.join(dst, name)); continue
    lines = []
    for l in gzip.open(p, 'rt'):
        l = l.rstrip('\n')
        if not l: continue
        s, v = l.rsplit(' ', 1); v = int(v); fr = s.split(';')
        a = float(sys.argv[4])
        if mode == 'wrap':
            nf, below = sys.argv[5], sys.argv[6]
            if below in fr:
                i = fr.index(below); fr = fr[:i] + [nf] + fr[i:]
        lines.append(';'.join(fr) + ' ' + str(round(v * a)))
        if mode == 'add':
            nf = sys.argv[5]
            for spec in sys.argv[6:]:
                par, ch, fac = spec.split(':'); fac = float(fac)
                par = 'io.canaryjudge.qa53.PricingPod' + par if par.startswith('$') else par
                ch = 'io.canaryjudge.qa53.PricingPod' + ch if ch.startswith('$') else ch
                for i in range(len(fr) - 1):
                    if fr[i] == par and fr[i + 1] == ch:
                        lines.append(';'.join(fr[:i + 1] + [nf] + fr[i + 1:]) + ' ' + str(round(v * a * fac)))
                        break
    out(lines, os.path.join(dst, name))
