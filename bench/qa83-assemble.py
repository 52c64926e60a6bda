#!/usr/bin/env python3
"""qa83: the recorded Go HTTP/2 pods (bench/qa83-record.sh OUT) as test resources, as bench/qa77-assemble.py writes
qa77's: per pod its goroutine profiles (one a minute; the heap profiles stay in OUT), requests.csv (the goroutine
profiles' rows), pod.properties, labels.properties, load.csv and prometheus.csv.gz (from the Prometheus on
127.0.0.1:22500). With h2c: the pods of bench/qa83-record-h2c.sh, no Prometheus series.

Usage: qa83-assemble.py OUT DEST [h2c]
"""
import importlib.util
import os
import sys

PODS = {"b1": "base", "b2": "base", "b3": "base", "s1": "base", "r1": "base", "r2": "goleak", "h1": "hangleak"}
H2C_PODS = {"b1": "base", "b2": "base", "b3": "base", "r1": "base", "h1": "hangleak"}


def main():
    spec = importlib.util.spec_from_file_location(
        "qa77_assemble", os.path.join(os.path.dirname(os.path.abspath(__file__)), "qa77-assemble.py"))
    qa77 = importlib.util.module_from_spec(spec)
    spec.loader.exec_module(qa77)
    if sys.argv[3:] == ["h2c"]:
        qa77.assemble(sys.argv[1], sys.argv[2], H2C_PODS, None)
    else:
        qa77.assemble(sys.argv[1], sys.argv[2], PODS, "http://127.0.0.1:22500")


if __name__ == "__main__":
    main()
