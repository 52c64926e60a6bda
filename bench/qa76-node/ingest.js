'use strict';
// qa76: bench/qa75-node/ingest.js on 22400, and the pods' downstream: GET /stock?delay=MS answers after MS ms.
// A Pyroscope-compatible /ingest endpoint on loopback that keeps what the Node SDK uploads: one gzipped pprof per
// upload, written as OUT/<pod>/<wall|heap>-NNN.pb.gz (the pod from the SDK's name tags), and, for each wall upload,
// the requests the pod served since its previous wall upload (its /stats counter) as OUT/<pod>/requests.csv.
const http = require('node:http');
const fs = require('node:fs');
const path = require('node:path');
const zlib = require('node:zlib');

const port = Number(process.env.INGEST_PORT || 22400);
const out = process.env.OUT;
const podPorts = JSON.parse(process.env.POD_PORTS); // {"b1": 22371, ...}
const counts = {};
const lastRequests = {};

function stats(pod) {
  return new Promise((resolve) => {
    http.get({ host: '127.0.0.1', port: podPorts[pod], path: '/stats' }, (res) => {
      let body = '';
      res.on('data', (d) => { body += d; });
      res.on('end', () => resolve(Number(body)));
    }).on('error', () => resolve(NaN));
  });
}

http.createServer((req, res) => {
  if (req.url.startsWith('/stock')) {
    const delay = Number(new URL(req.url, 'http://x').searchParams.get('delay') || 0);
    setTimeout(() => res.end('ok'), delay);
    return;
  }
  const chunks = [];
  req.on('data', (c) => chunks.push(c));
  req.on('end', async () => {
    const url = new URL(req.url, 'http://x');
    const name = url.searchParams.get('name') || '';
    const pod = (/pod=([\w-]+)/.exec(name) || [])[1] || 'unknown';
    const body = Buffer.concat(chunks);
    // 0.6.4 posts the gzipped pprof as the body (format=pprof); older SDKs sent a multipart form.
    const boundary = (/boundary=(.+)$/.exec(req.headers['content-type'] || '') || [])[1];
    let profile = body;
    if (boundary) {
      const start = body.indexOf('\r\n\r\n', body.indexOf('name="profile"')) + 4;
      profile = body.subarray(start, body.indexOf(Buffer.from('\r\n--' + boundary), start));
    }
    const kind = zlib.gunzipSync(profile).includes(Buffer.from('inuse_space')) ? 'heap' : 'wall';
    const dir = path.join(out, pod);
    fs.mkdirSync(dir, { recursive: true });
    const key = pod + '/' + kind;
    counts[key] = (counts[key] || 0) + 1;
    const file = kind + '-' + String(counts[key]).padStart(3, '0') + '.pb.gz';
    fs.writeFileSync(path.join(dir, file), profile);
    fs.appendFileSync(path.join(out, 'uploads.log'), [Date.now(), pod, file, url.searchParams.get('from'),
      url.searchParams.get('until'), url.searchParams.get('spyName'), url.searchParams.get('sampleRate') || '']
      .join(' ') + '\n');
    if (kind === 'wall') {
      const now = await stats(pod);
      const before = lastRequests[pod] ?? 0;
      lastRequests[pod] = now;
      const csv = path.join(dir, 'requests.csv');
      if (!fs.existsSync(csv)) {
        fs.writeFileSync(csv, 'profile,requests\n');
      }
      fs.appendFileSync(csv, file + ',' + (now - before) + '\n');
    }
    res.writeHead(200);
    res.end();
  });
}).listen(port, '127.0.0.1');
