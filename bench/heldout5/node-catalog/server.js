'use strict';
// heldout5 (qa95): a small Node catalog-search service the judge has never seen, for the Go/Node held-out set
// (docs/heldout5.md). POST /search {query, limit, maxPrice, page}: parses the query, scores every product of an
// in-memory catalog (token overlap and a rank signal hashed over the product's text: the CPU-heavy step), sorts,
// renders an HTML fragment and answers JSON. Profiled by @datadog/pprof itself (what Pyroscope's Node SDK runs): wall
// time at 100 Hz and V8's sampled live heap, one file each per slice: wall-NN.pb.gz, heap-NN.pb.gz, requests.csv.
// Env: PORT, OUT, VARIANT = base | slow15 (scoreProducts 1.5x the rounds) | slow2 (2x) | newpath (a new
// highlightMatches: the best 120 matches' descriptions rewritten with regular expressions per query word, for previews),
// SLICE_MS (60000), SLICES (12), WARMUP_MS (20000).
const http = require('node:http');
const fs = require('node:fs');
const path = require('node:path');
const pprof = require('@datadog/pprof');

const port = Number(process.env.PORT);
const out = process.env.OUT;
const variant = process.env.VARIANT || 'base';
const sliceMs = Number(process.env.SLICE_MS || 60000);
const slices = Number(process.env.SLICES || 12);
const warmupMs = Number(process.env.WARMUP_MS || 20000);
const ROUNDS = { base: 60, slow15: 90, slow2: 120 }[variant] || 60; // scoreProducts' hash rounds per product

const WORDS = ('lamp chair desk oak steel linen wool cotton lantern shelf rug mirror vase clock kettle bowl basket '
  + 'stool bench sofa walnut brass copper ceramic glass velvet leather marble pine cedar woven hand made vintage '
  + 'modern rustic classic compact large small round square').split(' ');

function makeCatalog() {
  let seed = 42;
  const rnd = () => { seed = (seed * 1103515245 + 12345) & 0x7fffffff; return seed / 0x7fffffff; };
  const products = [];
  for (let i = 0; i < 300; i++) {
    const words = [];
    for (let k = 0; k < 24; k++) words.push(WORDS[Math.floor(rnd() * WORDS.length)]);
    products.push({ id: 'p' + i, title: words.slice(0, 3).join(' '), description: words.join(' '),
      price: Math.round(rnd() * 50000) / 100, stock: Math.floor(rnd() * 40) });
  }
  return products;
}
const CATALOG = makeCatalog();

function parseQuery(body) {
  const q = JSON.parse(body);
  const tokens = String(q.query || '').toLowerCase().split(/\s+/).filter(Boolean);
  return { tokens, limit: Math.min(Number(q.limit) || 10, 50), maxPrice: Number(q.maxPrice) || Infinity,
    page: Number(q.page) || 0 };
}

function scoreProducts(query) {
  const scored = [];
  for (const p of CATALOG) {
    if (p.price > query.maxPrice) continue;
    let overlap = 0;
    for (const t of query.tokens) if (p.description.includes(t)) overlap++;
    let h = 2166136261;
    for (let r = 0; r < ROUNDS; r++) {
      const text = p.description;
      for (let c = 0; c < text.length; c++) h = Math.imul(h ^ text.charCodeAt(c) ^ r, 16777619);
    }
    scored.push({ p, score: overlap * 1000 + ((h >>> 0) % 997) });
  }
  scored.sort((a, b) => b.score - a.score);
  return scored;
}

function highlightMatches(results, tokens) {
  for (const r of results) {
    let d = r.description;
    for (const t of tokens) d = d.replace(new RegExp('\\b(' + t + '\\w*)\\b', 'gi'), '<mark>$1</mark>');
    for (const t of tokens) d = d.replace(new RegExp('(\\w+) (' + t + ')', 'g'), '$1&nbsp;$2');
    r.description = d;
  }
}

function escapeHtml(s) {
  return s.replace(/[&<>"]/g, (ch) => ({ '&': '&amp;', '<': '&lt;', '>': '&gt;', '"': '&quot;' })[ch]);
}

function renderResults(results) {
  let html = '<ul class="results">';
  for (const r of results) {
    html += `<li data-id="${r.id}"><h3>${escapeHtml(r.title)}</h3><p>${r.description}</p>`
      + `<span class="price">${r.price.toFixed(2)}</span><span class="stock">${r.stock}</span></li>`;
  }
  return html + '</ul>';
}

function search(body) {
  const query = parseQuery(body);
  const scored = scoreProducts(query);
  const start = query.page * query.limit;
  const results = scored.slice(start, start + query.limit).map(({ p, score }) => ({ ...p, score }));
  const answer = { total: scored.length, html: renderResults(results), ids: results.map((r) => r.id) };
  if (variant === 'newpath') { // snippets for the best 120 matches (the client's preview pane)
    const previews = scored.slice(0, 120).map(({ p }) => ({ ...p }));
    highlightMatches(previews, query.tokens);
    answer.previews = previews.map((r) => r.description.slice(0, 80));
  }
  return answer;
}

let served = 0;
http.createServer((req, res) => {
  if (req.method !== 'POST' || req.url !== '/search') { res.writeHead(404); res.end(); return; }
  const chunks = [];
  req.on('data', (c) => chunks.push(c));
  req.on('end', () => {
    let answer;
    try {
      answer = JSON.stringify(search(Buffer.concat(chunks).toString('utf8')));
    } catch (e) {
      res.writeHead(400); res.end(String(e)); return;
    }
    served++;
    res.writeHead(200, { 'content-type': 'application/json' });
    res.end(answer);
  });
}).listen(port, '127.0.0.1');

fs.mkdirSync(out, { recursive: true });
fs.writeFileSync(path.join(out, 'start_ms'), String(Date.now()));
setTimeout(() => {
  pprof.time.start({ intervalMicros: 10000, durationMillis: sliceMs });
  pprof.heap.start(512 * 1024, 64);
  fs.writeFileSync(path.join(out, 'requests.csv'), 'profile,requests\n');
  let n = 0;
  let before = served;
  const timer = setInterval(async () => {
    const id = String(n).padStart(2, '0');
    const last = n === slices - 1;
    const wall = pprof.time.stop(!last);
    fs.writeFileSync(path.join(out, `wall-${id}.pb.gz`), await pprof.encode(wall));
    fs.writeFileSync(path.join(out, `heap-${id}.pb.gz`), await pprof.encode(pprof.heap.profile()));
    fs.appendFileSync(path.join(out, 'requests.csv'), `wall-${id}.pb.gz,${served - before}\n`);
    before = served;
    n++;
    if (last) { clearInterval(timer); console.error('done'); process.exit(0); }
  }, sliceMs);
}, warmupMs);
