'use strict';
// Wall against CPU of a Node SDK wall profile: over a pod's wall-NNN.pb.gz, the JavaScript thread's
// wall and CPU as % of elapsed time (without (idle), (program) and Non JS threads activity) and the top functions'
// self shares of each. Usage (from /tmp/qa76/app, where record.sh installs pprof-format): node shares.js POD_DIR [TOP]
const {Profile}=require('pprof-format');const zlib=require('node:zlib');const fs=require('node:fs');const path=require('node:path');
const dir=process.argv[2];const files=fs.readdirSync(dir).filter(f=>f.startsWith('wall-')).sort();
const W={},C={};let dur=0;
for(const f of files){const p=Profile.decode(zlib.gunzipSync(fs.readFileSync(path.join(dir,f))));const s=p.stringTable.strings;
 const wi=p.sampleType.findIndex(v=>s[v.type]==='wall'),ci=p.sampleType.findIndex(v=>s[v.type]==='cpu');dur+=Number(p.durationNanos);
 for(const sm of p.sample){const l=p.location[Number(sm.locationId[0])-1];const k=s[p.function[Number(l.line[0].functionId)-1].name];
  W[k]=(W[k]||0)+Number(sm.value[wi]);C[k]=(C[k]||0)+(ci>=0?Number(sm.value[ci]):0);}}
const ex=new Set([':Non JS threads activity:0',':(idle):0',':(program):0']);
const tw=Object.entries(W).filter(([k])=>!ex.has(k)).reduce((a,[,v])=>a+v,0), tc=Object.entries(C).filter(([k])=>!ex.has(k)).reduce((a,[,v])=>a+v,0);
console.log(path.basename(dir),'profiles',files.length,'JS-thread wall',(tw/dur*100).toFixed(1)+'% of elapsed; JS-thread cpu',(tc/dur*100).toFixed(1)+'%; Non JS cpu',((C[':Non JS threads activity:0']||0)/dur*100).toFixed(1)+'%; idle wall/cpu',W[':(idle):0']||0,((C[':(idle):0']||0)/dur*100).toFixed(1)+'%; program', W[':(program):0']||0);
const n=Number(process.argv[3]||8);
Object.keys(W).filter(k=>!ex.has(k)).sort((a,b)=>W[b]-W[a]).slice(0,n).forEach(k=>console.log('  wall',(W[k]/tw*100).toFixed(2).padStart(6),' cpu',(C[k]/tc*100).toFixed(2).padStart(6),' ',k));
