#!/usr/bin/env python3
"""History unlike now (qa41): judges the recordings of bench/qa41-history.sh with `compare --history`.

  bench/qa41-judge.py REC RESULTS 'java -cp CP io.canaryjudge.CanaryJudgeApplication' [HISTORY ...]
  LESSONS=storm,flag bench/qa41-judge.py ...   each case also judged with `--learned-noise`, a copy of lessons taught
      first by the baseline pods' windows of those phases (compare --baseline REC/<phase>/b1..b3 --canary REC/now/a1)

For each canary set (a: A/A, s: Pricing.quote +45 %, n: new Recommend.similar), layout (3v3; 2v2 x3; 3 baselines
v 1 canary x3) and history (none; young, night, storm, flag: the baseline pods' own earlier windows in REC/<h>/<pod>;
prev: the previous version's pods p1..p3), writes the JSON verdict to RESULTS and prints one line:
case history result | failing findings (type function) | noiseSource (first 100 chars) | history warnings.
"""
import json, os, shutil, subprocess, sys
from concurrent.futures import ThreadPoolExecutor

rec, results, java = sys.argv[1], sys.argv[2], sys.argv[3].split()
histories = sys.argv[4:] or ["none", "young", "night", "storm", "flag", "prev"]
os.makedirs(results, exist_ok=True)
lessons = [p for p in os.environ.get("LESSONS", "").split(",") if p]
taught = f"{results}/lessons.json"
if lessons and not os.path.exists(taught):
    for phase in lessons:
        subprocess.run(["nice"] + java + ["compare", "--format", "json", "--learned-noise", taught]
                       + sum([["--baseline", f"{rec}/{phase}/b{b}"] for b in (1, 2, 3)], [])
                       + ["--canary", f"{rec}/now/a1"], stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL)
layouts = [("3v3", [1, 2, 3], [1, 2, 3])] + [(f"2v2-{a}{b}", [a, b], [a, b]) for a, b in [(1, 2), (1, 3), (2, 3)]] \
    + [(f"3v1-{i}", [1, 2, 3], [i]) for i in (1, 2, 3)]
runs = []
for c in "asn":
    for name, bs, cs in layouts:
        for h in histories:
            args = []
            for b in bs:
                args += ["--baseline", f"{rec}/now/b{b}"]
            for i in cs:
                args += ["--canary", f"{rec}/now/{c}{i}"]
            if h == "prev":
                for p in (1, 2, 3):
                    args += ["--history", f"{rec}/prev/p{p}"]
            elif h != "none":
                for b in bs:
                    args += ["--history", f"{rec}/{h}/b{b}"]
            runs.append((f"{c}-{name}", h, args))


def run(r):
    case, h, args = r
    out = f"{results}/{case}.{h}.json"
    if not os.path.exists(out):
        if lessons:
            copy = f"{out}.lessons"
            shutil.copy(taught, copy)
            args = args + ["--learned-noise", copy]
        with open(out, "w") as f:
            subprocess.run(["nice"] + java + ["compare", "--format", "json"] + args, stdout=f, stderr=subprocess.DEVNULL)
    try:
        v = json.load(open(out))
    except Exception as e:
        return f"{case} {h} ERROR {e}"
    failing = [f"{f.get('profileType')}:{'.'.join((f.get('function') or '?').split('.')[-2:]).replace('HistoryShiftPod$', '')}"
               for f in v.get("findings", []) if f.get("failing")]
    dq = v.get("dataQuality", {})
    src = next((t.get("noiseSource", "") for t in dq.get("types", []) if t.get("profileType", t.get("type")) == "cpu"), "")
    warns = [w[:140] for w in dq.get("warnings", []) if "histor" in w.lower()]
    return f"{case} {h} {v.get('result')} | {' '.join(failing)} | {src[:110]} | {warns}"


with ThreadPoolExecutor(2) as pool:
    for line in pool.map(run, runs):
        print(line, flush=True)
