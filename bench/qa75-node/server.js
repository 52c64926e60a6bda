'use strict';
// A small Node HTTP shop service profiled by Pyroscope's Node SDK (@pyroscope/nodejs 0.6.4, @datadog/pprof 5.14.4)
// exactly as a user runs it: Pyroscope.init + start, uploads to a Pyroscope-compatible /ingest (ingest.js here).
// VARIANT: base | slow (priceOrder does 1.5x the work) | newpath (a new auditOrder renders one more Mustache template
// per order: a hot path under an application function, mostly in the library) | retain (the receipt cache keeps 4x
// larger entries: more live heap under cacheReceipt).
const http = require('node:http');
const zlib = require('node:zlib');
const Mustache = require('mustache');
const Pyroscope = require('@pyroscope/nodejs');

const port = Number(process.env.PORT);
const pod = process.env.POD;
const variant = process.env.VARIANT || 'base';
const flushMs = Number(process.env.FLUSH_MS || 15000);

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
  Pyroscope.init({
    serverAddress: process.env.INGEST || 'http://127.0.0.1:22370',
    appName: 'shop-node',
    tags: { pod },
    flushIntervalMs: flushMs,
    wall: { collectCpuTime: process.env.CPU_TIME !== 'false' },
  });
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
  const rounds = variant === 'slow' ? 1800 : 1200;
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

function handleOrder(req, res, seed) {
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
