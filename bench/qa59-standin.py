#!/usr/bin/env python3
"""qa59: how well does a stand-in the profiles already hold track a canary's share of a baseline pod's requests?

Reads bench/qa59-load.sh's pods (OUT/POD/live/minute-NNN.jfr: itimer CPU and every allocation, requests.log) and, per
pod and minute, converts each JFR with async-profiler's jfr-converter 4.2 to collapsed stacks (--cpu; --alloc --total,
bytes), summing: CPU samples, allocated bytes, and each of the two over the stacks holding an application frame
(io.canaryjudge.memory.*; the scrape's handler MemoryPod.lambda$main$0 counted separately as fixed-rate work).
Prints, per canary pod and window of minutes, its request ratio to the baseline pods' mean and each stand-in's ratio.
Usage: bench/qa59-standin.py OUT [FROM_MINUTE TO_MINUTE] [BASELINE_PODS]   (default minutes 2-11, baselines b1,b2)
"""
import glob, os, subprocess, sys, json

out = sys.argv[1]
lo = int(sys.argv[2]) if len(sys.argv) > 2 else 2
hi = int(sys.argv[3]) if len(sys.argv) > 3 else 11
baselines = (sys.argv[4] if len(sys.argv) > 4 else "b1,b2").split(",")
conv = os.path.expanduser("~/.m2/repository/tools/profiler/jfr-converter/4.2/jfr-converter-4.2.jar")
APP = "io/canaryjudge/memory/"
APP_DOT = "io.canaryjudge.memory."
SCRAPE = "MemoryPod.lambda$main$0"


def collapsed(jfr, args):
    cache = jfr + "." + "-".join(a.strip("-") for a in args) + ".txt"
    if not os.path.exists(cache):
        subprocess.run(["java", "-Xmx256m", "-cp", conv, "Main", *args, "-o", "collapsed", jfr, cache],
                       check=True, stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL)
    total = app = scrape = 0
    with open(cache) as f:
        for line in f:
            stack, _, n = line.rstrip("\n").rpartition(" ")
            n = int(n)
            total += n
            if SCRAPE in stack:
                scrape += n
            elif APP in stack or APP_DOT in stack:
                app += n
    return total, app, scrape


def requests(pod):
    """Requests served per minute index since the JVM's start, from requests.log (every 10 s) and pod.properties."""
    props = dict(l.strip().split("=", 1) for l in open(f"{out}/{pod}/pod.properties") if "=" in l)
    start = int(props["jvm_start_ms"])
    rows = [tuple(map(int, l.split(","))) for l in open(f"{out}/{pod}/requests.log").read().split("\n")[1:] if l]
    per = {}
    for (t0, n0), (t1, n1) in zip(rows, rows[1:]):
        per[(t1 - start) // 60000] = per.get((t1 - start) // 60000, 0) + n1 - n0
    return per


pods = sorted(os.path.basename(p) for p in glob.glob(f"{out}/*") if os.path.isdir(p))
stats = {}
for pod in pods:
    req = requests(pod)
    rows = {}
    for jfr in sorted(glob.glob(f"{out}/{pod}/live/minute-*.jfr")):
        m = int(jfr[-7:-4])
        if m < lo or m > hi:
            continue
        cpu = collapsed(jfr, ["--cpu"])
        alloc = collapsed(jfr, ["--alloc", "--total"])
        rows[m] = dict(req=req.get(m, 0), cpu=cpu[0], cpu_app=cpu[1], cpu_scrape=cpu[2],
                       alloc=alloc[0], alloc_app=alloc[1], alloc_scrape=alloc[2])
    stats[pod] = rows

keys = ["req", "cpu", "cpu_app", "alloc", "alloc_app", "alloc_scrape"]
def total(pod, key, minutes):
    return sum(stats[pod][m][key] for m in minutes if m in stats[pod])

minutes = range(lo, hi + 1)
base = {k: sum(total(b, k, minutes) for b in baselines) / len(baselines) for k in keys}
print(f"minutes {lo}-{hi}; baseline pods {','.join(baselines)}: per minute " + ", ".join(
    f"{k} {base[k] / len(minutes):,.0f}" for k in keys))
print("| pod | requests | CPU samples/s | CPU, app frames | allocated B/s | allocated, app frames | scrape's allocation |")
print("|---|---|---|---|---|---|---|")
for pod in pods:
    if pod in baselines:
        continue
    r = {k: total(pod, k, minutes) / base[k] if base[k] else float("nan") for k in keys}
    print(f"| {pod} | {100 * r['req']:.0f} % | {100 * r['cpu']:.0f} % | {100 * r['cpu_app']:.0f} % | "
          f"{100 * r['alloc']:.0f} % | {100 * r['alloc_app']:.0f} % | {100 * r['alloc_scrape']:.0f} % |")
print(json.dumps({p: {str(m): v for m, v in s.items()} for p, s in stats.items()}), file=open(f"{out}/standin.json", "w"))
