#!/usr/bin/env python3
"""qa57: judges the assembled recording of bench/qa57-record.sh (canary-judge/src/test/resources/qa57/pods) with `compare`
at default settings, as a user would: each pod one instance directory holding the heap.csv rows, live-object blocks
(live-NN.pb.gz, five minutes each) and requests.csv rows of the window. Windows are whole blocks: 15 minutes = 3 blocks,
30 = 6. Baseline pods G1 256 MiB; canaries the same code on another JVM (Serial by ergonomics on 1 CPU, Parallel,
ZGC, half or double the heap) or leaking on Serial / half the heap; then the roles swapped.
Usage: bench/qa57-judge.py CLASSPATH_FILE [PODS_DIR] > table.md
  env QA57_WHOLE=1: heap.csv with its whole_heap column (a full/major collection, or a ZGC cycle, as the GC log names it)
"""
import json, os, shutil, subprocess, sys, tempfile

cp = open(sys.argv[1]).read().strip()
pods_dir = sys.argv[2] if len(sys.argv) > 2 else "canary-judge/src/test/resources/qa57/pods"
os.makedirs("/tmp/qa57", exist_ok=True)
scratch = tempfile.mkdtemp(prefix="qa57-judge-", dir="/tmp/qa57")
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
    cells = [(g1, ["aa-serial"]), (g1, ["aa-serial-b"]), (g1, ["aa-serial", "aa-serial-b"]), (g1, ["aa-parallel"]),
             (g1, ["aa-zgc"]), (g1, ["aa-half"]), (g1, ["aa-double"]), (g1, ["leak-serial"]), (g1, ["leak-half"]),
             # roles swapped: the unlike pods as baseline, an unchanged G1 pod (or the leak) as canary
             (["aa-serial", "aa-serial-b"], ["baseline-1"]), (["aa-serial", "aa-serial-b"], ["baseline-2"]),
             (["aa-serial", "aa-serial-b", "aa-parallel"], ["baseline-3"]),
             (["aa-serial", "aa-serial-b"], ["leak-half"]),
             (["aa-half", "aa-double", "aa-zgc"], ["baseline-1"]),
             (["aa-serial", "aa-half", "aa-parallel"], ["leak-serial"])]
    windows = [("15 min, ages 15-30", [4, 5, 6]), ("15 min, ages 20-35", [5, 6, 7]),
               ("30 min, ages 0-30", [1, 2, 3, 4, 5, 6]), ("30 min, ages 5-35", [2, 3, 4, 5, 6, 7])]
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
