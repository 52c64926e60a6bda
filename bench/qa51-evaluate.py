#!/usr/bin/env python3
"""Native leaks on young canaries (qa51): judges young canaries' first minutes against warmed baselines' last minutes.

  bench/qa51-evaluate.py collapse REC OUT CJ_CP [TYPE ...]
      each POD/live/minute-NNN.jfr of REC (bench/qa51-young.sh record) as OUT/TYPE/POD/minute-NNN.collapsed through the
      project's reader (`collapse --profile-type TYPE`); TYPE defaults to malloc_leak_bytes and malloc_bytes
  bench/qa51-evaluate.py judge PODS CJ_CP TYPE YOUNG_PODS WARM_PODS [--young-minutes A:B] [--warm-minutes C:D] [--pairs]
      PODS: a folder of POD/minute-NNN.collapsed (OUT/TYPE above, or canary-judge/src/test/resources/qa48/pods);
      YOUNG_PODS, WARM_PODS: comma-separated "folder-relative" pod names, a pod given as DIR/POD reads another folder.
      Each young pod's minutes A..B-1 (default 0:5) is a canary, against every 3 (or, --pairs, each pair of young pods
      against every 2) warm pods' minutes C..D-1 (default 6:11), the canary's own pod left out; compare
      --profile-type TYPE --value-per-sample 65536 --format json. One line per case: canary, baselines, result,
      first failing incident's entry frame and summary.
"""
import itertools, json, os, subprocess, sys, tempfile

def collapse(rec, out, cp, types):
    for pod in sorted(os.listdir(rec)):
        live = os.path.join(rec, pod, "live")
        if not os.path.isdir(live):
            continue
        for f in sorted(os.listdir(live)):
            if not f.endswith(".jfr"):
                continue
            for t in types:
                d = os.path.join(out, t, pod)
                os.makedirs(d, exist_ok=True)
                target = os.path.join(d, f.replace(".jfr", ".collapsed"))
                if os.path.exists(target):
                    continue
                with open(target, "w") as g:
                    subprocess.run(["nice", "java", "-cp", cp, "io.canaryjudge.CanaryJudgeApplication", "collapse",
                                    os.path.join(live, f), "--profile-type", t], stdout=g, check=True)

def pod_dir(pods, name):
    return name if os.path.isabs(name) else os.path.join(pods, name)

def window(scratch, pods, name, lo, hi, tag):
    src = pod_dir(pods, name)
    d = os.path.join(scratch, tag + "-" + os.path.basename(name))
    os.makedirs(d, exist_ok=True)
    n = 0
    for m in range(lo, hi):
        f = os.path.join(src, "minute-%03d.collapsed" % m)
        if os.path.exists(f) and os.path.getsize(f) > 0:
            dst = os.path.join(d, os.path.basename(f))
            if not os.path.exists(dst):
                os.symlink(f, dst)
            n += 1
    return d if n else None

def judge(cp, typ, baseline_dirs, canary_dirs):
    args = ["nice", "java", "-cp", cp, "io.canaryjudge.CanaryJudgeApplication", "compare"]
    for b in baseline_dirs:
        args += ["--baseline", b]
    for c in canary_dirs:
        args += ["--canary", c]
    args += ["--profile-type", typ, "--value-per-sample", "65536", "--format", "json"]
    r = subprocess.run(args, capture_output=True, text=True)
    try:
        v = json.loads(r.stdout)
    except ValueError:
        return "ERROR(%d)" % r.returncode, "-", r.stderr.strip().splitlines()[-1:] or ["-"]
    failing = [i for i in v.get("incidents", []) if i.get("failing")]
    return v["result"], failing[0]["entryFrame"] if failing else "-", v.get("summary", "")

def main():
    if sys.argv[1] == "collapse":
        collapse(sys.argv[2], sys.argv[3], sys.argv[4], sys.argv[5:] or ["malloc_leak_bytes", "malloc_bytes"])
        return
    pods, cp, typ, young, warm = sys.argv[2:7]
    opts = sys.argv[7:]
    ylo, yhi, wlo, whi = 0, 5, 6, 11
    if "--young-minutes" in opts:
        ylo, yhi = map(int, opts[opts.index("--young-minutes") + 1].split(":"))
    if "--warm-minutes" in opts:
        wlo, whi = map(int, opts[opts.index("--warm-minutes") + 1].split(":"))
    pairs = "--pairs" in opts
    young, warm = young.split(","), warm.split(",")
    scratch = tempfile.mkdtemp(prefix="qa51-")
    base = lambda n: os.path.basename(n)
    cases = []
    if pairs:
        for cs in itertools.combinations(young, 2):
            others = [w for w in warm if base(w) not in map(base, cs)]
            for bs in itertools.combinations(others, 2):
                cases.append((cs, bs))
    else:
        for c in young:
            others = [w for w in warm if base(w) != base(c)]
            for bs in itertools.combinations(others, 3):
                cases.append(((c,), bs))
    for cs, bs in cases:
        cd = [window(scratch, pods, c, ylo, yhi, "young") for c in cs]
        bd = [window(scratch, pods, b, wlo, whi, "warm") for b in bs]
        if None in cd or None in bd:
            continue
        result, frame, summary = judge(cp, typ, bd, cd)
        print("\t".join([",".join(map(base, cs)), ",".join(map(base, bs)), result, frame, str(summary)[:300]]), flush=True)

main()
