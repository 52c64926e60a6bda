#!/usr/bin/env python3
"""qa88: the recorded gRPC-go pods (bench/qa88-record.sh OUT) as test resources, as bench/qa77-assemble.py writes
qa77's: per pod its goroutine profiles (one a minute; the heap profiles stay in OUT), requests.csv, pod.properties,
labels.properties, load.csv and prometheus.csv.gz (go_goroutines, go_memstats_heap_alloc_bytes and
process_start_time_seconds from the Prometheus on 127.0.0.1:22640).

Usage: qa88-assemble.py OUT DEST
"""
import importlib.util
import os
import sys

PODS = {"b1": "base", "b2": "base", "b3": "base", "s1": "base", "r1": "base", "r2": "goleak", "h1": "hangleak"}


def main():
    spec = importlib.util.spec_from_file_location(
        "qa77_assemble", os.path.join(os.path.dirname(os.path.abspath(__file__)), "qa77-assemble.py"))
    qa77 = importlib.util.module_from_spec(spec)
    spec.loader.exec_module(qa77)
    qa77.assemble(sys.argv[1], sys.argv[2], PODS, "http://127.0.0.1:22640")


if __name__ == "__main__":
    main()
