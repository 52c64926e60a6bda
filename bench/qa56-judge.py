#!/usr/bin/env python3
"""qa56: judges the assembled recording (canary-judge/src/test/resources/qa56/pods) with `compare` at default settings,
as a user would: each pod one instance directory holding the heap.csv rows, live-object blocks (live-NN.pb.gz, five
minutes each) and requests.csv rows of the window. Windows are whole blocks: 15 minutes = 3 blocks, 30 = 6.
Usage: bench/qa56-judge.py CLASSPATH_FILE [PODS_DIR] > table.md   (env QA56_NOCOUNTS=1 leaves requests.csv out)
qa66: QA56_SCENARIOS="aa-100 broken-100 a,b" (canary pod groups, commas within a group) and QA56_WINDOWS="15 min:1,2,3:1,2,3;..."
(label:canary blocks:baseline blocks) judge another recording.
"""
import json, os, shutil, subprocess, sys, tempfile

cp = open(sys.argv[1]).read().strip()
pods_dir = sys.argv[2] if len(sys.argv) > 2 else "canary-judge/src/test/resources/qa56/pods"
scratch = tempfile.mkdtemp(prefix="qa56-judge-", dir=os.environ.get("QA56_SCRATCH", "/tmp/qa56"))


def instance(pod, blocks, counts, tag):
    src = os.path.join(pods_dir, pod)
    dst = os.path.join(scratch, tag, pod)
    os.makedirs(dst)
    names = ["live-%02d.pb.gz" % b for b in blocks]
    rows = {l.split(",")[0]: l for l in open(os.path.join(src, "requests.csv")).read().split("\n")[1:] if l}
    names = [n for n in names if n in rows]
    for n in names:
        shutil.copy(os.path.join(src, n), dst)
    if counts:
        with open(os.path.join(dst, "requests.csv"), "w") as f:
            f.write("profile,requests\n" + "".join(rows[n] + "\n" for n in names))
    # heap rows inside the blocks' span: the blocks' start/end from the pprof is not at hand here; pods started within
    # seconds of each other, so minutes of the JVM's life are used (block b = minutes 5(b-1) .. 5b)
    lines = open(os.path.join(src, "heap.csv")).read().split("\n")
    start = int(lines[0].split("=")[1])
    lo, hi = start + (min(blocks) - 1) * 300_000, start + max(blocks) * 300_000
    with open(os.path.join(dst, "heap.csv"), "w") as f:
        f.write(lines[0] + "\n" + lines[1] + "\n")
        for l in lines[2:]:
            if l and lo <= int(l.split(",")[0]) <= hi:
                f.write(l + "\n")
    return dst


def judge(canary, cblocks, bblocks, counts, tag):
    base = [instance(b, bblocks, counts, tag) for b in ("baseline-1", "baseline-2", "baseline-3")]
    can = [instance(c, cblocks, counts, tag) for c in canary]
    args = ["nice", "java", "-cp", cp, "io.canaryjudge.CanaryJudgeApplication", "compare", "--format", "json"]
    for b in base:
        args += ["--baseline", b]
    for c in can:
        args += ["--canary", c]
    p = subprocess.run(args, capture_output=True, text=True)
    try:
        v = json.loads(p.stdout)
    except ValueError:
        return {"result": "exit %d" % p.returncode, "summary": p.stderr[-300:]}
    return v


def main():
    counts = os.environ.get("QA56_NOCOUNTS") != "1"
    scenarios = [g.split(",") for g in os.environ["QA56_SCENARIOS"].split()] if "QA56_SCENARIOS" in os.environ else [["aa-10a"], ["aa-10a", "aa-10b"], ["aa-200a", "aa-200b"], ["leak-10a"], ["leak-10a", "leak-10b"],
                 ["leak-25"], ["leak-200"], ["cache-10"], ["cache-200"]]
    windows = [("15 min, same minutes (ages 20-35)", [5, 6, 7], [5, 6, 7]),
               ("15 min, baseline older (ages 25-40)", [5, 6, 7], [6, 7, 8]),
               ("30 min, same minutes (ages 5-35)", [2, 3, 4, 5, 6, 7], [2, 3, 4, 5, 6, 7]),
               ("30 min, ages 10-40", [3, 4, 5, 6, 7, 8], [3, 4, 5, 6, 7, 8])]
    if "QA56_WINDOWS" in os.environ:
        windows = [(w.split(":")[0], [int(b) for b in w.split(":")[1].split(",")], [int(b) for b in w.split(":")[2].split(",")])
                   for w in os.environ["QA56_WINDOWS"].split(";")]
    print("| canary | window | counts | result | memory (unit: canary / baseline) | first finding | memory note / clause |")
    print("|---|---|---|---|---|---|---|")
    n = 0
    for canary in scenarios:
        for label, cb, bb in windows:
            n += 1
            v = judge(canary, cb, bb, counts, "case%d" % n)
            mem = (v.get("dataQuality") or {}).get("memory") or {}
            unit = mem.get("unit", "")
            scale = 1024 if "requests" in unit else 1048576
            slopes = "%s: %s / %s" % ("KiB/1000 req" if scale == 1024 else "MiB/h",
                                       "–" if mem.get("canarySlope") is None else "%.0f" % (mem["canarySlope"] / scale),
                                       "–" if mem.get("baselineSlope") is None else "%.0f" % (mem["baselineSlope"] / scale))
            f = (v.get("findings") or [{}])[0]
            first = "%s %s" % (f.get("kind", ""), f.get("function", "")) if f else ""
            notes = mem.get("notes") or []
            note = notes[0] if notes and ("not judged" in notes[0] or "not resolved" in notes[0]) else ""
            if f.get("kind") == "MEMORY_GROWTH":
                note = f.get("explanation", "")
            elif not note:
                note = "no growth" if mem.get("judged") else (notes[0] if notes else "no memory data")
            print("| %s | %s | %s | %s | %s | %s | %s |" % (",".join(canary), label, "yes" if counts else "no",
                  v.get("result"), slopes, first, note.replace("|", "/")[:300]))
            sys.stdout.flush()
    shutil.rmtree(scratch)


main()
