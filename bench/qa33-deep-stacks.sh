#!/usr/bin/env bash
# Deep stacks (qa33): two JVMs of io.canaryjudge.qa33.DeepStackPod (test sources) recursing 9,000 frames deep, each
# recorded for 6 s under async-profiler 4.2 (cpu, 1 ms, jstackdepth=12000, the profiler's own JFR output), gzipped:
# canary-judge/src/test/resources/qa33/deep-{1,2}.jfr.gz. Their deepest stacks exceed the judge's default limit of
# 8,192 frames.
#   bench/qa33-deep-stacks.sh OUT [CP]   (from the project root; CP defaults to canary-judge/target/test-classes)
set -euo pipefail
out=$1 cp=${2:-canary-judge/target/test-classes}; mkdir -p "$out"
ap=$(mktemp -d)
unzip -q -o -j ~/.m2/repository/tools/profiler/async-profiler/4.2/async-profiler-4.2.jar linux-x64/libasyncProfiler.so -d "$ap"
for i in 1 2; do
  nice java -Xss256m "-agentpath:$ap/libasyncProfiler.so=start,event=cpu,interval=1ms,jstackdepth=12000,jfr,file=$out/deep-$i.jfr" \
    -cp "$cp" io.canaryjudge.qa33.DeepStackPod 6 9000 &
done
wait
for i in 1 2; do gzip -9 -f "$out/deep-$i.jfr"; done
rm -rf "$ap"
ls -l "$out"
