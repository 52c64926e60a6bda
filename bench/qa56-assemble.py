#!/usr/bin/env python3
"""qa56: after bench/qa56-record.sh, writes each pod's plan.properties, prometheus-raw.csv (every 10 s point of its heap
pools, live data size, start time and request counter, from the recording's Prometheus, as RecordMemoryScenarios
writes them) and the folder's recording.properties, so that AssembleMemoryRecordings can turn it into committed files.
Usage: bench/qa56-assemble.py OUT [PROM_URL]   (Prometheus restarted on OUT/prometheus-data if it no longer runs)"""
import json, os, sys, urllib.parse, urllib.request

out = sys.argv[1]
prom = sys.argv[2] if len(sys.argv) > 2 else "http://127.0.0.1:21500"
start = int(open(os.path.join(out, "start_ms")).read()) - 60_000
end = int(open(os.path.join(out, "end_ms")).read()) + 30_000


def query(q, a, b):
    url = prom + "/api/v1/query_range?" + urllib.parse.urlencode({"query": q, "start": a / 1000, "end": b / 1000, "step": "10"})
    return json.load(urllib.request.urlopen(url))["data"]["result"]


for line in open(os.path.join(out, "pods.pid")):
    pod = line.split()[0]
    folder = os.path.join(out, pod)
    scenario = "baseline" if pod.startswith("baseline-") else pod.rstrip("ab")
    with open(os.path.join(folder, "plan.properties"), "w") as f:
        f.write("track=%s\nscenario=%s\n" % ("baseline" if scenario == "baseline" else "canary", scenario))
    with open(os.path.join(folder, "prometheus-raw.csv"), "w") as f:
        f.write("timestamp_ms,metric,id,value\n")
        for q in ['jvm_memory_used_bytes{pod="%s",area="heap"}', 'jvm_gc_live_data_size_bytes{pod="%s"}',
                  'process_start_time_seconds{pod="%s"}', 'http_server_requests_seconds_count{pod="%s"}']:
            for s in query(q % pod, start, end):
                metric = s["metric"].get("__name__")
                ident = s["metric"].get("id", "").replace(",", " ")
                for t, v in s["values"]:
                    f.write("%d,%s,%s,%s\n" % (round(float(t) * 1000), metric, ident, repr(float(v))))
with open(os.path.join(out, "recording.properties"), "w") as f:
    f.write("start_ms=%d\nend_ms=%d\nscrape_interval_s=10\nflavour=plain\nrecorder=bench/qa56-record.sh\n" % (start, end))
print("assembled raw series of", out)
