#!/usr/bin/env bash
# bench/qa80-untold.sh CP OUT: qa80's table (docs/EVALUATION.md "Wrappers or added calls: when the judge cannot tell"):
# qa71's rows (bench/qa71-added-calls.sh: added calls to `Quotes.stock` and `AuditLog.record`, wrappers around a share f
# of `Quotes$$Lambda.accept`'s calls, 3+1 and 2+2), the 12 allocation A/A runs, and qa67's CPU rows and 4 CPU A/A runs
# (bench/qa67-cpu.sh, its collapsed slices in /tmp/qa67/cpu: run it first), judged with class path CP
# (bench/test-classpath.sh; another build's target/classes first to judge with it); first line of each verdict to OUT.
# Run from the project root; modelled canaries go to /tmp/qa80/w.
set -u
CP=$1; OUT=$2; : > $OUT
J="nice java -cp $CP io.canaryjudge.CanaryJudgeApplication"
R=canary-judge/src/test/resources/qa55/alloc_bytes; P='io.canaryjudge.qa53.PricingPod'; W=/tmp/qa80/w; mkdir -p $W
add() { [ -d $W/$2 ] || python3 bench/qa62-model.py $R/$1 $W/$2 add 1 "$P\$Quotes.recompute" "$3" >/dev/null; }
mk() { [ -d $W/$2 ] || python3 bench/qa65-partial-wrapper.py $R/$1 $W/$2 $3 "$P\$Quotes.traced" "$P\$Quotes\$\$Lambda.accept" >/dev/null; }
one() { local name=$1; shift; echo "$name :: $($J "$@" 2>/dev/null | head -1)" >> $OUT; }
base() { for b in "$@"; do echo --baseline $R/$b; done; }
hist() { for h in "$@"; do echo --history $R/$h; done; }
add b2 stock-b2-0.5 '$$Lambda.handle:$Quotes.stock:0.5'; add b5 stock-b5-0.7 '$$Lambda.handle:$Quotes.stock:0.7'
one "stock 0.5 b2" compare --profile-type alloc_bytes $(base b6 b5 b1) $(hist b3 b4) --canary $W/stock-b2-0.5
one "stock 0.7 b5" compare --profile-type alloc_bytes $(base b6 b1 b2) $(hist b3 b4) --canary $W/stock-b5-0.7
for f in 0.1 0.3 0.5; do add b2 audit-b2-$f "\$Quotes\$\$Lambda.accept:\$AuditLog.record:$f"
  one "audit $f b2" compare --profile-type alloc_bytes $(base b6 b5 b1) $(hist b3 b4) --canary $W/audit-b2-$f
  one "audit $f b2 (b3 b4 b5, b6 b1)" compare --profile-type alloc_bytes $(base b3 b4 b5) $(hist b6 b1) --canary $W/audit-b2-$f; done
pods=(b1 b2 b3 b4 b5 b6)
for f in 0.05 0.2 0.5; do for i in 0 1 2 3 4 5; do p=${pods[$i]}; mk $p $p-$f $f
  one "traced $f $p" compare --profile-type alloc_bytes $(base ${pods[$(( (i+1)%6 ))]} ${pods[$(( (i+2)%6 ))]} ${pods[$(( (i+3)%6 ))]}) \
    $(hist ${pods[$(( (i+4)%6 ))]} ${pods[$(( (i+5)%6 ))]}) --canary $W/$p-$f; done; done
mk codec180c codec-0.2 0.2; one "traced 0.2 codec180c" compare --profile-type alloc_bytes $(base b3 b4 b5) $(hist b6 b1) --canary $W/codec-0.2
for c in b2 b5; do add $c stock-$c-0.5 '$$Lambda.handle:$Quotes.stock:0.5'; add $c audit-$c-0.3 '$Quotes$$Lambda.accept:$AuditLog.record:0.3'
  add $c audit-$c-0.1 '$Quotes$$Lambda.accept:$AuditLog.record:0.1'; mk $c $c-0.05 0.05; mk $c $c-0.2 0.2; done
for h in hist nohist; do H=""; [ $h = hist ] && H="$(hist b3 b4)"
  one "2+2 A/A $h" compare --profile-type alloc_bytes $(base b6 b1) $H --canary $R/b2 --canary $R/b5
  for k in stock-%-0.5 audit-%-0.3 audit-%-0.1 %-0.05 %-0.2; do
    one "2+2 ${k//%-/} $h" compare --profile-type alloc_bytes $(base b6 b1) $H --canary $W/${k//%/b2} --canary $W/${k//%/b5}; done; done
# A/A 3+1, each pod against the next three, with and without the two after as history
for i in 0 1 2 3 4 5; do p=${pods[$i]}
  B="$(base ${pods[$(( (i+1)%6 ))]} ${pods[$(( (i+2)%6 ))]} ${pods[$(( (i+3)%6 ))]})"
  one "A/A $p hist" compare --profile-type alloc_bytes $B $(hist ${pods[$(( (i+4)%6 ))]} ${pods[$(( (i+5)%6 ))]}) --canary $R/$p
  one "A/A $p nohist" compare --profile-type alloc_bytes $B --canary $R/$p; done
# CPU: qa67-cpu.sh's canaries (collapsed copies in /tmp/qa80/cpu) and A/A
C=/tmp/qa67/cpu
for c in a1 dear dear-traced-0.2 recompute traced-1 traced-0.2 traced-0.05; do
  one "cpu $c" compare --profile-type cpu --baseline $C/b1 --baseline $C/b2 --baseline $C/b3 --canary $C/$c; done
for c in a1:b1:b2:b3 b1:b2:b3:a1 b2:b3:a1:b1 b3:a1:b1:b2; do IFS=: read k x y z <<< "$c"
  one "cpu A/A $k" compare --profile-type cpu --baseline $C/$x --baseline $C/$y --baseline $C/$z --canary $C/$k; done
