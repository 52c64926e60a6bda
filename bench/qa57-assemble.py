#!/usr/bin/env python3
"""qa57: after bench/qa57-record.sh.
  bench/qa57-assemble.py raw OUT [PROM_URL]     each pod's plan.properties and prometheus-raw.csv (every 10 s point of its
                                                heap pools, live data size, start time and request counter) and
                                                OUT/recording.properties, for AssembleMemoryRecordings
  bench/qa57-assemble.py heap OUT ASSEMBLED     rewrites ASSEMBLED/pods/POD/heap.csv from OUT/POD/gc.csv with the
                                                whole_heap column (a full/major collection, or a ZGC cycle), leaving out
                                                ZGC's pause notifications (they report an empty heap), and copies the
                                                pod's JVM flags into its pod.properties
"""
import json, os, sys, urllib.parse, urllib.request

mode, out = sys.argv[1], sys.argv[2]
pods = [line.split()[0] for line in open(os.path.join(out, "pods.pid"))]

if mode == "raw":
    prom = sys.argv[3] if len(sys.argv) > 3 else "http://127.0.0.1:21700"
    start = int(open(os.path.join(out, "start_ms")).read()) - 60_000
    end = int(open(os.path.join(out, "end_ms")).read()) + 30_000

    def query(q):
        url = prom + "/api/v1/query_range?" + urllib.parse.urlencode(
            {"query": q, "start": start / 1000, "end": end / 1000, "step": "10"})
        return json.load(urllib.request.urlopen(url))["data"]["result"]

    for pod in pods:
        folder = os.path.join(out, pod)
        with open(os.path.join(folder, "plan.properties"), "w") as f:
            # aa-serial-b is the second pod of the scenario aa-serial
            scenario = "baseline" if pod.startswith("baseline-") else pod[:-2] if pod.endswith("-b") else pod
            f.write("track=%s\nscenario=%s\n" % ("baseline" if scenario == "baseline" else "canary", scenario))
        with open(os.path.join(folder, "prometheus-raw.csv"), "w") as f:
            f.write("timestamp_ms,metric,id,value\n")
            for q in ['jvm_memory_used_bytes{pod="%s",area="heap"}', 'jvm_gc_live_data_size_bytes{pod="%s"}',
                      'process_start_time_seconds{pod="%s"}', 'http_server_requests_seconds_count{pod="%s"}']:
                for s in query(q % pod):
                    metric = s["metric"].get("__name__")
                    ident = s["metric"].get("id", "").replace(",", " ")
                    for t, v in s["values"]:
                        f.write("%d,%s,%s,%s\n" % (round(float(t) * 1000), metric, ident, repr(float(v))))
    with open(os.path.join(out, "recording.properties"), "w") as f:
        f.write("start_ms=%d\nend_ms=%d\nscrape_interval_s=10\nflavour=plain\nrecorder=bench/qa57-record.sh\n"
                % (start, end))
    print("raw series of", out)
elif mode == "heap":
    assembled = sys.argv[3]
    for pod in pods:
        dst = os.path.join(assembled, "pods", pod)
        first = open(os.path.join(dst, "heap.csv")).readline().strip()  # # jvm_start_ms=
        rows = [l.strip().split(",") for l in open(os.path.join(out, pod, "gc.csv"))][1:]
        with open(os.path.join(dst, "heap.csv"), "w") as f:
            f.write(first + "\ntimestamp_ms,heap_after_gc_bytes,whole_heap\n")
            for r in rows:
                if len(r) < 7 or r[1] == "ZGC Pauses":
                    continue
                whole = r[2] == "end of major GC" or r[1] == "ZGC Cycles"
                f.write("%s,%s,%s\n" % (r[0], r[5], "true" if whole else "false"))
        with open(os.path.join(dst, "pod.properties"), "a") as f:
            f.write("jvm_flags=%s\n" % open(os.path.join(out, pod, "jvm-flags.txt")).read().strip())
    print("heap.csv with whole_heap written under", assembled)
