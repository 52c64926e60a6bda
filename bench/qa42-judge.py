#!/usr/bin/env python3
"""Pod layouts (qa42): judges recorded LedgerPod pods (bench/qa42-layouts.sh record + split) in many layouts.

usage: bench/qa42-judge.py OUT CP RESULTS   (CP: bench/test-classpath.sh, run from the repository root) [--splits N] [--jobs J] [--only PREFIX]

A/A: baseline and canary drawn from the unchanged pods now/b1..b10 (disjoint, seeded draws) in the layouts
1v1, 1v6 (one canary beside six baseline pods), 2v6, 4v4, 6v2, and uneven ones (a late pod with a tenth of the
samples, a big pod with 3x, a canary pod with a fifth of the traffic); each also with --history (the baseline pods'
own earlier slices, hist/<pod>). Regressions: slow (Fx.convert +40 % loop), newp (new Fraud.screen), alloc (journal
copies) canaries in the same layouts. One JSON per run in RESULTS; prints one line per run and counts per case.
"""
import argparse, collections, json, os, random, subprocess, sys

ap = argparse.ArgumentParser()
ap.add_argument("out"); ap.add_argument("cp"); ap.add_argument("results")
ap.add_argument("--splits", type=int, default=12); ap.add_argument("--jobs", type=int, default=2)
ap.add_argument("--only", default="")
ap.add_argument("--two-slice", action="store_true", help="1v1 of the 2-slice pods (qa42-layouts.sh split2): A/A pairs "
                "of b4..b10 (b1-b3 share a JVM start), slow1-2 and newp1-2 beside b4, b6, b8, b10; history: the baseline "
                "pod's own two earlier windows")
a = ap.parse_args()
now = os.path.join(a.out, "now"); hist = os.path.join(a.out, "hist")
B = ["b%d" % i for i in range(1, 11)]
rng = random.Random(42)
runs = []  # (name, baselines, canaries, history?)

def draw(nb, nc, canaries=None):
    pool = B[:]; rng.shuffle(pool)
    base = pool[:nb]
    return base, (canaries if canaries is not None else pool[nb:nb + nc])

layouts = {"1v1": (1, 1), "1v6": (6, 1), "2v6": (6, 2), "4v4": (4, 4), "6v2": (2, 6)}
for lay, (nb, nc) in layouts.items():
    for s in range(a.splits):
        base, can = draw(nb, nc)
        runs.append(("aa-%s-%02d" % (lay, s), base, can))
    for v, n in (("slow", 6), ("newp", 6), ("alloc", 3)):
        for s in range(max(2, a.splits // 3)):
            cans = ["%s%d" % (v, i) for i in range(1, n + 1)]; rng.shuffle(cans)
            base, _ = draw(nb, 0)
            runs.append(("%s-%s-%02d" % (v, lay, s), base, cans[:min(nc, n)]))
# uneven pod sizes inside a group (3 v 3): a late baseline pod (a tenth of the samples), a big one (3x),
# a canary pod that served a fifth of the traffic.
for s in range(a.splits):
    base, can = draw(2, 3); runs.append(("aa-late-%02d" % s, base + ["late%d" % (1 + s % 2)], can))
    base, can = draw(2, 3); runs.append(("aa-big-%02d" % s, base + ["big%d" % (1 + s % 2)], can))
    base, can = draw(3, 2); runs.append(("aa-frac-%02d" % s, base, can + ["frac%d" % (1 + s % 2)]))
    base, can = draw(1, 1); runs.append(("aa-1late-%02d" % s, ["late%d" % (1 + s % 2)], can))
# a late pod in the canary group: fixed 3 + 2 splits, each without it (latec0) and with late1 or late2 (latec)
for s, (b3, c2) in enumerate([("b1 b2 b3", "b4 b5"), ("b4 b5 b6", "b7 b8"), ("b7 b8 b9", "b10 b1"), ("b2 b4 b6", "b8 b10"),
                              ("b3 b5 b7", "b9 b1"), ("b6 b8 b10", "b2 b3")]):
    runs.append(("aa-latec0-%02d" % s, b3.split(), c2.split()))
    for late in ("late1", "late2"):
        runs.append(("aa-latec-%02d%s" % (s, late[-1]), b3.split(), c2.split() + [late]))
for s in range(max(2, a.splits // 3)):
    base, _ = draw(3, 0); runs.append(("slow-late-%02d" % s, base[:2] + ["late%d" % (1 + s % 2)], ["slow1", "slow2", "slow3"]))
    base, _ = draw(3, 0); runs.append(("slow-frac-%02d" % s, base, ["slow%d" % (1 + s), "slowfrac1"]))
    base, _ = draw(3, 0); runs.append(("newp-frac-%02d" % s, base, ["newp%d" % (1 + s), "newpfrac1"]))
    base, _ = draw(3, 0); runs.append(("slow-big-%02d" % s, base[:2] + ["big%d" % (1 + s % 2)], ["slow1", "slow2", "slow3"]))
if a.two_slice:
    now = os.path.join(a.out, "w2", "now")
    runs = [("aa-b%d-b%d" % (i, j), ["b%d" % i], ["b%d" % j]) for i in range(4, 11) for j in range(4, 11)
            if i != j and (i + j) % 2 == 1]
    runs += [("%s-b%d" % (c, i), ["b%d" % i], [c]) for i in (4, 6, 8, 10) for c in ("slow1", "slow2", "newp1", "newp2")]
runs = [r for r in runs if r[0].startswith(a.only)]
os.makedirs(a.results, exist_ok=True)

def command(run, history):
    name, base, can = run
    tag = name + ("-h" if history else "")
    args = ["compare", "--format", "json"]
    for p in base: args += ["--baseline", os.path.join(now, p)]
    for p in can: args += ["--canary", os.path.join(now, p)]
    if history and a.two_slice:
        for p in base: args += ["--history", os.path.join(a.out, "w2", "h1", p), "--history", os.path.join(a.out, "w2", "h2", p)]
    elif history:
        for p in base:
            if os.path.isdir(os.path.join(hist, p)): args += ["--history", os.path.join(hist, p)]
    return tag, base, can, args

jobs = [command(r, h) for r in runs for h in (False, True)]
todo = [j for j in jobs if not os.path.exists(os.path.join(a.results, j[0] + ".json"))]
# Many compare runs in a few warm JVMs (io.canaryjudge.qa42.BatchCompare): a cold JVM per run cost more than judging.
procs = []
for k in range(a.jobs):
    part = todo[k::a.jobs]
    if not part: continue
    lines = "".join(os.path.join(a.results, t + ".json") + "\t" + "\t".join(args) + "\n" for t, _, _, args in part)
    p = subprocess.Popen(["nice", "java", "-cp", a.cp, "io.canaryjudge.qa42.BatchCompare"], stdin=subprocess.PIPE,
                         stdout=subprocess.DEVNULL, text=True)
    p.stdin.write(lines); p.stdin.close(); procs.append(p)
for p in procs: p.wait()
counts = collections.defaultdict(collections.Counter)
for tag, base, can, _ in jobs:
    path = os.path.join(a.results, tag + ".json")
    try:
        v = json.load(open(path))
    except (OSError, ValueError):
        v = {"result": "ERROR", "summary": "no verdict", "findings": []}
    failing = sorted({"%s:%s" % (f.get("profileType"), f.get("function")) for f in v.get("findings", []) if f.get("failing")})
    print("%-22s %-12s b=%s c=%s %s | %s" % (tag, v["result"], ",".join(base), ",".join(can), " ".join(failing), v.get("summary", "")[:400]), flush=True)
    case = "-".join(tag.split("-")[:1 if a.two_slice else 2]) + ("-h" if tag.endswith("-h") else "")
    counts[case][v["result"]] += 1
print()
for case in sorted(counts):
    c = counts[case]; n = sum(c.values())
    print("%-16s n=%3d PASS %3d FAIL %3d INCONCLUSIVE %3d %s" % (case, n, c["PASS"], c["FAIL"], c["INCONCLUSIVE"], ("ERROR %d" % c["ERROR"]) if c["ERROR"] else ""))
