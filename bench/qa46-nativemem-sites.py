#!/usr/bin/env python3
"""Where each recorded pod's unfreed native memory was allocated (qa46): every whole minute of each pod's async-profiler
recording (alloc,live + nativemem=65536) converted by async-profiler's jfr-converter 4.2 `--nativemem --leak --total`
(malloc samples not freed by the minute's end, the last 10 % of the minute left out), and the first frame of the biggest
unfreed stack that is Java code (else its first frame). One line per pod: minutes, unfreed sampled KiB per minute
(median), and how many minutes' biggest stack was each site. Usage: bench/qa46-nativemem-sites.py REC"""
import collections, os, statistics, subprocess, sys, tempfile

rec = sys.argv[1]
cp = ":".join(os.path.expanduser("~/.m2/repository/tools/profiler/%s/4.2/%s-4.2.jar" % (a, a))
              for a in ("jfr-converter", "async-profiler"))
for pod in sorted(os.listdir(rec)):
    live = os.path.join(rec, pod, "live")
    if not os.path.isdir(live):
        continue
    minutes = sorted(os.listdir(live))[:-1]  # the last one is cut short by the pod's end
    sites, kib = collections.Counter(), []
    for m in minutes:
        with tempfile.NamedTemporaryFile(suffix=".collapsed") as out:
            subprocess.run(["java", "-cp", cp, "Main", "--nativemem", "--leak", "--total", "-o", "collapsed",
                            os.path.join(live, m), out.name], check=True, capture_output=True)
            stacks = [l.rsplit(" ", 1) for l in open(out.name).read().splitlines() if l.strip()]
        kib.append(sum(int(v) for _, v in stacks) / 1024)
        if stacks:
            top = max(stacks, key=lambda s: int(s[1]))[0].split(";")
            java = [f for f in top if f.endswith("_[j]") or f.endswith("_[i]") or f.endswith("_[0]") or f.endswith("_[1]")]
            app = [f for f in java if not f.startswith(("java/", "jdk/", "sun/"))]
            sites[(app[-1] if app else java[-1] if java else "(no Java frame: the JVM's own)").rsplit("_[", 1)[0]] += 1
    print("%-18s %2d minutes, unfreed %6.0f KiB/min (median), biggest unfreed stack: %s" % (
        pod, len(minutes), statistics.median(kib) if kib else 0, dict(sites.most_common(3))))
