#!/usr/bin/env bash
# bench/qa67-cpu.sh CP OUT: qa67's CPU table (docs/EVALUATION.md): qa34's committed CrossCuttingPod JFRs collapsed
# (/tmp/qa67/cpu), qa62's and qa65's wrappers modelled on them, each judged with class path CP (bench/test-classpath.sh;
# another build's target/classes first to judge with it); first line of each verdict to OUT. Run from the project root.
set -u
CP=$1; OUT=$2; : > $OUT
S=canary-judge/src/test/resources/qa34; C=/tmp/qa67/cpu; mkdir -p $C
J="java -cp $CP io.canaryjudge.CanaryJudgeApplication"
for p in a1 b1 b2 b3; do [ -d $C/$p ] && continue; mkdir -p $C/$p.tmp
  for i in 1 2 3 4; do zcat $S/$p/slice-$i.jfr.gz > /tmp/qa67/s.jfr; nice $J collapse /tmp/qa67/s.jfr --profile-type cpu | gzip > $C/$p.tmp/slice-$i.collapsed.gz; done
  sed 's/\.jfr\.gz/.collapsed.gz/' $S/$p/requests.csv > $C/$p.tmp/requests.csv; mv $C/$p.tmp $C/$p; done
Q=io.canaryjudge.qa34.CrossCuttingPod
[ -d $C/recompute ] || python3 bench/qa62-model.py $C/a1 $C/recompute add 1 "$Q\$CheckoutService.recompute" "$Q\$Router.dispatch:$Q\$CheckoutService.checkout:0.8" "$Q\$Router.dispatch:$Q\$SearchService.search:1" > /dev/null
for f in 1 0.2 0.05; do [ -d $C/traced-$f ] || python3 bench/qa65-partial-wrapper.py $C/a1 $C/traced-$f $f "$Q\$Router.traced" "$Q\$RecommendationService.recommend"; done
[ -d $C/dear ] || python3 bench/qa67-scale.py $C/a1 $C/dear "$Q\$RecommendationService.recommend" 1.8
[ -d $C/dear-traced-0.2 ] || python3 bench/qa65-partial-wrapper.py $C/dear $C/dear-traced-0.2 0.2 "$Q\$Router.traced" "$Q\$RecommendationService.recommend"
for c in a1 dear dear-traced-0.2 recompute traced-1 traced-0.2 traced-0.05; do
  echo "cpu $c :: $(nice $J compare --profile-type cpu --baseline $C/b1 --baseline $C/b2 --baseline $C/b3 --canary $C/$c 2>/dev/null | head -1)" >> $OUT
done
# A/A: each of the four JVMs (one build) as the canary against the other three
for c in a1:b1:b2:b3 b1:b2:b3:a1 b2:b3:a1:b1 b3:a1:b1:b2; do IFS=: read k x y z <<< "$c"
  echo "cpu A/A $k :: $(nice $J compare --profile-type cpu --baseline $C/$x --baseline $C/$y --baseline $C/$z --canary $C/$k 2>/dev/null | head -1)" >> $OUT
done
