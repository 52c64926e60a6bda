#!/usr/bin/env python3
"""qa74: per pod, goroutines per hour (Theil-Sen over 1-minute points) of client_golang's go_goroutines at its lowest
per minute (the client-golang preset's area query) in a Prometheus, over minutes FROM..TO of the recording, with the
first and last values; and the same from the pod's goroutine profiles (each goroutine-NN.pb.gz's total, read with
`go tool pprof -raw`-free parsing: gzip + protobuf sample values summed).

Usage: qa74-goroutine-slopes.py PROMETHEUS_URL REC_DIR FROM_MIN TO_MIN POD...
"""
import gzip
import json
import os
import statistics
import sys
import urllib.parse
import urllib.request


def theil_sen(points):
    slopes = [(b[1] - a[1]) / (b[0] - a[0]) for i, a in enumerate(points) for b in points[i + 1:] if b[0] != a[0]]
    return statistics.median(slopes) * 3600 if slopes else float("nan")


def varint(buf, i):
    shift = value = 0
    while True:
        b = buf[i]
        i += 1
        value |= (b & 0x7F) << shift
        shift += 7
        if b < 0x80:
            return value, i


def fields(buf):
    i = 0
    while i < len(buf):
        key, i = varint(buf, i)
        number, wire = key >> 3, key & 7
        if wire == 0:
            value, i = varint(buf, i)
        elif wire == 2:
            n, i = varint(buf, i)
            value, i = buf[i:i + n], i + n
        elif wire == 1:
            value, i = buf[i:i + 8], i + 8
        elif wire == 5:
            value, i = buf[i:i + 4], i + 4
        else:
            raise ValueError(wire)
        yield number, wire, value


def goroutines(path):
    """(time_s, total goroutines) of a pprof goroutine profile: Profile.sample (2) values (2), time_nanos (9)."""
    total = time = 0
    for number, wire, value in fields(gzip.open(path).read()):
        if number == 2:
            for n, w, v in fields(value):
                if n == 2 and w == 2:  # packed values
                    j = 0
                    while j < len(v):
                        x, j = varint(v, j)
                        total += x
                elif n == 2 and w == 0:
                    total += v
        elif number == 9:
            time = value / 1e9
    return time, total


def main():
    url, rec, lo, hi, pods = sys.argv[1], sys.argv[2], int(sys.argv[3]), int(sys.argv[4]), sys.argv[5:]
    print("| pod | go_goroutines min per minute, minutes %d-%d: first → last | per hour | goroutine profiles: first → last | per hour |" % (lo, hi))
    print("|---|---|---:|---|---:|")
    for pod in pods:
        start = int(open(os.path.join(rec, pod, "start_ms")).read()) / 1000
        q = urllib.parse.urlencode({"query": f'max by (pod) (min_over_time(go_goroutines{{pod="{pod}"}}[1m]))',
                                    "start": start + 60 * lo, "end": start + 60 * hi, "step": 60})
        values = json.load(urllib.request.urlopen(f"{url}/api/v1/query_range?{q}"))["data"]["result"][0]["values"]
        points = [(float(t), float(v)) for t, v in values]
        prof = sorted(goroutines(os.path.join(rec, pod, f)) for f in os.listdir(os.path.join(rec, pod))
                      if f.startswith("goroutine-"))
        prof = [(t, v) for t, v in prof if start + 60 * lo <= t <= start + 60 * hi + 30]
        print(f"| {pod} | {points[0][1]:.0f} → {points[-1][1]:.0f} | {theil_sen(points):+.1f} | "
              f"{prof[0][1]} → {prof[-1][1]} | {theil_sen(prof):+.1f} |")


if __name__ == "__main__":
    main()
