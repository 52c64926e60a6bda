#!/usr/bin/env python3
"""A pod's client_golang series from a Prometheus as the scrapes the tests backfill (ScrapedSeries): gzip CSV
timestamp_ms,metric,labels,value (labels empty), every 10 s (the scrape interval) from START_S to END_S.

Usage: qa69-export-prometheus.py PROMETHEUS_URL POD START_S END_S OUT.csv.gz [METRIC...]
(METRIC...: instead of the three below; qa74 adds go_goroutines)
"""
import gzip
import json
import sys
import urllib.parse
import urllib.request

METRICS = ["go_memstats_heap_alloc_bytes", "go_memstats_next_gc_bytes", "process_start_time_seconds"]


def main():
    url, pod, start, end, out = sys.argv[1], sys.argv[2], sys.argv[3], sys.argv[4], sys.argv[5]
    metrics = sys.argv[6:] or METRICS
    with gzip.open(out, "wt") as f:
        f.write("timestamp_ms,metric,labels,value\n")
        for metric in metrics:
            q = urllib.parse.urlencode({"query": f'{metric}{{pod="{pod}"}}', "start": start, "end": end, "step": 10})
            for series in json.load(urllib.request.urlopen(f"{url}/api/v1/query_range?{q}"))["data"]["result"]:
                for t, v in series["values"]:
                    f.write(f"{int(float(t) * 1000)},{metric},,{v}\n")


if __name__ == "__main__":
    main()
