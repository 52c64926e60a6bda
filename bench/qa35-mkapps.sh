#!/bin/bash
# builds /tmp/qa35/profiles: N applications from the shipped (real async-profiler) shop recordings.
# even apps: regression (shop baseline vs shop canary); odd apps: A/A (canary pods = copies of the baseline pods)
set -e
S=$(cd "$(dirname "$0")/.." && pwd)/examples/profiles/shop
D=/tmp/qa35/profiles; rm -rf $D; mkdir -p $D
N=${1:-50}
for i in $(seq -w 1 $N); do
  app=app$i; mkdir -p $D/$app
  if (( 10#$i % 2 == 0 )); then kind=reg; else kind=aa; fi
  mk() { # src pod, new pod, hash
    mkdir -p $D/$app/$2; for f in $S/$1/slice-*.pb.gz $S/$1/requests.csv; do cp $f $D/$app/$2/; done
    printf 'pod=%s\nrollouts_pod_template_hash=%s\n' $2 $3 > $D/$app/$2/labels.properties; }
  mk shop-6d4f8c7b9-k2x7p $app-stable$i-a stable$i
  mk shop-6d4f8c7b9-w5n3j $app-stable$i-b stable$i
  if [ $kind = reg ]; then
    mk shop-7f9b6c5d4-m4q8z $app-canary$i-a canary$i; mk shop-7f9b6c5d4-r9t2w $app-canary$i-b canary$i
  else
    mk shop-6d4f8c7b9-k2x7p $app-canary$i-a canary$i; mk shop-6d4f8c7b9-w5n3j $app-canary$i-b canary$i
  fi
  echo "$app $kind" >> $D/../apps.txt.tmp
done
mv $D/../apps.txt.tmp /tmp/qa35/apps.txt
