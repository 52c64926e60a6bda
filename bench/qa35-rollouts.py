#!/usr/bin/env python3
"""Drives a running judge as many Argo Rollouts AnalysisRuns (Web provider) or Flagger webhooks at once.

usage: bench/qa35-rollouts.py URL APPS_FILE [--mode argo|flagger] [--timeout 8] [--rounds 1] [--body-extra JSON]
APPS_FILE: lines "APP KIND" (KIND aa: canary pods are copies of the baseline's, expect not FAIL;
reg: the shop regression, expect FAIL). Every app's measurement starts at the same moment (a platform
whose rollouts share an analysis interval). Argo: POST jsonBody, client timeout `timeoutSeconds`, a
status outside 2xx or a time-out is an Error measurement, else `{$.result}` decides (Successful /
Failed / Inconclusive). Flagger: POST its webhook payload, status <= 202 is success.
Checks isolation: each answer's analysis.application and selectors must be the request's, and the stored
GET /api/v1/analyses/{id} must answer the same result for the same application.
Prints one JSON line per call and a summary.
"""
import argparse, json, sys, threading, time, urllib.request, urllib.error, statistics

def post(url, body, timeout):
    req = urllib.request.Request(url, data=json.dumps(body).encode(), headers={"Content-Type": "application/json"})
    t0 = time.monotonic()
    try:
        with urllib.request.urlopen(req, timeout=timeout) as r:
            return r.status, r.read().decode(), time.monotonic() - t0, r.headers
    except urllib.error.HTTPError as e:
        return e.code, e.read().decode(), time.monotonic() - t0, e.headers
    except Exception as e:  # time-out, reset, refused: Argo's Error
        return None, repr(e), time.monotonic() - t0, {}

def get(url, timeout=10):
    try:
        with urllib.request.urlopen(url, timeout=timeout) as r:
            return r.status, r.read().decode()
    except urllib.error.HTTPError as e:
        return e.code, e.read().decode()
    except Exception as e:
        return None, repr(e)

def main():
    p = argparse.ArgumentParser()
    p.add_argument("url"); p.add_argument("apps")
    p.add_argument("--mode", default="argo"); p.add_argument("--timeout", type=float, default=8)
    p.add_argument("--extra", default="{}"); p.add_argument("--limit", type=int, default=0)
    p.add_argument("--check-stored", action="store_true")
    a = p.parse_args()
    apps = [l.split() for l in open(a.apps) if l.strip()]
    if a.limit: apps = apps[:a.limit]
    extra = json.loads(a.extra)
    rows = []; lock = threading.Lock(); start = threading.Barrier(len(apps))
    def one(app, kind):
        n = app[3:]
        if a.mode == "argo":
            body = {"application": app, "baseline": {"labels": {"rollouts_pod_template_hash": "stable" + n}},
                    "canary": {"labels": {"rollouts_pod_template_hash": "canary" + n}}, "lookback": "5m",
                    "profileTypes": ["cpu", "alloc_bytes"]}
            body.update(extra)
            if "start" in extra: body.pop("lookback")
            path = "/api/v1/analyses"
        else:
            body = {"name": app, "namespace": "test", "phase": "Progressing", "checksum": "x",
                    "metadata": dict({"application": app}, **extra)}
            path = "/api/v1/webhooks/flagger"
        start.wait()
        status, text, secs, headers = post(a.url + path, body, a.timeout)
        row = {"app": app, "kind": kind, "status": status, "secs": round(secs, 2)}
        if a.mode == "argo":
            if status is None or not 200 <= status < 300:
                row["argo"] = "Error"; row["detail"] = text[:300]
                if headers and headers.get("Retry-After"): row["retryAfter"] = headers.get("Retry-After")
            else:
                v = json.loads(text); r = v["result"]
                row["argo"] = {"PASS": "Successful", "FAIL": "Failed"}.get(r, "Inconclusive")
                row["result"] = r; row["id"] = v["id"]; row["summary"] = v["summary"][:500]; row["elapsedMs"] = v.get("analysis", {}).get("elapsedMillis")
                an = v.get("analysis", {})
                mism = []
                if an.get("application") != app: mism.append("application=" + str(an.get("application")))
                if an.get("canary", {}).get("labels") != body["canary"]["labels"]: mism.append("canary labels")
                if app not in v.get("reportUrl", "") and v["id"] not in v.get("reportUrl", ""): mism.append("reportUrl")
                row["isolation"] = mism
        else:
            row["flagger"] = "success" if status is not None and status <= 202 else "failed check"
            row["detail"] = text.splitlines()[0][:200] if text else ""
            if status is not None and text.splitlines()[1:]:
                row["report"] = text.splitlines()[1]
        with lock: rows.append(row)
    ts = [threading.Thread(target=one, args=(x[0], x[1])) for x in apps]
    t0 = time.monotonic()
    for t in ts: t.start()
    for t in ts: t.join()
    wall = time.monotonic() - t0
    if a.check_stored:
        for row in rows:
            if row.get("id"):
                s, text = get(a.url + "/api/v1/analyses/" + row["id"])
                if s != 200: row["stored"] = s; continue
                v = json.loads(text)
                row["stored"] = "ok" if (v["result"] == row["result"] and v["analysis"]["application"] == row["app"]) else "MISMATCH " + v["analysis"]["application"] + " " + v["result"]
                rs, html = get(a.url + "/reports/" + row["id"])
                if rs != 200 or row["app"] not in html: row["report"] = "MISSING/WRONG %s" % rs
                others = [x["app"] for x in rows if x["app"] != row["app"] and (x["app"] + "-") in html]
                if others: row["report"] = "foreign pods " + ",".join(others)
    for row in sorted(rows, key=lambda r: r["app"]): print(json.dumps(row))
    lat = sorted(r["secs"] for r in rows)
    def q(f): return lat[min(len(lat) - 1, int(f * len(lat)))]
    key = "argo" if a.mode == "argo" else "flagger"
    outcome = {}
    for r in rows: outcome[r[key]] = outcome.get(r[key], 0) + 1
    wrong = [r["app"] for r in rows if (r["kind"] == "aa" and r.get("result") == "FAIL") or (r["kind"] == "reg" and r.get("result") == "PASS")]
    wrong_inc = [r["app"] for r in rows if r.get("result") == "INCONCLUSIVE"]
    iso = [r["app"] for r in rows if r.get("isolation") or "MISMATCH" in str(r.get("stored", "")) or "foreign" in str(r.get("report", ""))]
    print(json.dumps({"calls": len(rows), "wall": round(wall, 2), "p50": q(0.5), "p90": q(0.9), "max": lat[-1],
                      "outcomes": outcome, "statuses": {str(s): sum(1 for r in rows if r["status"] == s) for s in {r["status"] for r in rows}},
                      "wrong_verdicts": wrong, "inconclusive": wrong_inc, "isolation_failures": iso}))

main()
