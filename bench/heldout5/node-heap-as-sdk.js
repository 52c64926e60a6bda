'use strict';
// heldout5 (qa95): rewrites @datadog/pprof heap profiles (sample types objects/count, space/bytes; period type space)
// as Pyroscope's Node SDK uploads them: the same samples with the types renamed inuse_objects / inuse_space, the period
// type with them (profile-client PyroscopeProfileTypes.NODE_INUSE_*), so the committed files are what the service reads
// through Pyroscope. compare reads the raw names too (docs/EVALUATION.md "(fxe)"); bench/heldout5/assemble.sh runs this
// on every Node heap file it copies.
//   node node-heap-as-sdk.js FILE...      (in place; needs pprof-format, which @datadog/pprof brings)
const fs = require('node:fs');
const zlib = require('node:zlib');
const { Profile } = require(require.resolve('pprof-format', { paths: [process.env.NODE_APP || '/tmp/qa95/node'] }));

for (const file of process.argv.slice(2)) {
  const profile = Profile.decode(zlib.gunzipSync(fs.readFileSync(file)));
  const rename = (vt) => {
    const name = profile.stringTable.strings[vt.type];
    if (name === 'space' || name === 'objects') vt.type = profile.stringTable.dedup('inuse_' + name);
  };
  profile.sampleType.forEach(rename);
  if (profile.periodType) rename(profile.periodType);
  fs.writeFileSync(file, zlib.gzipSync(profile.encode()));
}
