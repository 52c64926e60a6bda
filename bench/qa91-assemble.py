#!/usr/bin/env python3
"""qa91: the held-out Go HTTP/2 session (bench/qa91-record.sh OUT) as test resources under DEST/pods/POD, as
bench/qa87-assemble.py writes qa87's (goroutine profiles, requests.csv, pod.properties, labels.properties, load.csv,
prometheus.csv.gz from the Prometheus on 127.0.0.1:22700), with every pod's heap profiles reduced to their live objects
(heap-NN.pb.gz, bench/qa87-inuse): a failing client_golang heap is judged from the heap profiles only when every pod
has them (docs/EVALUATION.md "Go heap from the live set (qa91)").

Usage: qa91-assemble.py OUT DEST      e.g. qa91-assemble.py /tmp/qa91/rec canary-judge/src/test/resources/qa91/session
"""
import importlib.util
import os
import sys
import tempfile

PODS = {"b1": "base", "b2": "base", "b3": "base", "r1": "base", "l1": "leak"}


def load(name):
    spec = importlib.util.spec_from_file_location(
        name.replace("-", "_"), os.path.join(os.path.dirname(os.path.abspath(__file__)), name + ".py"))
    module = importlib.util.module_from_spec(spec)
    spec.loader.exec_module(module)
    return module


def main():
    out, dest = sys.argv[1], sys.argv[2]
    load("qa77-assemble").assemble(out, dest, PODS, "http://127.0.0.1:22700")
    qa87 = load("qa87-assemble")
    tool = qa87.inuse_tool(tempfile.mkdtemp(prefix="qa91-inuse-", dir="/tmp/qa91" if os.path.isdir("/tmp/qa91") else None))
    for pod in PODS:
        qa87.heap(tool, os.path.join(out, pod), os.path.join(dest, "pods", pod))


if __name__ == "__main__":
    main()
