#!/usr/bin/env python3
"""JIT decisions between JVMs (qa45): how much each function's self share varies between unchanged JVMs, JDK and
library frames against the application's own, from recorded RoutingPod pods (bench/qa45-jit.sh record + split).

usage: bench/qa45-spread.py OUT [--pods b] [--min-share 0.002] [--inclusive]
Converts OUT/now/<pod>/slice-*.jfr.gz with async-profiler's jfr-converter 4.2 (from ~/.m2) into OUT/collapsed/ once,
names lambdas and hidden classes without their per-JVM address, and prints per type (cpu, alloc): for functions at
or above --min-share of the pooled profile, the between-JVM CV of the self share beyond sampling
(sqrt(max(0, var/mean^2 - 1/(mean*samples)))), its median and 90th percentile per class, and how often a function
present in some JVMs is absent (0 samples) in another.
"""
import argparse, collections, glob, gzip, math, os, re, shutil, subprocess, statistics, tempfile

ap = argparse.ArgumentParser()
ap.add_argument("out"); ap.add_argument("--pods", default="b"); ap.add_argument("--min-share", type=float, default=0.002)
ap.add_argument("--inclusive", action="store_true", help="inclusive shares (the function and its callees) instead of self")
a = ap.parse_args()
conv = os.path.expanduser("~/.m2/repository/tools/profiler/jfr-converter/4.2/jfr-converter-4.2.jar")
LAMBDA = re.compile(r"\$\$Lambda[$/.]?[0-9]*(\.0x[0-9a-f]+|/0x[0-9a-f]+)?")
FRAME_SUFFIX = re.compile(r"_\[[a-z0-9]\]$")

def klass(f):
    if f.startswith("io/canaryjudge/qa45") or f.startswith("io.canaryjudge.qa45"): return "app"
    if re.match(r"^(java|jdk|sun|com/sun)[/.]", f): return "jdk"
    if "/" in f or "." in f.split("(")[0] and not f.startswith("["): return "other-java"
    return "native"

def collapsed(pod, kind):
    d = os.path.join(a.out, "collapsed"); os.makedirs(d, exist_ok=True)
    target = os.path.join(d, "%s.%s.txt" % (pod, kind))
    if not os.path.exists(target):
        with open(target + ".tmp", "w") as out:
            for gz in sorted(glob.glob(os.path.join(a.out, "now", pod, "slice-*.jfr.gz"))):
                with tempfile.NamedTemporaryFile(suffix=".jfr") as jfr, tempfile.NamedTemporaryFile(suffix=".txt") as txt:
                    with gzip.open(gz) as g: shutil.copyfileobj(g, jfr); jfr.flush()
                    flags = ["--cpu"] if kind == "cpu" else ["--alloc", "--total"]
                    subprocess.run(["java", "-cp", conv, "Main", "-o", "collapsed"] + flags + [jfr.name, txt.name],
                                   check=True, stdout=subprocess.DEVNULL)
                    out.write(open(txt.name).read())
        os.rename(target + ".tmp", target)
    shares = collections.Counter(); total = 0
    for line in open(target):
        stack, _, n = line.rstrip().rpartition(" ")
        n = int(n)
        frames = [FRAME_SUFFIX.sub("", LAMBDA.sub("$$Lambda", f)) for f in stack.split(";")]
        if kind == "alloc" and len(frames) > 1:
            frames = frames[:-1]  # the allocated class: the judge's function is the method that allocates
        if a.inclusive:
            for f in set(frames): shares[f] += n
        else:
            shares[frames[-1]] += n
        total += n
    return shares, total

pods = sorted(p for p in os.listdir(os.path.join(a.out, "now")) if re.fullmatch(a.pods + r"\d+", p))
for kind in ("cpu", "alloc"):
    data = {p: collapsed(p, kind) for p in pods}
    # samples: CPU one per count; alloc weights are bytes, ~32 KiB a sample (alloc=32k)
    per_sample = 1 if kind == "cpu" else 32768
    funcs = set().union(*(d[0] for d in data.values()))
    rows = []
    for f in funcs:
        s = [data[p][0][f] / data[p][1] for p in pods]
        n = statistics.mean(data[p][1] / per_sample for p in pods)
        m = statistics.mean(s)
        if m < a.min_share: continue
        cv2 = statistics.variance(s) / (m * m) - 1 / (m * n)
        rows.append((klass(f), f, m, math.sqrt(max(cv2, 0)), sum(1 for x in s if x == 0)))
    print("== %s: %d pods, %.0f samples a pod (mean), %d functions at >= %.1f %%" % (
        kind, len(pods), statistics.mean(data[p][1] / per_sample for p in pods), len(rows), 100 * a.min_share))
    for k in ("app", "jdk", "other-java", "native"):
        cvs = sorted(r[3] for r in rows if r[0] == k)
        if not cvs: continue
        absent = [r for r in rows if r[0] == k and r[4] > 0]
        print("  %-10s n=%3d  CV beyond sampling: median %.2f, p90 %.2f, max %.2f; absent in some JVM: %d" % (
            k, len(cvs), cvs[len(cvs) // 2], cvs[int(0.9 * (len(cvs) - 1))], cvs[-1], len(absent)))
    bulk = statistics.median(r[3] for r in rows if r[0] != "native")
    for k in ("app", "jdk"):
        ratios = sorted(r[3] / bulk for r in rows if r[0] == k)
        pairs = [(r[4], len(pods)) for r in rows if r[0] == k]
        print("  %-10s CV / median CV of Java functions (%.3f): median %.2f, p75 %.2f, p90 %.2f, p95 %.2f; absent in %d of"
              " %d (function, JVM) pairs" % (k, bulk, ratios[len(ratios) // 2], ratios[int(0.75 * (len(ratios) - 1))],
              ratios[int(0.9 * (len(ratios) - 1))], ratios[int(0.95 * (len(ratios) - 1))], sum(x[0] for x in pairs),
              sum(x[1] for x in pairs)))
    for r in sorted(rows, key=lambda r: -r[3])[:14]:
        print("    %-6s %6.2f%% CV %.2f absent in %2d/%d  %s" % (r[0], 100 * r[2], r[3], r[4], len(pods), r[1][:110]))
