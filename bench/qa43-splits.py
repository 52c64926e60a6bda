#!/usr/bin/env python3
"""The runs bench/qa43-alloc.sh judges, one per line: NAME BASELINE... -- CANARY...

A/A: disjoint splits of the unchanged pods b1-b12 drawn with a fixed seed (1v1, 1v3, 2v2, 3v3, 30 each; jb1-jb6
under the JDK's JFR: 1v1, 1v3, 2v2 10 each); changes: b1-b3 against each change's three pods (3v3), two of each
(2v2) and each one alone (3v1)."""
import random

rng = random.Random(43)
for pool, prefix, layouts, count in ((12, "b", ((1, 1), (1, 3), (2, 2), (3, 3)), 30),
                                     (6, "jb", ((1, 1), (1, 3), (2, 2)), 10)):
    pods = [f"{prefix}{i}" for i in range(1, pool + 1)]
    for nb, nc in layouts:
        for k in range(count):
            drawn = rng.sample(pods, nb + nc)
            print(f"aa-{prefix}-{nb}v{nc}-{k:02d}", *drawn[:nb], "--", *drawn[nb:])
for change, base in (("bigbuf", "b"), ("smallobjs", "b"), ("newpath", "b"), ("escape", "b"), ("cpu", "b"),
                     ("jbigbuf", "jb")):
    b = [f"{base}{i}" for i in (1, 2, 3)]
    c = [f"{change}{i}" for i in (1, 2, 3)]
    print(f"{change}-3v3", *b, "--", *c)
    print(f"{change}-2v2", *b[:2], "--", *c[:2])
    for i in range(3):
        print(f"{change}-3v1-{i + 1}", *b, "--", c[i])
