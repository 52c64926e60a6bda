#!/usr/bin/env python3
"""Culprits with one canary pod (qa50): judges recorded ReportPod pods (bench/qa50-record.sh) in 1v3, 2v2, 1v1 and 4v2.

usage: bench/qa50-judge.py REC CP RESULTS [--aa N] [--changes N] [--jobs J] [--only PREFIX] [--seed S] [--report-only]
  (CP: bench/test-classpath.sh; REC: the record script's OUT)

A/A: baseline and canary pods drawn (seeded, disjoint) from the unchanged JVMs b1..b8, N draws per layout. Changed:
canary JVM(s) <change><factor>a/b (deep: Normalizer.normalize, lib: Summary.describe, lambda: Scoring.score) beside
seeded baseline draws, N per change, factor and layout. One JSON per run in RESULTS; prints per run the verdict, the
lead incident's entry frame and the failing application frames (io.canaryjudge.qa50), then counts: FAIL, lead incident
at the injected method, runs where another application frame FAILs beside it (and which), A/A FAILs.
"""
import argparse, collections, json, os, random, re, subprocess

ap = argparse.ArgumentParser()
ap.add_argument("rec"); ap.add_argument("cp"); ap.add_argument("results")
ap.add_argument("--aa", type=int, default=20); ap.add_argument("--changes", type=int, default=3)
ap.add_argument("--jobs", type=int, default=2); ap.add_argument("--only", default="")
ap.add_argument("--seed", type=int, default=50); ap.add_argument("--report-only", action="store_true")
a = ap.parse_args()
B = sorted(d for d in os.listdir(a.rec) if re.fullmatch(r"b\d+", d))
INJECTED = {"deep": "ReportPod$Normalizer.normalize", "lib": "ReportPod$Summary.describe",
            "lambda": "ReportPod$Scoring.score"}
APP = "io.canaryjudge.qa50."
rng = random.Random(a.seed)
layouts = {"1v3": (3, 1), "2v2": (2, 2), "1v1": (1, 1), "4v2": (4, 2)}
runs = []
for lay, (nb, nc) in layouts.items():
    for s in range(a.aa):
        pool = B[:]; rng.shuffle(pool)
        runs.append(("aa-%s-%02d" % (lay, s), pool[:nb], pool[nb:nb + nc]))
    for change in INJECTED:
        for f in ("115", "130", "160"):
            for s in range(a.changes):
                pool = B[:]; rng.shuffle(pool)
                cans = [change + f + x for x in "ab"]; rng.shuffle(cans)
                runs.append(("%s%s-%s-%02d" % (change, f, lay, s), pool[:nb], cans[:nc]))
runs = [r for r in runs if r[0].startswith(a.only)]
os.makedirs(a.results, exist_ok=True)

def args(run):
    name, base, can = run
    out = ["compare", "--format", "json"]
    for p in base: out += ["--baseline", os.path.join(a.rec, p)]
    for p in can: out += ["--canary", os.path.join(a.rec, p)]
    return out

todo = [r for r in runs if not os.path.exists(os.path.join(a.results, r[0] + ".json"))]
if not a.report_only and todo:
    procs = []
    for k in range(a.jobs):
        part = todo[k::a.jobs]
        if not part: continue
        lines = "".join(os.path.join(a.results, r[0] + ".json") + "\t" + "\t".join(args(r)) + "\n" for r in part)
        p = subprocess.Popen(["nice", "java", "-cp", a.cp, "io.canaryjudge.qa42.BatchCompare"], stdin=subprocess.PIPE,
                             stdout=subprocess.DEVNULL, text=True)
        p.stdin.write(lines); p.stdin.close(); procs.append(p)
    for p in procs: p.wait()

def short(fn):
    return fn.replace(APP, "")

counts = collections.defaultdict(collections.Counter)
beside = collections.Counter()
for name, base, can in runs:
    try:
        v = json.load(open(os.path.join(a.results, name + ".json")))
    except (OSError, ValueError):
        v = {"result": "ERROR", "summary": "no verdict", "findings": [], "incidents": []}
    change = re.match(r"[a-z]+", name).group(0)
    lay = name.split("-")[1]
    case = "%s-%s" % (name.split("-")[0], lay)
    fails = [f for f in v.get("findings", []) if f.get("failing")]
    incidents = [i for i in v.get("incidents", []) if i.get("failing")]
    lead = short(incidents[0]["entryFrame"]) if incidents else "-"
    app = sorted({short(f["function"]) + ("" if f.get("measure") == "self" else "+") for f in fails
                  if f["function"].startswith(APP) and f.get("profileType") == "cpu"})
    c = counts[case]; c["n"] += 1; c[v["result"]] += 1
    if v["result"] == "FAIL":
        if change != "aa":
            target = INJECTED[change]
            if lead == target:
                c["lead"] += 1
            others = [x for x in app if not x.rstrip("+").startswith(target) and "$$Lambda" not in x
                      and not x.startswith("ReportPod.lambda$main") and "render+" != x[-7:]]
            if others:
                c["beside"] += 1
                for x in others: beside[(change, x)] += 1
    print("%-18s %-12s b=%s c=%s lead=%s fail=%s | %s" % (name, v["result"], ",".join(base), ",".join(can), lead,
          " ".join(app), v.get("summary", "")[:260].replace("\n", " ")), flush=True)
print()
for case in sorted(counts):
    c = counts[case]
    print("%-16s n=%3d FAIL %3d INCONCLUSIVE %3d PASS %3d lead-at-injected %3d other-app-frames-FAIL %3d %s" % (
        case, c["n"], c["FAIL"], c["INCONCLUSIVE"], c["PASS"], c["lead"], c["beside"],
        ("ERROR %d" % c["ERROR"]) if c["ERROR"] else ""))
print()
for (change, x), n in sorted(beside.items()):
    print("beside %-7s %-60s %d" % (change, x, n))
