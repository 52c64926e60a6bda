#!/usr/bin/env bash
# bench/qa67-wrappers.sh CP OUT: qa67's table (docs/EVALUATION.md): partial wrappers of qa55's committed allocation
# slices (bench/qa65-partial-wrapper.py), qa62's modelled methods, and the A/A runs, judged with class path CP
# (bench/test-classpath.sh; put another build's target/classes first to judge with it); first line of each verdict to OUT.
# Run from the project root; modelled canaries go to /tmp/qa67/w.
set -u
CP=$1; OUT=$2; : > $OUT
R=canary-judge/src/test/resources/qa55/alloc_bytes; P='io.canaryjudge.qa53.PricingPod'
J="nice java -cp $CP io.canaryjudge.CanaryJudgeApplication compare --profile-type alloc_bytes"
W=/tmp/qa67/w; mkdir -p $W
mk() { [ -d $W/$2 ] || python3 bench/qa65-partial-wrapper.py $R/$1 $W/$2 $3 "$P\$Quotes.traced" "$P\$Quotes\$\$Lambda.accept"; }
pods=(b1 b2 b3 b4 b5 b6)
nxt() { local i=$1; echo ${pods[$(( (i+1)%6 ))]} ${pods[$(( (i+2)%6 ))]} ${pods[$(( (i+3)%6 ))]} ${pods[$(( (i+4)%6 ))]} ${pods[$(( (i+5)%6 ))]}; }
one() { local name=$1 canary=$2 hist=$3; shift 3; local args=""; for b in "$@"; do args="$args --baseline $R/$b"; done
  if [ "$hist" != "-" ]; then for h in $hist; do args="$args --history $R/$h"; done; fi
  echo "$name :: $($J $args --canary $canary 2>/dev/null | head -1)" >> $OUT; }
# issue 1
mk codec180c codec-0.2 0.2; mk codec180c codec-0.5 0.5
for c in codec-0.2 codec-0.5; do one "$c" $W/$c "b6 b1" b3 b4 b5; done
for c in codec-0.2 codec-0.5; do mkdir -p $W/$c-noreq; cp $W/$c/*.gz $W/$c-noreq/; one "$c-noreq" $W/$c-noreq "b6 b1" b3 b4 b5; done
one "codec180c (no wrapper)" $R/codec180c "b6 b1" b3 b4 b5
# issue 2 and 3, and f=0.2/0.5 on every pod
for f in 0.05 0.2 0.5; do for i in 0 1 2 3 4 5; do p=${pods[$i]}; mk $p $p-$f $f; set -- $(nxt $i)
  one "$p f=$f hist" $W/$p-$f "$4 $5" $1 $2 $3; done; done
# A/A
for i in 0 1 2 3 4 5; do p=${pods[$i]}; set -- $(nxt $i); one "A/A $p hist" $R/$p "$4 $5" $1 $2 $3; one "A/A $p nohist" $R/$p - $1 $2 $3; done
# qa62
[ -d $W/recompute ] || python3 bench/qa62-model.py $R/b2 $W/recompute add 1 "$P\$Quotes.recompute" '$Quotes$$Lambda.accept:$AuditLog.record:1' '$$Lambda.handle:$Quotes.stock:1' >/dev/null
[ -d $W/traced1 ] || python3 bench/qa62-model.py $R/b2 $W/traced1 wrap 1 "$P\$Quotes.traced" "$P\$Quotes\$\$Lambda.accept" >/dev/null
[ -d $W/codec-traced1 ] || python3 bench/qa62-model.py $R/codec180c $W/codec-traced1 wrap 1 "$P\$Quotes.traced" "$P\$Quotes\$\$Lambda.accept" >/dev/null
[ -d $W/recompute-codec ] || python3 bench/qa62-model.py $R/codec180c $W/recompute-codec add 1 "$P\$Quotes.recompute" '$Quotes$$Lambda.accept:$AuditLog.record:1' >/dev/null
one "qa62 recompute b2" $W/recompute "b3 b4" b6 b5 b1
one "qa62 traced b2" $W/traced1 "b3 b4" b6 b5 b1
one "qa62 traced codec" $W/codec-traced1 "b3 b4" b6 b5 b1
one "recompute on codec" $W/recompute-codec "b6 b1" b3 b4 b5
# a new method recording the audit entry once more on a share of requests (qa62's `recompute`, small)
for f in 0.05 0.1 0.2; do for p in b2:b3:b4:b5:b6:b1 b5:b6:b1:b2:b3:b4; do IFS=: read c x y z h1 h2 <<< "$p"
  [ -d $W/rc-$c-$f ] || python3 bench/qa62-model.py $R/$c $W/rc-$c-$f add 1 "$P\$Quotes.recompute" "\$Quotes\$\$Lambda.accept:\$AuditLog.record:$f" >/dev/null
  one "recompute $f $c" $W/rc-$c-$f "$h1 $h2" $x $y $z; done; done
