#!/usr/bin/env python3
"""A canary that keeps the JIT busy (qa70): judges bench/qa70-jit.sh's recordings (record + split) with `compare` at
default settings: the 3 warm baseline pods against each canary (aa, young, deopt, classes), in each window (w1: the
canaries' minutes 0-3, w1b: the same against later, warm slices of the baseline pods, w2: minutes 3-8), without and with the baseline pods' own preceding 3 min as --history.

usage: bench/qa70-judge.py OUT CP RESULTS [WINDOW]   (CP: bench/test-classpath.sh, from the repository root)
Prints one line per run: outcome, the summary's start, the lead incident, and JIT warnings.
"""
import json, os, subprocess, sys

out, cp, results = sys.argv[1:4]
only = sys.argv[4] if len(sys.argv) > 4 else None
os.makedirs(results, exist_ok=True)
lines = []
for w, h in (("w1", "h1"), ("w1b", "h2"), ("w2", "h2")):
    if only and w != only:
        continue
    for c in ("aa", "young", "deopt", "classes"):
        for hist in (False, True):
            name = "%s-%s-%s" % (w, c, "h" if hist else "n")
            args = ["compare", "--format", "json"]
            for b in ("b1", "b2", "b3"):
                args += ["--baseline", os.path.join(out, w, b)]
            args += ["--canary", os.path.join(out, w, c)]
            if hist:
                for b in ("b1", "b2", "b3"):
                    args += ["--history", os.path.join(out, h, b)]
            lines.append(os.path.join(results, name + ".json") + "\t" + "\t".join(args) + "\n")
p = subprocess.run(["nice", "java", "-cp", cp, "io.canaryjudge.qa42.BatchCompare"], input="".join(lines),
                   stdout=subprocess.DEVNULL, text=True)
for line in lines:
    path = line.split("\t")[0]
    v = json.load(open(path))
    inc = v.get("incidents") or []
    lead = inc[0].get("summary", "")[:150] if inc else ""
    warns = [x for x in v.get("dataQuality", {}).get("warnings", []) if "JIT" in x]
    print("%-20s %-12s %s" % (os.path.basename(path)[:-5], v["result"], v["summary"][:400]))
    if lead:
        print("    lead: " + lead)
    for x in warns:
        print("    warn: " + x[:300])
