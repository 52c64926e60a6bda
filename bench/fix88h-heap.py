#!/usr/bin/env python3
"""fix88h: qa88's gRPC pods' heap profiles (bench/qa88-record.sh OUT: heap-NN.pb.gz beside the goroutine profiles),
reduced to their live objects with bench/qa87-inuse (the inuse_objects and inuse_space columns, as Pyroscope answers a
Go service's inuse_space), under DEST/heap/POD. Kept: the canary pods whose connections step from 10 to 200 (r1
unchanged, r2 and h1 the leaks) and one baseline pod (b1: what a heap site is named against). Their goroutine profiles
and scrapes are in DEST/pods (bench/qa88-assemble.py).

Usage: fix88h-heap.py OUT DEST      e.g. fix88h-heap.py /tmp/qa88/rec canary-judge/src/test/resources/qa88
"""
import importlib.util
import os
import sys
import tempfile

PODS = ["b1", "r1", "r2", "h1"]


def main():
    out, dest = sys.argv[1], sys.argv[2]
    spec = importlib.util.spec_from_file_location(
        "qa87_assemble", os.path.join(os.path.dirname(os.path.abspath(__file__)), "qa87-assemble.py"))
    qa87 = importlib.util.module_from_spec(spec)
    spec.loader.exec_module(qa87)
    tool = qa87.inuse_tool(tempfile.mkdtemp(prefix="fix88h-inuse-", dir="/tmp/fix88h" if os.path.isdir("/tmp/fix88h")
                                            else None))
    for pod in PODS:
        qa87.heap(tool, os.path.join(out, pod), os.path.join(dest, "heap", pod))


if __name__ == "__main__":
    main()
