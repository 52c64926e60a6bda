#!/usr/bin/env python3
"""qa59: bench/qa59-load.sh's raw pods as compare instances (the qa56 layout RecordedPod reads), with allocation
profiles instead of live objects: per pod heap.csv (with '# jvm_start_ms='), alloc-NN.pb.gz (five one-minute JFRs
concatenated, converted by async-profiler's jfr-converter 4.2: --alloc --total -o pprof, allocated bytes), requests.csv
(requests each block served, from requests.log) and pod.properties (variant, track, scenario, load, jvm_start_ms).
Usage: bench/qa59-assemble.py RAW OUT   (OUT/pods/POD)
"""
import bisect, glob, gzip, os, shutil, struct, subprocess, sys, tempfile

raw, out = sys.argv[1], sys.argv[2]
conv = os.path.expanduser("~/.m2/repository/tools/profiler/jfr-converter/4.2/jfr-converter-4.2.jar")
BLOCK = 5


def chunk(jfr):
    """(start, end) of a one-chunk JFR, epoch nanoseconds (header bytes 32-47, big-endian)."""
    with open(jfr, "rb") as f:
        head = f.read(48)
    start, duration = struct.unpack(">qq", head[32:48])
    return start, start + duration


def cumulative(rows, millis):
    """Requests served by `millis`, linear between requests.log's 10-second rows."""
    times = [t for t, _ in rows]
    i = bisect.bisect_right(times, millis)
    if i == 0:
        return 0.0
    if i == len(rows):
        return float(rows[-1][1])
    (t0, n0), (t1, n1) = rows[i - 1], rows[i]
    return n0 + (n1 - n0) * (millis - t0) / (t1 - t0)


for src in sorted(p for p in glob.glob(f"{raw}/*") if os.path.isfile(f"{p}/pod.properties")):
    name = os.path.basename(src)
    dst = f"{out}/pods/{name}"
    os.makedirs(dst, exist_ok=True)
    props = dict(l.strip().split("=", 1) for l in open(f"{src}/pod.properties") if "=" in l)
    track = "baseline" if name.startswith("b") else "canary"
    with open(f"{dst}/pod.properties", "w") as f:
        f.write(f"variant={props['variant']}\ntrack={track}\nscenario={name.rstrip('0123456789') if track == 'baseline' else name}\n"
                f"load={props['load']}\njvm_start_ms={props['jvm_start_ms']}\n"
                f"alloc_interval_bytes={props['alloc_interval_bytes']}\n")
    with open(f"{dst}/heap.csv", "w") as f:
        f.write(f"# jvm_start_ms={props['jvm_start_ms']}\n" + open(f"{src}/heap.csv").read())
    rows = [tuple(map(int, l.split(","))) for l in open(f"{src}/requests.log").read().split("\n")[1:] if l]
    minutes = sorted(glob.glob(f"{src}/live/minute-*.jfr"))
    with open(f"{dst}/requests.csv", "w") as csv, tempfile.TemporaryDirectory() as tmp:
        csv.write("profile,requests\n")
        for b in range(0, len(minutes) - BLOCK + 1, BLOCK):
            block = minutes[b:b + BLOCK]
            joined = f"{tmp}/block.jfr"
            with open(joined, "wb") as j:
                for m in block:
                    with open(m, "rb") as part:
                        shutil.copyfileobj(part, j)
            pb = f"{tmp}/block.pb"
            subprocess.run(["java", "-Xmx256m", "-cp", conv, "Main", "--alloc", "--total", "-o", "pprof", joined, pb],
                           check=True, stdout=subprocess.DEVNULL)
            file = f"alloc-{b // BLOCK + 1:02d}.pb.gz"
            with open(pb, "rb") as i, gzip.GzipFile(f"{dst}/{file}", "wb", 9, mtime=0) as o:
                shutil.copyfileobj(i, o)
            start, end = chunk(block[0])[0], chunk(block[-1])[1]
            csv.write(f"{file},{round(cumulative(rows, end / 1e6) - cumulative(rows, start / 1e6))}\n")
    print("assembled", dst, file=sys.stderr)
