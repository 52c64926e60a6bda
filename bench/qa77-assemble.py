#!/usr/bin/env python3
"""qa77: the recorded Go HTTP pods (bench/qa77-record.sh OUT) as test resources: per pod its goroutine profiles (one a
minute), requests.csv, pod.properties (track, variant, the process's start, as ScrapedPod reads them),
labels.properties (for the service's local directory source), load.csv (the load process's open clients and requests
sent to it, every 10 s) and prometheus.csv.gz (go_goroutines, go_memstats_heap_alloc_bytes and process_start_time_seconds as the Prometheus on
127.0.0.1:22410 stored them, every 10 s, bench/qa69-export-prometheus.py).

Usage: qa77-assemble.py OUT DEST
"""
import os
import shutil
import subprocess
import sys

PODS = {"b1": "base", "b2": "base", "b3": "base", "s1": "base", "r1": "base", "r2": "goleak", "h1": "hangleak",
        "c1": "base", "c2": "goleak"}
METRICS = ["go_goroutines", "go_memstats_heap_alloc_bytes", "process_start_time_seconds"]


def assemble(out, dest, pods, prometheus):
    """Each pod of pods (name: variant) in OUT as DEST/pods/NAME, its series from the Prometheus at URL prometheus (none
    when None)."""
    here = os.path.dirname(os.path.abspath(__file__))
    for pod, variant in pods.items():
        src = os.path.join(out, pod)
        to = os.path.join(dest, "pods", pod)
        os.makedirs(to, exist_ok=True)
        start_ms = int(open(os.path.join(src, "start_ms")).read())
        track = "baseline" if pod.startswith("b") else "canary"
        names = sorted(f for f in os.listdir(src) if f.startswith("goroutine-"))
        for name in names:
            shutil.copy(os.path.join(src, name), os.path.join(to, name))
        with open(os.path.join(src, "requests.csv")) as f, open(os.path.join(to, "requests.csv"), "w") as t:
            # the goroutine profiles' rows (a pod that also wrote heap profiles lists them too; they are not copied)
            t.writelines(line for line in f if not line.startswith("heap-"))
        shutil.copy(os.path.join(out, "load", f"load-{pod}.csv"), os.path.join(to, "load.csv"))
        with open(os.path.join(to, "pod.properties"), "w") as f:
            f.write(f"track={track}\nvariant={variant}\njvm_start_ms={start_ms}\n")
        with open(os.path.join(to, "labels.properties"), "w") as f:
            f.write(f"track={track}\nvariant={variant}\nreplica={pod}\n")
        if prometheus is None:
            continue
        end_s = start_ms // 1000 + 60 * (len(names) + 2)
        subprocess.run([sys.executable, os.path.join(here, "qa69-export-prometheus.py"), prometheus, pod,
                        str(start_ms // 1000 - 30), str(end_s), os.path.join(to, "prometheus.csv.gz")] + METRICS,
                       check=True)


def main():
    assemble(sys.argv[1], sys.argv[2], PODS, "http://127.0.0.1:22410")


if __name__ == "__main__":
    main()
