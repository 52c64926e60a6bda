#!/usr/bin/env bash
# bench/qa71-added-calls.sh CP OUT: qa71's table (docs/EVALUATION.md "Added calls told from wrappers"): a new
# `Quotes.recompute` adding calls to `Quotes.stock` or `AuditLog.record` on a share of requests (bench/qa62-model.py),
# wrappers around a share f of `Quotes$$Lambda.accept`'s calls (bench/qa65-partial-wrapper.py), 3+1 and 2+2, on qa55's
# committed allocation slices, judged with class path CP (bench/test-classpath.sh; put another build's target/classes
# first to judge with it); first line of each verdict to OUT. A/A and CPU: bench/qa67-wrappers.sh, bench/qa67-cpu.sh.
# Run from the project root; modelled canaries go to /tmp/qa71/w.
set -u
CP=$1; OUT=$2; : > $OUT
R=canary-judge/src/test/resources/qa55/alloc_bytes; P='io.canaryjudge.qa53.PricingPod'; W=/tmp/qa71/w; mkdir -p $W
J="nice java -cp $CP io.canaryjudge.CanaryJudgeApplication compare --profile-type alloc_bytes"
add() { [ -d $W/$2 ] || python3 bench/qa62-model.py $R/$1 $W/$2 add 1 "$P\$Quotes.recompute" "$3" >/dev/null; }
mk() { [ -d $W/$2 ] || python3 bench/qa65-partial-wrapper.py $R/$1 $W/$2 $3 "$P\$Quotes.traced" "$P\$Quotes\$\$Lambda.accept" >/dev/null; }
one() { local name=$1; shift; echo "$name :: $($J "$@" 2>/dev/null | head -1)" >> $OUT; }
base() { for b in "$@"; do echo --baseline $R/$b; done; }
hist() { for h in "$@"; do echo --history $R/$h; done; }
# 3+1: added calls (AddedCallsTest), against b6 b5 b1 (b5: b6 b1 b2) with b3 b4 as history
add b2 stock-b2-0.5 '$$Lambda.handle:$Quotes.stock:0.5'; add b5 stock-b5-0.7 '$$Lambda.handle:$Quotes.stock:0.7'
one "stock 0.5 b2" $(base b6 b5 b1) $(hist b3 b4) --canary $W/stock-b2-0.5
one "stock 0.7 b5" $(base b6 b1 b2) $(hist b3 b4) --canary $W/stock-b5-0.7
for f in 0.1 0.3 0.5; do add b2 audit-b2-$f "\$Quotes\$\$Lambda.accept:\$AuditLog.record:$f"
  one "audit $f b2" $(base b6 b5 b1) $(hist b3 b4) --canary $W/audit-b2-$f
  one "audit $f b2 (b3 b4 b5, b6 b1)" $(base b3 b4 b5) $(hist b6 b1) --canary $W/audit-b2-$f; done
# 3+1: wrappers, each pod against the next three, the two after as history; codec180c (audit log x1.8) f = 0.2
pods=(b1 b2 b3 b4 b5 b6)
for f in 0.05 0.2 0.5; do for i in 0 1 2 3 4 5; do p=${pods[$i]}; mk $p $p-$f $f
  one "traced $f $p" $(base ${pods[$(( (i+1)%6 ))]} ${pods[$(( (i+2)%6 ))]} ${pods[$(( (i+3)%6 ))]}) \
    $(hist ${pods[$(( (i+4)%6 ))]} ${pods[$(( (i+5)%6 ))]}) --canary $W/$p-$f; done; done
mk codec180c codec-0.2 0.2; one "traced 0.2 codec180c" $(base b3 b4 b5) $(hist b6 b1) --canary $W/codec-0.2
# 2+2: b2 and b5 modelled alike, against b6 b1, with b3 b4 as history and without
for c in b2 b5; do add $c stock-$c-0.5 '$$Lambda.handle:$Quotes.stock:0.5'; add $c audit-$c-0.3 '$Quotes$$Lambda.accept:$AuditLog.record:0.3'
  add $c audit-$c-0.1 '$Quotes$$Lambda.accept:$AuditLog.record:0.1'; mk $c $c-0.05 0.05; mk $c $c-0.2 0.2; done
for h in hist nohist; do H=""; [ $h = hist ] && H="$(hist b3 b4)"
  one "2+2 A/A $h" $(base b6 b1) $H --canary $R/b2 --canary $R/b5
  for k in stock-%-0.5 audit-%-0.3 audit-%-0.1 %-0.05 %-0.2; do
    one "2+2 ${k//%-/} $h" $(base b6 b1) $H --canary $W/${k//%/b2} --canary $W/${k//%/b5}; done; done
