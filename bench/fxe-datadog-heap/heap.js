'use strict';
// One heap profile written by @datadog/pprof by itself (as dd-trace-js or a user's own code writes it, not through
// Pyroscope's Node SDK, which renames the columns): V8's sampling heap profiler, sample types objects/count and
// space/bytes, holding the objects still live when the profile is taken.
// Usage: PPROF_DIR=DIR node heap.js OUT.pb.gz [VARIANT]   VARIANT: base | retain (cacheSession keeps 4x the entries)
// PPROF_DIR: where that version of @datadog/pprof is installed, so that every version profiles this one script path.
const fs = require('node:fs');
const pprof = require(require.resolve('@datadog/pprof', { paths: [process.env.PPROF_DIR] }));

const out = process.argv[2];
const variant = process.argv[3] || 'base';

// Sample every 32 KiB on average (the SDK's default is 512 KiB) so that a few MiB retained give some hundred samples.
pprof.heap.start(32 * 1024, 64);

const sessions = [];
const buffers = [];

function cacheSession(i) {
  // ~1 KiB objects: a string and an array of numbers per session, kept in the module-level list
  sessions.push({ id: 'session-' + i, payload: 'x'.repeat(512) + i, scores: new Array(64).fill(i) });
}

function keepBuffer(i) {
  buffers.push(Buffer.alloc(2048, i % 256).toString('base64'));
}

function garbage(i) {
  // allocated and dropped: not live when the profile is taken (after a collection)
  let s = 0;
  for (let k = 0; k < 50; k++) {
    s += JSON.stringify({ k, i, v: new Array(32).fill(k) }).length;
  }
  return s;
}

async function main() {
  const sessionsKept = variant === 'retain' ? 16000 : 4000;
  let sink = 0;
  for (let i = 0; i < 4000; i++) {
    keepBuffer(i);
    sink += garbage(i);
  }
  for (let i = 0; i < sessionsKept; i++) {
    cacheSession(i);
  }
  if (global.gc) {
    global.gc();
  }
  const profile = pprof.heap.profile();
  fs.writeFileSync(out, await pprof.encode(profile));
  pprof.heap.stop();
  console.log(`${out}: ${sessions.length} sessions, ${buffers.length} buffers kept (${sink})`);
}

main();
