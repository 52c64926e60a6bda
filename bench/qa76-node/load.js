'use strict';
// Open-loop load on every pod: RATE requests/s each (3 of 4 to /order, 1 to /catalog) for SECONDS.
const http = require('node:http');
const podPorts = JSON.parse(process.env.POD_PORTS);
const rate = Number(process.env.RATE || 60);
const seconds = Number(process.env.SECONDS || 300);
const agent = new http.Agent({ keepAlive: true, maxSockets: 8 });
let n = 0;
const started = Date.now();
const timer = setInterval(() => {
  if (Date.now() - started > seconds * 1000) {
    clearInterval(timer);
    setTimeout(() => process.exit(0), 2000);
    return;
  }
  n++;
  for (const port of Object.values(podPorts)) {
    const path = n % 4 === 0 ? '/catalog' : '/order';
    http.get({ host: '127.0.0.1', port, path, agent }, (res) => res.resume()).on('error', () => {});
  }
}, 1000 / rate);
