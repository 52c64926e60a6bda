#!/usr/bin/env python3
"""qa87: the recorded Go HTTP/2 pods (bench/qa87-record.sh OUT) as test resources, as bench/qa77-assemble.py writes
qa77's (goroutine profiles, requests.csv, pod.properties, labels.properties, load.csv, prometheus.csv.gz from the
Prometheus on 127.0.0.1:22620), plus per pod that keeps them its heap profiles reduced to their live objects
(heap-NN.pb.gz, bench/qa87-inuse: the inuse_objects and inuse_space columns, as Pyroscope answers a Go service's
inuse_space; the cumulative alloc_* columns dropped for size). With qa83 OUT: only the heap profiles of qa83's
canary pods r1 and r2 (bench/qa83-record.sh OUT), under DEST/qa83-heap/POD (their goroutine profiles and scrapes are
in src/test/resources/qa83).

Usage: qa87-assemble.py OUT DEST            # this session's pods
       qa87-assemble.py OUT DEST qa83       # qa83's r1 and r2 heap profiles
"""
import importlib.util
import os
import subprocess
import sys
import tempfile

PODS = {"b1": "base", "b2": "base", "b3": "base", "r1": "base", "l1": "leak"}
# whose heap profiles are kept: the canary pods, and one baseline pod (its live objects are what the leak site is
# named against: the highest share any baseline profile gave a frame)
HEAP = ["b1", "r1", "l1"]
QA83_HEAP = ["r1", "r2"]


def inuse_tool(gopath):
    """Builds bench/qa87-inuse with Go's vendored pprof package (no module download) and returns the binary."""
    here = os.path.dirname(os.path.abspath(__file__))
    pkg = os.path.join(gopath, "src", "github.com", "google", "pprof")
    os.makedirs(pkg, exist_ok=True)
    goroot = subprocess.run(["go", "env", "GOROOT"], capture_output=True, text=True, check=True).stdout.strip()
    subprocess.run(["cp", "-r", os.path.join(goroot, "src", "cmd", "vendor", "github.com", "google", "pprof", "profile"),
                    pkg], check=True)
    binary = os.path.join(gopath, "qa87-inuse")
    subprocess.run(["go", "build", "-o", binary, "."], cwd=os.path.join(here, "qa87-inuse"), check=True,
                   env=dict(os.environ, GO111MODULE="off", GOPATH=gopath))
    return binary


def heap(tool, src, to):
    os.makedirs(to, exist_ok=True)
    for name in sorted(f for f in os.listdir(src) if f.startswith("heap-")):
        subprocess.run([tool, os.path.join(src, name), os.path.join(to, name)], check=True)


def main():
    out, dest = sys.argv[1], sys.argv[2]
    tool = inuse_tool(tempfile.mkdtemp(prefix="qa87-inuse-"))
    if sys.argv[3:] == ["qa83"]:
        for pod in QA83_HEAP:
            heap(tool, os.path.join(out, pod), os.path.join(dest, "qa83-heap", pod))
        return
    spec = importlib.util.spec_from_file_location(
        "qa77_assemble", os.path.join(os.path.dirname(os.path.abspath(__file__)), "qa77-assemble.py"))
    qa77 = importlib.util.module_from_spec(spec)
    spec.loader.exec_module(qa77)
    qa77.assemble(out, dest, PODS, "http://127.0.0.1:22620")
    for pod in HEAP:
        heap(tool, os.path.join(out, pod), os.path.join(dest, "pods", pod))


if __name__ == "__main__":
    main()
