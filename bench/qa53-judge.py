#!/usr/bin/env python3
"""Culprits under an HTTP framework (qa53): judges recorded PricingPod pods (bench/qa53-record.sh) in 1v3, 2v2 and 3v3.

usage: bench/qa53-judge.py REC CP RESULTS [--aa N] [--changes N] [--jobs J] [--only PREFIX] [--seed S] [--report-only]
  (CP: bench/test-classpath.sh; REC: the record script's OUT; --history: the unchanged pods a run leaves out are
  given as --history, earlier observations of the baseline version used only to learn noise)

A/A: baseline and canary pods drawn (seeded, disjoint) from the unchanged JVMs b1..b6, N draws per layout. Changed:
canary JVM(s) <change><factor><a|b|c> (handler: PromotionRules.apply, codec: AuditLog.record, lambda: the map lambda
Quotes.lambda$quote$0; alloc: PromotionRules.apply's 64 KB table, judged on alloc_bytes) beside seeded baseline draws,
N per change, factor and layout (3v3 only where three canary JVMs exist). Default settings, both recorded types (cpu,
alloc_bytes). One JSON per run in RESULTS; prints per run the verdict, the lead incident (type: entry frame) and the
failing application frames (io.canaryjudge.qa53), then counts: FAIL, lead incident at the injected method (cpu or
alloc_bytes), runs where another failing incident stands beside it (and at which frame), A/A FAILs.
"""
import argparse, collections, json, os, random, re, subprocess

ap = argparse.ArgumentParser()
ap.add_argument("rec"); ap.add_argument("cp"); ap.add_argument("results")
ap.add_argument("--aa", type=int, default=10); ap.add_argument("--changes", type=int, default=3)
ap.add_argument("--jobs", type=int, default=1); ap.add_argument("--only", default="")
ap.add_argument("--seed", type=int, default=53); ap.add_argument("--report-only", action="store_true")
ap.add_argument("--history", action="store_true", help="the unchanged pods left out of a run go in as --history")
a = ap.parse_args()
B = sorted(d for d in os.listdir(a.rec) if re.fullmatch(r"b\d+", d))
APP = "io.canaryjudge.qa53."
INJECTED = {"handler": ("cpu", "PricingPod$PromotionRules.apply"), "codec": ("cpu", "PricingPod$AuditLog.record"),
            "lambda": ("cpu", "PricingPod$Quotes.lambda$quote$0"), "alloc": ("alloc_bytes", "PricingPod$PromotionRules.apply")}
SIZES = {"handler": ("125", "180"), "codec": ("125", "180"), "lambda": ("125", "180"), "alloc": ("",)}
rng = random.Random(a.seed)
layouts = {"1v3": (3, 1), "2v2": (2, 2), "3v3": (3, 3)}
runs = []
for lay, (nb, nc) in layouts.items():
    for s in range(a.aa):
        pool = B[:]; rng.shuffle(pool)
        runs.append(("aa-%s-%02d" % (lay, s), pool[:nb], pool[nb:nb + nc], pool[nb + nc:]))
    for change, sizes in SIZES.items():
        for f in sizes:
            pods = sorted(d for d in os.listdir(a.rec) if re.fullmatch(change + f + "[abc]", d))
            if len(pods) < nc:
                continue
            for s in range(a.changes):
                pool = B[:]; rng.shuffle(pool)
                cans = pods[:]; rng.shuffle(cans)
                runs.append(("%s%s-%s-%02d" % (change, f, lay, s), pool[:nb], sorted(cans[:nc]), pool[nb:]))
runs = [r for r in runs if r[0].startswith(a.only)]
os.makedirs(a.results, exist_ok=True)

def args(run):
    name, base, can, rest = run
    out = ["compare", "--format", "json"]
    for p in base: out += ["--baseline", os.path.join(a.rec, p)]
    for p in can: out += ["--canary", os.path.join(a.rec, p)]
    for p in (rest if a.history else []): out += ["--history", os.path.join(a.rec, p)]
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
for name, base, can, rest in runs:
    try:
        v = json.load(open(os.path.join(a.results, name + ".json")))
    except (OSError, ValueError):
        v = {"result": "ERROR", "summary": "no verdict", "findings": [], "incidents": []}
    change = re.match(r"[a-z]+", name).group(0)
    lay = name.split("-")[1]
    case = "%s-%s" % (name.split("-")[0], lay)
    fails = [f for f in v.get("findings", []) if f.get("failing")]
    incidents = [i for i in v.get("incidents", []) if i.get("failing")]
    lead = ("%s: %s" % (incidents[0]["profileType"], short(incidents[0]["entryFrame"]))) if incidents else "-"
    app = sorted({f["profileType"] + ":" + short(f["function"]) for f in fails if f["function"].startswith(APP)})
    c = counts[case]; c["n"] += 1; c[v["result"]] += 1
    if v["result"] == "FAIL" and change != "aa":
        ptype, target = INJECTED[change]
        if incidents and short(incidents[0]["entryFrame"]) == target:
            c["lead"] += 1  # in either type: a codec change that writes more also allocates more
        others = [i["profileType"] + ":" + short(i["entryFrame"]) for i in incidents if short(i["entryFrame"]) != target]
        if others:
            c["beside"] += 1
            for x in others: beside[(change, x)] += 1
    print("%-18s %-12s b=%s c=%s lead=%s fail=%s | %s" % (name, v["result"], ",".join(base), ",".join(can), lead,
          " ".join(app), v.get("summary", "")[:300].replace("\n", " ")), flush=True)
print()
for case in sorted(counts):
    c = counts[case]
    print("%-16s n=%3d FAIL %3d INCONCLUSIVE %3d PASS %3d lead-at-injected %3d other-incidents-FAIL %3d %s" % (
        case, c["n"], c["FAIL"], c["INCONCLUSIVE"], c["PASS"], c["lead"], c["beside"],
        ("ERROR %d" % c["ERROR"]) if c["ERROR"] else ""))
print()
for (change, x), n in sorted(beside.items()):
    print("beside %-7s %-60s %d" % (change, x, n))
