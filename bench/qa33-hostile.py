#!/usr/bin/env python3
# Hostile and broken profile files (qa33), generated into OUT from a real async-profiler JFR recording REC (any
# recording of a few hundred KB, e.g. one of bench/qa33-deep-stacks.sh's, gunzipped): empty, junk, a JFR cut mid-chunk
# and in its header, truncated / corrupt / bad-CRC gzip, gzip bombs inflating to 4 GiB and 900 MiB of collapsed text,
# gzip nested three deep, pprof with bad varints, a 2^40-byte declared length, string-table and location ids out of
# range, 2 million locations, a 10-million-frame stack, collapsed lines of 100,000 frames, 50 MB, counts beyond 64 bits,
# negative, with a NUL byte. Then, for each file:
#   java -jar canary-judge/target/canary-judge.jar collapse OUT/FILE --profile-type cpu     (65 naming the file and the
#   problem, never a stack trace; /usr/bin/time -f "%es %MKB" for time and memory)
#   curl -F "baseline=@REC;filename=b1/b.jfr" -F "canary=@OUT/FILE;filename=c1/FILE" .../api/v1/analyses  (400/413)
# Usage: bench/qa33-hostile.py OUT REC        (writes about 80 MB)
import gzip, os, random, zlib, sys
D = sys.argv[1]; REC = sys.argv[2]  # out dir, a JFR recording
os.makedirs(D, exist_ok=True)
def w(name, data): open(os.path.join(D, name), 'wb').write(data)
def vi(n):
    out = bytearray()
    while True:
        b = n & 0x7f; n >>= 7
        if n: out.append(b | 0x80)
        else: out.append(b); return bytes(out)
def fld(num, wt, payload):
    if wt == 0: return vi(num << 3) + vi(payload)
    return vi(num << 3 | 2) + vi(len(payload)) + payload
w('empty', b'')
w('junk.bin', random.Random(1).randbytes(100000))
w('junk-text.txt', b'hello world\nthis is not a profile\n')
b = open(REC, 'rb').read()
w('cut-mid-chunk.jfr', b[:len(b)//2])
w('cut-header.jfr', b[:30])
gz = gzip.compress(b)
w('trunc.jfr.gz', gz[:len(gz)//2])
bad = bytearray(gz); bad[len(bad)//2] ^= 0xff; w('corrupt.jfr.gz', bytes(bad))
bad = bytearray(gz); bad[-8] ^= 0xff; w('badcrc.jfr.gz', bytes(bad))
# gzip bomb: collapsed text "a;b;c 1\n" inflating to 4 GB (beyond 1 GiB limit)
line = b'java.lang.Thread.run;com.x.Foo.bar;com.x.Foo.baz 1\n'
co = zlib.compressobj(9, zlib.DEFLATED, 31)
chunk = line * (1 << 16)
parts = []
total = 0
while total < (4 << 30):
    parts.append(co.compress(chunk)); total += len(chunk)
parts.append(co.flush())
w('bomb-4g.collapsed.gz', b''.join(parts))
# bomb under limit: 900 MB of collapsed text
co = zlib.compressobj(9, zlib.DEFLATED, 31); parts=[]; total=0
while total < (900 << 20):
    parts.append(co.compress(chunk)); total += len(chunk)
parts.append(co.flush())
w('bomb-900m.collapsed.gz', b''.join(parts))
# pprof: sample_type cpu/nanoseconds, strings; then broken things
def vt(t, u): return fld(1,0,t) + fld(2,0,u)
strs = [b'', b'cpu', b'nanoseconds', b'main', b'foo']
def strtab(ss): return b''.join(fld(6,2,s) for s in ss)
good = fld(1,2,vt(1,2)) + fld(2,2, fld(1,2,vi(1)) + fld(2,2,vi(10))) + fld(4,2, fld(1,0,1) + fld(4,2, fld(1,0,1))) + fld(5,2, fld(1,0,1)+fld(2,0,3)) + strtab(strs)
w('good.pb', good)
w('pprof-badvarint.pb', good[:20] + b'\xff'*12 + good[20:])
w('pprof-hugelen.pb', fld(1,2,vt(1,2)) + vi(2<<3|2) + vi(1<<40) + b'\x00'*10)
w('pprof-strindex.pb', fld(1,2,vt(1,2)) + fld(2,2, fld(1,2,vi(1)) + fld(2,2,vi(10))) + fld(4,2, fld(1,0,1) + fld(4,2, fld(1,0,1))) + fld(5,2, fld(1,0,1)+fld(2,0,999999)) + strtab(strs))
w('pprof-typeindex.pb', fld(1,2,vt(77,88)) + fld(2,2, fld(1,2,vi(1)) + fld(2,2,vi(10))) + strtab(strs))
w('pprof-missingloc.pb', fld(1,2,vt(1,2)) + fld(2,2, fld(1,2,vi(424242)) + fld(2,2,vi(10))) + strtab(strs))
# millions of locations (2M locations + 2M functions, one sample each referencing a chain of 100)
N = 2_000_000
locs = b''.join(fld(4,2, fld(1,0,i) + fld(4,2, fld(1,0,i))) for i in range(1, N+1))
funs = b''.join(fld(5,2, fld(1,0,i)+fld(2,0,3)) for i in range(1, N+1))
samples = b''.join(fld(2,2, fld(1,2,b''.join(vi(j) for j in range(i, i+100))) + fld(2,2,vi(1))) for i in range(1, N, 100))
w('pprof-2M-locs.pb.gz', gzip.compress(fld(1,2,vt(1,2)) + samples + locs + funs + strtab(strs), 6))
# a sample with 10 million location ids (deep stack)
deep = fld(1,2,vt(1,2)) + fld(2,2, fld(1,2,b''.join(vi(1) for _ in range(10_000_000))) + fld(2,2,vi(10))) + fld(4,2, fld(1,0,1) + fld(4,2, fld(1,0,1))) + fld(5,2, fld(1,0,1)+fld(2,0,3)) + strtab(strs)
w('pprof-deep.pb.gz', gzip.compress(deep))
# collapsed: a 100000-frame line, a line with huge count, negative, float
w('collapsed-100k.txt', (';'.join('f%d' % i for i in range(100000)) + ' 5\n').encode() + b'a;b 3\n'*3)
w('collapsed-hugecount.txt', b'a;b 99999999999999999999999\na;c 1\na;d 2\n')
w('collapsed-bigcount.txt', b'a;b 9223372036854775807\na;c 9223372036854775807\na;d 2\n')
w('collapsed-neg.txt', b'a;b -5\na;c 1\na;d 2\n')
w('collapsed-nul.txt', b'a;b 5\na;c\x00 1\na;d 2\n')
w('collapsed-longline.txt', b'x' * (50<<20) + b' 1\n')
w('mixed-gz-of-text.gz', gzip.compress(b'not a profile\n'))
w('double.gz', gzip.compress(gzip.compress(gzip.compress(line*3))))
