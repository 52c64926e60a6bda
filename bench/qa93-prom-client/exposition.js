// prom-client's README histogram (labelNames method, route, code), recorded by a plain http server on 127.0.0.1:22740.
const http = require('http');
const client = require('prom-client');
client.collectDefaultMetrics();
const hist = new client.Histogram({name: 'http_request_duration_seconds', help: 'Duration of HTTP requests in seconds',
  labelNames: ['method', 'route', 'code'], buckets: [0.005, 0.01, 0.025, 0.05, 0.1, 0.25, 0.5, 1, 2.5]});
const server = http.createServer(async (req, res) => {
  if (req.url === '/metrics') { res.setHeader('Content-Type', client.register.contentType); res.end(await client.register.metrics()); return; }
  const end = hist.startTimer();
  const route = req.url.startsWith('/orders') ? '/orders' : req.url;
  res.statusCode = route === '/orders' ? 200 : 404; res.end('ok');
  end({method: req.method, route, code: res.statusCode});
});
server.listen(22740, '127.0.0.1', async () => {
  for (let i = 0; i < 5; i++) await new Promise(r => http.get('http://127.0.0.1:22740/orders?id=' + i, x => { x.resume(); x.on('end', r); }));
  http.get('http://127.0.0.1:22740/metrics', x => { let b=''; x.on('data', d => b += d); x.on('end', () => { process.stdout.write(b); server.close(); }); });
});
