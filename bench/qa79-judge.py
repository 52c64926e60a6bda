#!/usr/bin/env python3
"""Canaries that serve a different request mix (qa79): judges bench/qa79-record.sh's pods with `compare` at default
settings (cpu and alloc_bytes), each canary pod 1v3 against baseline pods b1, b3, b4 (the A/A rows: each of b1-b4 against
three others, aa1 and aa2 against b1, b3, b4), in three modes:
  endpoints  the pods as recorded: profiles, requests.csv and endpoints.csv (per-endpoint counts)
  totals     profiles and requests.csv only (a total request count, no mix)
  none       profiles only
  bench/qa79-judge.py REC CP RESULTS [--modes endpoints,totals,none] [--history]
Prints one line per run (verdict, failing incidents, summary) and a table."""
import argparse, json, os, shutil, subprocess

p = argparse.ArgumentParser()
p.add_argument("rec"); p.add_argument("cp"); p.add_argument("results")
p.add_argument("--modes", default="endpoints,totals,none")
p.add_argument("--jobs", type=int, default=2)
p.add_argument("--history", action="store_true", help="the unchanged global-mix pods (b2, aa1, aa2) not judged as "
               "baseline or canary go in as --history")
a = p.parse_args()
B = ["b1", "b3", "b4", "b2"]  # b2 (43 requests/s on the overloaded machine) last: canaries are judged against b1, b3, b4
CASES = [("aa-" + b, [x for x in B if x != b][:3], b) for b in B]
CASES += [(c, B[:3], c) for c in ["aa1", "aa2", "s2x", "s4x", "noquote", "rank130g", "rank130s", "price130s"]]
KEEP = {"endpoints": ("requests.csv", "endpoints.csv"), "totals": ("requests.csv",), "none": ()}

def pod_dir(mode, pod):
    d = os.path.join(a.results, "pods-" + mode, pod)
    if not os.path.isdir(d):
        os.makedirs(d)
        for f in os.listdir(os.path.join(a.rec, pod)):
            if f.endswith(".jfr") or f in KEEP[mode]:
                shutil.copy(os.path.join(a.rec, pod, f), d)
    return d

runs = []
for mode in a.modes.split(","):
    for name, base, can in CASES:
        out = os.path.join(a.results, "%s-%s.json" % (mode, name))
        args = ["compare", "--format", "json"]
        for b in base: args += ["--baseline", pod_dir(mode, b)]
        args += ["--canary", pod_dir(mode, can)]
        for h in (["b2", "aa1", "aa2"] if a.history else []):
            if h not in base and h != can: args += ["--history", pod_dir(mode, h)]
        runs.append((mode, name, out, args))
todo = [r for r in runs if not os.path.exists(r[2])]
procs = []
for k in range(a.jobs):
    part = todo[k::a.jobs]
    if not part: continue
    pr = subprocess.Popen(["nice", "java", "-cp", a.cp, "io.canaryjudge.qa42.BatchCompare"], stdin=subprocess.PIPE,
                          stdout=subprocess.DEVNULL, text=True)
    pr.stdin.write("".join(r[2] + "\t" + "\t".join(r[3]) + "\n" for r in part)); pr.stdin.close(); procs.append(pr)
for pr in procs: pr.wait()
for mode, name, out, args in runs:
    try:
        v = json.load(open(out))
    except (OSError, ValueError):
        v = {"result": "ERROR", "summary": "no verdict", "incidents": []}
    lead = [i["profileType"] + ":" + i["entryFrame"].replace("io.canaryjudge.qa79.", "")
            for i in v.get("incidents", []) if i.get("failing")]
    print("%-9s %-12s %-12s %-40s %s" % (mode, name, v["result"], ",".join(lead)[:40],
                                          v.get("summary", "")[:400].replace("\n", " ")))
