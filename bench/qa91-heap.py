#!/usr/bin/env python3
"""qa91: the heap profiles of a recording's pods (heap-NN.pb.gz beside their goroutine profiles), reduced to their live
objects with bench/qa87-inuse (the inuse_objects and inuse_space columns, as Pyroscope answers a Go service's
inuse_space), under DEST/POD. qa91 needs every baseline pod's: the heap after GC is judged from the profiles' live bytes
only when every pod has them (docs/EVALUATION.md "Go heap from the live set (qa91)").

Usage: qa91-heap.py OUT DEST POD...   e.g. qa91-heap.py /tmp/qa88/rec canary-judge/src/test/resources/qa91/qa88-heap b2 b3
"""
import importlib.util
import os
import sys
import tempfile


def main():
    out, dest, pods = sys.argv[1], sys.argv[2], sys.argv[3:]
    spec = importlib.util.spec_from_file_location(
        "qa87_assemble", os.path.join(os.path.dirname(os.path.abspath(__file__)), "qa87-assemble.py"))
    qa87 = importlib.util.module_from_spec(spec)
    spec.loader.exec_module(qa87)
    tool = qa87.inuse_tool(tempfile.mkdtemp(prefix="qa91-inuse-", dir="/tmp/qa91" if os.path.isdir("/tmp/qa91") else None))
    for pod in pods:
        qa87.heap(tool, os.path.join(out, pod), os.path.join(dest, pod))


if __name__ == "__main__":
    main()
