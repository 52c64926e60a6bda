#!/usr/bin/env python3
"""JIT decisions between JVMs (qa45): judges recorded RoutingPod pods (bench/qa45-jit.sh record + split) in small layouts.

usage: bench/qa45-judge.py OUT CP RESULTS [--splits N] [--changes N] [--modes noj] [--jobs J] [--only PREFIX] [--seed S]
  (CP: bench/test-classpath.sh, run from the repository root)

Layouts b<baseline pods>c<canary pods>: b1c1, b1c2, b2c1, b2c2, b3c1 (one canary beside three baseline pods, Argo's
usual), b1c3. A/A: baseline and canary drawn from the unchanged pods now/b1..b14 (disjoint, seeded). Changed canaries:
slow1-3 (Fees.quote +30 % of its steps), newp1-3 (new Throttle.admit), look1-3 (twice the HashMap lookups in
Enricher.tag) beside seeded baseline draws. Each run three ways: no history (-n), the baseline pods' own earlier
slices as --history (-o: hist/<pod>), two other unchanged JVMs' windows as --history (-j: now/<pod> of two b pods in
neither group). One JSON per run in RESULTS; prints one line per run and counts per case (CPU and alloc FAILs apart).
"""
import argparse, collections, json, os, random, subprocess

ap = argparse.ArgumentParser()
ap.add_argument("out"); ap.add_argument("cp"); ap.add_argument("results")
ap.add_argument("--splits", type=int, default=12); ap.add_argument("--jobs", type=int, default=2)
ap.add_argument("--only", default=""); ap.add_argument("--seed", type=int, default=45)
ap.add_argument("--changes", type=int, default=4, help="runs per changed variant and layout")
ap.add_argument("--modes", default="noj", help="history modes to run: n none, o own earlier slices, j other JVMs")
a = ap.parse_args()
now = os.path.join(a.out, "now"); hist = os.path.join(a.out, "hist")
B = sorted(d for d in os.listdir(now) if d.startswith("b"))
rng = random.Random(a.seed)
runs = []
layouts = {"b1c1": (1, 1), "b1c2": (1, 2), "b2c1": (2, 1), "b2c2": (2, 2), "b3c1": (3, 1), "b1c3": (1, 3)}
for lay, (nb, nc) in layouts.items():
    for s in range(a.splits):
        pool = B[:]; rng.shuffle(pool)
        runs.append(("aa-%s-%02d" % (lay, s), pool[:nb], pool[nb:nb + nc], pool[nb + nc:nb + nc + 2]))
    for v in ("slow", "newp", "look"):
        for s in range(a.changes):
            pool = B[:]; rng.shuffle(pool)
            cans = ["%s%d" % (v, i) for i in (1, 2, 3)]; rng.shuffle(cans)
            runs.append(("%s-%s-%02d" % (v, lay, s), pool[:nb], cans[:nc], pool[nb:nb + 2]))
runs = [r for r in runs if r[0].startswith(a.only)]
os.makedirs(a.results, exist_ok=True)

def command(run, mode):
    name, base, can, others = run
    args = ["compare", "--format", "json"]
    for p in base: args += ["--baseline", os.path.join(now, p)]
    for p in can: args += ["--canary", os.path.join(now, p)]
    if mode == "o":
        for p in base: args += ["--history", os.path.join(hist, p)]
    elif mode == "j":
        for p in others: args += ["--history", os.path.join(now, p)]
    return name + "-" + mode, base, can, args

jobs = [command(r, m) for r in runs for m in a.modes]
todo = [j for j in jobs if not os.path.exists(os.path.join(a.results, j[0] + ".json"))]
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
    failing = sorted({"%s:%s%s" % (f.get("profileType"), f.get("function"), "" if f.get("measure") == "self" else "+")
                      for f in v.get("findings", []) if f.get("failing")})
    types = {x.split(":")[0] for x in failing}
    print("%-20s %-12s b=%s c=%s %s | %s" % (tag, v["result"], ",".join(base), ",".join(can), " ".join(failing),
                                             v.get("summary", "")[:300].replace("\n", " ")), flush=True)
    parts = tag.split("-")
    case = "%s-%s-%s" % (parts[0], parts[1], parts[-1])
    counts[case][v["result"]] += 1
    for t in types: counts[case]["FAIL:" + t] += 1
print()
for case in sorted(counts):
    c = counts[case]; n = sum(c[r] for r in ("PASS", "FAIL", "INCONCLUSIVE", "ERROR"))
    print("%-16s n=%3d PASS %3d FAIL %3d (cpu %d, alloc %d) INCONCLUSIVE %3d %s" % (case, n, c["PASS"], c["FAIL"],
          c["FAIL:cpu"], c["FAIL:alloc_bytes"], c["INCONCLUSIVE"], ("ERROR %d" % c["ERROR"]) if c["ERROR"] else ""))
