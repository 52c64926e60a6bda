#!/usr/bin/env python3
"""Drives a judge for a soak (qa47): Argo Web-provider analyses, Flagger webhooks, uploads, reads of stored verdicts and
reports, and bad requests, with many distinct rollout ids, at most WORKERS in flight, for MINUTES minutes.
One JSON line per request on stdout: t (s since start), kind, status, ms, result.
  python3 bench/qa47-soak.py URL MINUTES [WORKERS] > requests.jsonl
Applications app01..app12 exist in bench SoakPyroscope (app03 slow, app05 503, app07 garbage: picked rarely);
'svcNNNNN' ones do not (new rollouts' ids: INCONCLUSIVE, no pods)."""
import json, os, random, sys, threading, time, uuid, urllib.request, urllib.error
from datetime import datetime, timedelta, timezone

URL, MINUTES = sys.argv[1], float(sys.argv[2])
WORKERS = int(sys.argv[3]) if len(sys.argv) > 3 else 4
SHOP = 'examples/profiles/shop'
PODS = [('baseline', 'shop-6d4f8c7b9-k2x7p'), ('baseline', 'shop-6d4f8c7b9-w5n3j'),
        ('canary', 'shop-7f9b6c5d4-m4q8z'), ('canary', 'shop-7f9b6c5d4-r9t2w')]
FILES = {pod: {f: open(os.path.join(SHOP, pod, f), 'rb').read() for f in os.listdir(os.path.join(SHOP, pod))
               if f.endswith('.pb.gz') or f == 'requests.csv'} for _, pod in PODS}
GOOD = ['app01', 'app02', 'app04', 'app06', 'app08', 'app09', 'app10', 'app11', 'app12']
BAD = ['app03', 'app05', 'app07']
lock = threading.Lock()
ids = []
t0 = time.time()
rng = random.Random(47)


def call(method, path, body=None, ctype=None, timeout=10):
    req = urllib.request.Request(URL + path, data=body, method=method)
    if ctype:
        req.add_header('Content-Type', ctype)
    start = time.time()
    try:
        with urllib.request.urlopen(req, timeout=timeout) as r:
            status, data = r.status, r.read()
    except urllib.error.HTTPError as e:
        status, data = e.code, e.read()
    except Exception as e:  # time-out, reset
        status, data = 0, repr(e).encode()
    return status, data, (time.time() - start) * 1000


def app():
    return rng.choice(BAD) if rng.random() < 0.08 else rng.choice(GOOD)


def argo():
    a = app() if rng.random() < 0.8 else 'svc%05d' % rng.randrange(100000)
    n = a[3:] if a.startswith('app') else str(rng.randrange(1000))
    end = datetime.now(timezone.utc).replace(microsecond=0) - timedelta(seconds=30)
    body = {'application': a, 'namespace': 'test',
            'baseline': {'labels': {'rollouts_pod_template_hash': 'stable' + n}},
            'canary': {'labels': {'rollouts_pod_template_hash': 'canary' + n if a.startswith('app')
                                  else uuid.uuid4().hex[:10]}},
            'start': (end - timedelta(minutes=5)).isoformat(), 'end': end.isoformat()}
    return 'argo', call('POST', '/api/v1/analyses', json.dumps(body).encode(), 'application/json')


def flagger():
    a = app() if rng.random() < 0.8 else 'svc%05d' % rng.randrange(100000)
    body = {'name': a, 'namespace': 'test', 'phase': 'Progressing', 'checksum': uuid.uuid4().hex,
            'metadata': {'lookback': '5m'}}
    return 'flagger', call('POST', '/api/v1/webhooks/flagger', json.dumps(body).encode(), 'application/json')


def upload():
    boundary = uuid.uuid4().hex
    parts = []
    def field(name, value):
        parts.append(('--%s\r\nContent-Disposition: form-data; name="%s"\r\n\r\n%s\r\n' % (boundary, name, value)).encode())
    def file(name, filename, data):
        parts.append(('--%s\r\nContent-Disposition: form-data; name="%s"; filename="%s"\r\n'
                      'Content-Type: application/octet-stream\r\n\r\n' % (boundary, name, filename)).encode() + data + b'\r\n')
    field('application', 'upload-%05d' % rng.randrange(100000))
    field('profileTypes', 'cpu')
    for group, pod in PODS:
        for f, data in FILES[pod].items():
            file(group, pod + '/' + f, data)
    parts.append(('--%s--\r\n' % boundary).encode())
    return 'upload', call('POST', '/api/v1/analyses', b''.join(parts), 'multipart/form-data; boundary=' + boundary)


def bad():
    choice = rng.randrange(5)
    if choice == 0:
        return 'bad-json', call('POST', '/api/v1/analyses', b'{"application": "x", ', 'application/json')
    if choice == 1:
        return 'bad-field', call('POST', '/api/v1/analyses', json.dumps(
            {'application': 'x', 'lookbak': '5m', 'baseline': {'labels': {'a': '1'}},
             'canary': {'labels': {'a': '2'}}}).encode(), 'application/json')
    if choice == 2:
        boundary = uuid.uuid4().hex
        body = ('--%s\r\nContent-Disposition: form-data; name="baseline"; filename="p/slice-1.pb.gz"\r\n\r\n'
                'not a profile\r\n--%s--\r\n' % (boundary, boundary)).encode()
        return 'bad-upload', call('POST', '/api/v1/analyses', body, 'multipart/form-data; boundary=' + boundary)
    if choice == 3:
        return 'bad-id', call('GET', '/api/v1/analyses/' + uuid.uuid4().hex)
    return 'bad-flagger', call('POST', '/api/v1/webhooks/flagger', b'{"namespace": "test"}', 'application/json')


def read():
    with lock:
        i = rng.choice(ids) if ids else None
    if i is None:
        return 'get', call('GET', '/actuator/health/readiness')
    if rng.random() < 0.5:
        return 'get', call('GET', '/api/v1/analyses/' + i)
    return 'report', call('GET', '/reports/' + i)


def worker():
    while time.time() - t0 < MINUTES * 60:
        r = rng.random()
        f = argo if r < 0.45 else flagger if r < 0.70 else upload if r < 0.78 else bad if r < 0.88 else read
        kind, (status, data, ms) = f()
        result = None
        if kind in ('argo', 'upload') and status == 200:
            v = json.loads(data)
            result = v['result']
            with lock:
                ids.append(v['id'])
        elif kind == 'flagger':
            result = data[:40].decode(errors='replace').split(':')[0]
        elif status >= 400:
            try:
                result = json.loads(data).get('type', '')[-30:]
            except Exception:
                result = data[:60].decode(errors='replace')
        with lock:
            print(json.dumps({'t': round(time.time() - t0, 1), 'kind': kind, 'status': status, 'ms': round(ms),
                              'result': result}), flush=True)


threads = [threading.Thread(target=worker) for _ in range(WORKERS)]
for t in threads:
    t.start()
for t in threads:
    t.join()
