#!/usr/bin/env python3
"""qa63: judges the assembled recording of bench/qa63-record.sh (canary-judge/src/test/resources/qa63/pods) with `compare`
at default settings, as bench/qa57-judge.py does qa57's: each pod one instance directory holding the heap.csv rows,
live-object blocks (live-NN.pb.gz, five minutes each) and requests.csv rows of the window. Windows are whole blocks.
Baseline pods G1 256 MiB; canaries leaking on Parallel, ZGC (JDK 17) and generational ZGC (JDK 25), the same code on
generational ZGC, and on G1 with System.gc() every 4 minutes; then some roles swapped.
Usage: bench/qa63-judge.py CLASSPATH_FILE [PODS_DIR] > table.md
  env QA57_WHOLE=1: heap.csv with its whole_heap column (a full/major collection, or a ZGC cycle, as the GC log names it)
  env QA63_JFR=1: no heap.csv: the heap from the pod's JDK Flight Recording (jdk-gc.jfr.gz: jdk.GCHeapSummary,
      jdk.GarbageCollection, jdk.GCHeapConfiguration of its whole life, so only the window of every block is judged)
"""
import json, os, shutil, subprocess, sys, tempfile

cp = open(sys.argv[1]).read().strip()
pods_dir = sys.argv[2] if len(sys.argv) > 2 else "canary-judge/src/test/resources/qa63/pods"
os.makedirs("/tmp/qa63", exist_ok=True)
scratch = tempfile.mkdtemp(prefix="qa63-judge-", dir="/tmp/qa63")
whole = os.environ.get("QA57_WHOLE") == "1"


def instance(pod, blocks, tag):
    src = os.path.join(pods_dir, pod)
    dst = os.path.join(scratch, tag, pod)
    os.makedirs(dst)
    names = ["live-%02d.pb.gz" % b for b in blocks]
    rows = {l.split(",")[0]: l for l in open(os.path.join(src, "requests.csv")).read().split("\n")[1:] if l}
    names = [n for n in names if n in rows]
    for n in names:
        shutil.copy(os.path.join(src, n), dst)
    with open(os.path.join(dst, "requests.csv"), "w") as f:
        f.write("profile,requests\n" + "".join(rows[n] + "\n" for n in names))
    if os.environ.get("QA63_JFR") == "1":
        shutil.copy(os.path.join(src, "jdk-gc.jfr.gz"), dst)
        return dst
    lines = open(os.path.join(src, "heap.csv")).read().split("\n")
    start = int(lines[0].split("=")[1])
    lo, hi = start + (min(blocks) - 1) * 300_000, start + max(blocks) * 300_000
    header = lines[1] if whole else "timestamp_ms,heap_after_gc_bytes"
    with open(os.path.join(dst, "heap.csv"), "w") as f:
        f.write(lines[0] + "\n" + header + "\n")
        for l in lines[2:]:
            if l and lo <= int(l.split(",")[0]) <= hi:
                f.write((l if whole else ",".join(l.split(",")[:2])) + "\n")
    return dst


def judge(baseline, canary, blocks, tag):
    base = [instance(b, blocks, tag) for b in baseline]
    can = [instance(c, blocks, tag) for c in canary]
    args = ["nice", "java", "-cp", cp, "io.canaryjudge.CanaryJudgeApplication", "compare", "--format", "json"]
    for b in base:
        args += ["--baseline", b]
    for c in can:
        args += ["--canary", c]
    p = subprocess.run(args, capture_output=True, text=True)
    try:
        return json.loads(p.stdout)
    except ValueError:
        return {"result": "exit %d" % p.returncode, "summary": p.stderr[-300:]}


def outcome(v):
    mem = (v.get("dataQuality") or {}).get("memory") or {}
    f = next((f for f in v.get("findings") or [] if f.get("kind") == "MEMORY_GROWTH"), None)
    notes = mem.get("notes") or []
    if f:
        return "MEMORY_GROWTH " + f.get("function", ""), f.get("explanation", ""), mem
    if notes and "not resolved" in notes[0]:
        return "unresolved", notes[0], mem
    if not mem.get("judged"):
        return "not judged", notes[0] if notes else "no memory data", mem
    return "no growth", notes[0] if notes else "", mem


def main():
    g1 = ["baseline-1", "baseline-2", "baseline-3"]
    cells = [(g1, ["leak-parallel"]), (g1, ["leak-zgc"]), (g1, ["aa-genzgc"]), (g1, ["leak-genzgc"]), (g1, ["aa-fullgc"]),
             # roles swapped: the unlike pods as baseline
             (["aa-genzgc"], ["baseline-1"]), (["aa-genzgc"], ["leak-genzgc"]), (["aa-fullgc"], ["baseline-1"]),
             (["aa-fullgc", "aa-genzgc"], ["leak-parallel"])]
    windows = [("15 min, ages 10-25", [3, 4, 5]), ("20 min, ages 5-25", [2, 3, 4, 5]), ("25 min, ages 0-25", [1, 2, 3, 4, 5])]
    if os.environ.get("QA63_JFR") == "1":
        windows = windows[2:]
    print("| baseline | canary | window | result | memory outcome | slopes canary / baseline | words |")
    print("|---|---|---|---|---|---|---|")
    n = 0
    for baseline, canary in cells:
        for label, blocks in windows:
            n += 1
            v = judge(baseline, canary, blocks, "case%d" % n)
            what, words, mem = outcome(v)
            unit = mem.get("unit", "")
            scale = 1024 if "requests" in unit else 1048576
            slopes = "%s: %s / %s" % ("KiB/1000 req" if scale == 1024 else "MiB/h",
                                       "–" if mem.get("canarySlope") is None else "%.0f" % (mem["canarySlope"] / scale),
                                       "–" if mem.get("baselineSlope") is None else "%.0f" % (mem["baselineSlope"] / scale))
            b = "G1 x3" if baseline == g1 else ",".join(baseline)
            print("| %s | %s | %s | %s | %s | %s | %s |" % (b, ",".join(canary), label, v.get("result"), what, slopes,
                  words.replace("|", "/").replace("\n", " ")[:400]))
            sys.stdout.flush()
    shutil.rmtree(scratch)


main()
