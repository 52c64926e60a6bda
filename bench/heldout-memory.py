#!/usr/bin/env python3
"""Held-out evaluation of canary-judge's memory-growth check on a recorded application it was never tuned on.

Recording: 15 JVMs of io.canaryjudge.memory.heldout.SearchService (see docs/heldout-memory-results.md):
baseline-1..3 (stable) and, 5 minutes later, aa-1..3, leak-1..3, slow-warm-1..3, bigger-flat-1..3.
Each pod directory holds heap.csv (written by the app from GC notifications) and, in a fresh recording,
rec.jfr (JDK Flight Recorder, settings=default). Without rec.jfr (the committed copy under
canary-judge/src/test/resources/memory-heldout/) each case gets a collapsed CPU stub (two files), the same for
every pod, and --profile-type cpu: then only the memory check can tell the pods apart.

For each scenario and each canary age A (minutes, window start) from 5 to the last full window, every pod's
heap.csv is cut to [t0 + A min, t0 + A + 15 min) (t0 = the canary's JVM start; for 3v3 the earliest of the
three), and `java -jar canary-judge.jar compare --format json` is run 3v3 (all three canaries) and 1v3 (each
canary alone) against the three baseline pods. The judge itself leaves each pod's first 20 minutes out.

usage: bench/heldout-memory.py [--rec DIR] [--jar JAR] [--out DIR] [--doc FILE] [--jobs N] [--window MIN]
"""
import argparse
import concurrent.futures
import json
import os
import shutil
import statistics
import subprocess
import sys

SCENARIOS = ["aa", "leak", "slow-warm", "bigger-flat"]
MIN = 60_000


def read_heap(path):
    start, rows = None, []
    with open(path) as f:
        for line in f:
            line = line.strip()
            if line.startswith("# jvm_start_ms="):
                start = int(line.split("=", 1)[1])
            elif line and not line.startswith("#") and not line.lower().startswith("timestamp"):
                t, v = line.split(",")
                rows.append((int(t), int(v)))
    return start, rows


def theil_sen(points):
    slopes = [(y2 - y1) / (x2 - x1) for i, (x1, y1) in enumerate(points) for (x2, y2) in points[i + 1:] if x2 != x1]
    return statistics.median(slopes) if slopes else float("nan")


def make_pod(case_dir, name, pod, lo, hi, stub):
    d = os.path.join(case_dir, name)
    os.makedirs(d)
    with open(os.path.join(d, "heap.csv"), "w") as f:
        f.write(f"# jvm_start_ms={pod['start']}\ntimestamp_ms,heap_after_gc_bytes\n")
        for t, v in pod["rows"]:
            if lo <= t < hi:
                f.write(f"{t},{v}\n")
    if stub:
        # two identical observations of 600 one-sample stacks: enough for the CPU comparison to be judged
        # (>= 2 observations, >= 1000 samples per side) and identical in every pod, so it finds nothing
        for k in (1, 2):
            with open(os.path.join(d, f"cpu-{k}.txt"), "w") as f:
                f.writelines(f"main;io.canaryjudge.memory.heldout.SearchService.handle;stub{i} 1\n" for i in range(600))
    else:
        os.symlink(pod["jfr"], os.path.join(d, "rec.jfr"))
    return d


def run_case(args, pods, case):
    scenario, layout, age, canaries = case
    t0 = min(pods[c]["start"] for c in canaries)
    lo, hi = t0 + age * MIN, t0 + (age + args.window) * MIN
    case_dir = os.path.join(args.out, "cases", f"{scenario}-{layout}-{age:02d}-{'+'.join(canaries)}")
    shutil.rmtree(case_dir, ignore_errors=True)
    os.makedirs(case_dir)
    stub = args.stub
    cmd = ["nice", "java", "-jar", args.jar, "compare", "--format", "json"]
    if stub:
        cmd += ["--profile-type", "cpu"]
    elif args.slice:
        cmd += ["--slice", args.slice]
    for b in ["baseline-1", "baseline-2", "baseline-3"]:
        cmd += ["--baseline", make_pod(case_dir, b, pods[b], lo, hi, stub)]
    for c in canaries:
        cmd += ["--canary", make_pod(case_dir, c, pods[c], lo, hi, stub)]
    p = subprocess.run(cmd, capture_output=True, text=True)
    row = {"scenario": scenario, "layout": layout, "age": age, "canaries": " ".join(canaries), "exit": p.returncode}
    try:
        d = json.loads(p.stdout)
    except ValueError:
        row.update(result="ERROR", memory=False, other="", judged=None, notes=[p.stderr.strip()[:300]])
        return row
    kinds = [f.get("kind") for f in d.get("findings") or []]
    mem = d.get("dataQuality", {}).get("memory") or {}
    mem_findings = [f for f in d.get("findings") or [] if f.get("kind") == "MEMORY_GROWTH"]
    row.update(result=d.get("result"), summary=d.get("summary"), memory=bool(mem_findings),
               other=";".join(sorted({str(k) for k in kinds if k != "MEMORY_GROWTH"})),
               judged=mem.get("judged"), notes=mem.get("notes") or [],
               memWarning=next((w for w in d.get("dataQuality", {}).get("warnings") or []
                                if w.startswith("memory growth not")), None),
               baselineSlope=mem.get("baselineSlope"), canarySlope=mem.get("canarySlope"),
               message=(mem_findings[0].get("explanation") if mem_findings else None))
    shutil.rmtree(case_dir, ignore_errors=True)
    return row


def classify(row):
    """memory outcome of one case: FAIL (a MEMORY_GROWTH finding), INCONCLUSIVE / not judged (a warning
    "memory growth not judged: ..." or "memory growth not resolved: ...", or dataQuality.memory.judged false),
    else PASS."""
    if row["memory"]:
        return "FAIL"
    if row.get("judged") and not row.get("memWarning"):
        return "PASS"
    return "INCONCLUSIVE"


def main():
    ap = argparse.ArgumentParser()
    ap.add_argument("--rec", default="/tmp/hm/rec")
    ap.add_argument("--jar", default=os.path.join(os.path.dirname(__file__), "..", "canary-judge", "target", "canary-judge.jar"))
    ap.add_argument("--out", default="/tmp/hm/eval")
    ap.add_argument("--doc", default=None, help="write the results table (markdown) here")
    ap.add_argument("--jobs", type=int, default=2)
    ap.add_argument("--window", type=int, default=15)
    ap.add_argument("--ages", default=None, help="only these window starts (comma-separated minutes), for a quick check")
    ap.add_argument("--slice", default=None, help="passed to compare with rec.jfr (e.g. 5m: several CPU observations per pod)")
    ap.add_argument("--stub", action="store_true", help="use a collapsed CPU stub even when rec.jfr exists")
    args = ap.parse_args()
    args.jar = os.path.abspath(args.jar)
    os.makedirs(args.out, exist_ok=True)

    pods = {}
    for name in ["baseline-1", "baseline-2", "baseline-3"] + [f"{s}-{n}" for s in SCENARIOS for n in (1, 2, 3)]:
        start, rows = read_heap(os.path.join(args.rec, name, "heap.csv"))
        jfr = os.path.abspath(os.path.join(args.rec, name, "rec.jfr"))
        if not os.path.exists(jfr) or os.path.getsize(jfr) == 0:
            args.stub = True
        pods[name] = {"start": start, "rows": rows, "jfr": jfr}

    # retained growth per pod over canary ages 20..end (Theil-Sen through every heap-after-GC point)
    growth = {}
    for name, pod in pods.items():
        pts = [((t - pod["start"]) / MIN, v / 2**20) for t, v in pod["rows"] if t - pod["start"] >= 20 * MIN]
        growth[name] = (theil_sen(pts), pts[0][0] if pts else None, pts[-1][0] if pts else None, len(pts))

    cases = []
    for s in SCENARIOS:
        cs = [f"{s}-{n}" for n in (1, 2, 3)]
        last_age = min((pods[c]["rows"][-1][0] - pods[c]["start"]) // MIN for c in cs)
        ages = range(5, int(last_age) - args.window + 1)
        if args.ages:
            ages = [int(a) for a in args.ages.split(",")]
        for age in ages:
            cases.append((s, "3v3", age, cs))
            for c in cs:
                cases.append((s, "1v3", age, [c]))
    print(f"{len(cases)} cases, profiles: {'collapsed CPU stub' if args.stub else 'rec.jfr'}", file=sys.stderr)
    with concurrent.futures.ThreadPoolExecutor(args.jobs) as ex:
        rows = list(ex.map(lambda c: run_case(args, pods, c), cases))
    with open(os.path.join(args.out, "cases.json"), "w") as f:
        json.dump(rows, f, indent=1)

    lines = ["| scenario | layout | canary age at window start | cases | MEMORY_GROWTH | INCONCLUSIVE / not judged | PASS | other FAIL findings (not memory) | exit 1 / 0 / 2 / other |",
             "|---|---|---|---:|---:|---:|---:|---|---|"]
    for s in SCENARIOS:
        for layout in ("3v3", "1v3"):
            for band, lo, hi in (("past warm-up", 20, 999), ("young", 5, 19)):
                rs = [r for r in rows if r["scenario"] == s and r["layout"] == layout and lo <= r["age"] <= hi]
                if not rs:
                    lines.append(f"| {s} | {layout} | {band} | 0 | – | – | – | – | – |")
                    continue
                ages = f"{min(r['age'] for r in rs)}–{max(r['age'] for r in rs)}"
                n = len(rs)
                c = {k: sum(classify(r) == k for r in rs) for k in ("FAIL", "INCONCLUSIVE", "PASS")}
                other = sum(bool(r["other"]) for r in rs)
                kinds = sorted({k for r in rs for k in r["other"].split(";") if k})
                ex = {e: sum(r["exit"] == e for r in rs) for e in (1, 0, 2)}
                exo = n - sum(ex.values())
                lines.append(f"| {s} | {layout} | {band} ({ages}) | {n} | {100*c['FAIL']/n:.1f} % ({c['FAIL']}) | "
                             f"{100*c['INCONCLUSIVE']/n:.1f} % ({c['INCONCLUSIVE']}) | {100*c['PASS']/n:.1f} % ({c['PASS']}) | "
                             f"{other} {('(' + ', '.join(kinds) + ')') if kinds else ''} | {ex[1]} / {ex[0]} / {ex[2]} / {exo} |")
    aa = statistics.mean(growth[f"aa-{n}"][0] for n in (1, 2, 3))
    glines = ["| pod group | Theil–Sen slope of heap after GC, ages 20–end (MiB/min), per pod | mean | minus A/A |", "|---|---|---:|---:|"]
    for g in ["baseline"] + SCENARIOS:
        vals = [growth[f"{g}-{n}"] for n in (1, 2, 3)]
        m = statistics.mean(v[0] for v in vals)
        glines.append(f"| {g} | " + ", ".join(f"{v[0]:.3f} ({v[3]} pts, {v[1]:.0f}–{v[2]:.0f} min)" for v in vals)
                      + f" | {m:.3f} | {m - aa:+.3f} |")
    out = "\n".join(lines) + "\n\n" + "\n".join(glines) + "\n"
    print(out)
    if args.doc:
        with open(args.doc, "w") as f:
            f.write(out)


if __name__ == "__main__":
    main()
