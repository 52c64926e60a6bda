#!/usr/bin/env bash
# qa84: what other JVMs of the baseline version would add as "history pods" to the count-based naming (LeakSites.findCounts):
# qa72's and qa78's recordings are the same service and flags in two sessions, so each session's baseline pods stand for the
# other's earlier JVMs. Prints bench/qa78-noises.java's table (times the noise per frame) with 3 baseline pods and with 6.
# Usage: bench/qa84-history-pods.sh   (from the project root, after profile-client is compiled)
set -euo pipefail
res=$PWD/canary-judge/src/test/resources; mix=$(mktemp -d)
for p in baseline-1 baseline-2 baseline-3 broken-100 half-100 aa-100; do ln -s "$res/qa72/pods/$p" "$mix/q72-$p"; done
for p in baseline-1 baseline-2 baseline-3 half-100 quarter-100 pinned-100; do ln -s "$res/qa78/pods/$p" "$mix/q78-$p"; done
b72=q72-baseline-1,q72-baseline-2,q72-baseline-3; b78=q78-baseline-1,q78-baseline-2,q78-baseline-3
run() { java -cp profile-client/target/classes bench/qa78-noises.java "$mix" 19 29 "$1" "$2"; }
echo "## qa78's canaries, its 3 baseline pods"; run $b78 q78-half-100,q78-quarter-100,q78-pinned-100
echo "## qa78's canaries, 6 baseline pods (qa72's as history)"; run $b78,$b72 q78-half-100,q78-quarter-100,q78-pinned-100
echo "## qa72's canaries, its 3 baseline pods"; run $b72 q72-broken-100,q72-half-100,q72-aa-100
echo "## qa72's canaries, 6 baseline pods (qa78's as history)"; run $b78,$b72 q72-broken-100,q72-half-100,q72-aa-100
rm -rf "$mix"
