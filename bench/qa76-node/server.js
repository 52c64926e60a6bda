'use strict';
// qa76: qa75's Node shop (bench/qa75-node/server.js) started with Pyroscope's Node SDK at its defaults, exactly as its
// README says (Pyroscope.init({serverAddress, appName, tags}) + start: wall time only, every 60 s), and each order
// first asks a downstream stock service (ingest.js's /stock, on loopback) and waits for its answer.
// VARIANT: base | slow (priceOrder 1.5x the work) | slow2 (2x) | newpath (a new auditOrder renders one more Mustache
// template six times per order: a new hot path mostly in the library) | iowait (the downstream answers in
// SLOW_DOWNSTREAM_MS instead of DOWNSTREAM_MS: the service waits longer, its JavaScript does the same work).
const http = require('node:http');
const zlib = require('node:zlib');
const Mustache = require('mustache');
const Pyroscope = require('@pyroscope/nodejs');

const port = Number(process.env.PORT);
const pod = process.env.POD;
const variant = process.env.VARIANT || 'base';
const flushMs = Number(process.env.FLUSH_MS || 15000);
const downstreamMs = Number(variant === 'iowait' ? (process.env.SLOW_DOWNSTREAM_MS || 40) : (process.env.DOWNSTREAM_MS || 8));
const downstream = new http.Agent({ keepAlive: true, maxSockets: 32 });

if (process.env.RAW_OUT) {
  // @datadog/pprof by itself, as Datadog's agent or a user's pprof.encode writes it: names without their script.
  const pprof = require('@datadog/pprof');
  const fs = require('node:fs');
  let n = 0;
  pprof.time.start({ intervalMicros: 10000, durationMillis: 60000 });
  pprof.heap.start(512 * 1024, 64);
  setInterval(async () => {
    n++;
    const id = String(n).padStart(3, '0');
    fs.writeFileSync(`${process.env.RAW_OUT}/wall-${id}.pb.gz`, await pprof.encode(pprof.time.stop(true)));
    fs.writeFileSync(`${process.env.RAW_OUT}/heap-${id}.pb.gz`, await pprof.encode(pprof.heap.profile()));
  }, flushMs).unref();
} else {
  // The SDK's README: serverAddress, appName, tags; everything else at its default (wall only, 60 s uploads).
  const config = { serverAddress: process.env.INGEST || 'http://127.0.0.1:22400', appName: 'shop-node', tags: { pod } };
  if (process.env.CPU_TIME === 'true') {
    config.wall = { collectCpuTime: true };
  }
  Pyroscope.init(config);
  Pyroscope.start();
}

const RECEIPT = '<h1>Order {{id}}</h1><ul>{{#items}}<li>{{name}} x{{qty}}: {{price}}</li>{{/items}}</ul>'
  + '<p>Total {{total}}</p>';
const AUDIT = '{{#items}}<tr><td>{{id}}</td><td>{{name}}</td><td>{{qty}}</td><td>{{price}}</td>'
  + '<td>{{#tags}}<i>{{.}}</i>{{/tags}}</td></tr>{{/items}}';

let requests = 0;
const receipts = new Map(); // a bounded cache of recent receipts (live heap)

function makeOrder(seed) {
  const items = [];
  for (let i = 0; i < 12; i++) {
    items.push({ id: seed * 100 + i, name: 'item-' + ((seed * 7 + i) % 50), qty: 1 + (i % 3),
      tags: ['a' + (i % 5), 'b' + (seed % 7), 'c<' + i + '>'] });
  }
  return { id: seed, items };
}

function priceOrder(order) {
  // Application CPU: a price per item from a hash of its name, rounds scaled by the variant.
  const rounds = variant === 'slow' ? 3600 : variant === 'slow2' ? 4800 : 2400; // qa75's 1200, doubled: busier pods
  let total = 0;
  for (const item of order.items) {
    let h = 2166136261;
    for (let r = 0; r < rounds; r++) {
      for (let c = 0; c < item.name.length; c++) {
        h = Math.imul(h ^ item.name.charCodeAt(c) ^ r, 16777619);
      }
    }
    item.price = ((h >>> 0) % 10000) / 100;
    total += item.price * item.qty;
  }
  order.total = total.toFixed(2);
  return order;
}

function renderReceipt(order) {
  return Mustache.render(RECEIPT, order);
}

function auditOrder(order) {
  let out = '';
  for (let i = 0; i < 6; i++) {
    out += Mustache.render(AUDIT, order);
  }
  return out.length;
}

function cacheReceipt(id, html) {
  const copies = variant === 'retain' ? 4 : 1;
  receipts.set(id % 4000, { html: html.repeat(copies).split('').join('') });
}

function checkStock(seed, done) {
  // A downstream call: the service waits (the event loop idles) until the stock service answers.
  http.get({ host: '127.0.0.1', port: Number(process.env.INGEST_PORT || 22400),
    path: '/stock?delay=' + downstreamMs + '&seed=' + seed, agent: downstream }, (res) => {
    res.resume();
    res.on('end', done);
  }).on('error', done);
}

function handleOrder(req, res, seed) {
  checkStock(seed, () => priceAndRender(res, seed));
}

function priceAndRender(res, seed) {
  const order = priceOrder(makeOrder(seed));
  const html = renderReceipt(order);
  if (variant === 'newpath') {
    auditOrder(order);
  }
  cacheReceipt(seed, html);
  res.writeHead(200, { 'content-type': 'text/html' });
  res.end(html);
}

function handleCatalog(req, res, seed) {
  const catalog = [];
  for (let i = 0; i < 200; i++) {
    catalog.push({ sku: 'sku-' + (seed + i), name: 'item-' + (i % 50), stock: (seed * i) % 17 });
  }
  const body = zlib.gzipSync(JSON.stringify(catalog));
  res.writeHead(200, { 'content-type': 'application/json', 'content-encoding': 'gzip' });
  res.end(body);
}

http.createServer((req, res) => {
  if (req.url === '/stats') {
    res.end(String(requests));
    return;
  }
  requests++;
  const seed = requests;
  if (req.url.startsWith('/order')) {
    handleOrder(req, res, seed);
  } else if (req.url.startsWith('/catalog')) {
    handleCatalog(req, res, seed);
  } else {
    res.writeHead(404);
    res.end();
  }
}).listen(port, '127.0.0.1');
