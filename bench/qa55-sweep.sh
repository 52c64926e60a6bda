#!/usr/bin/env bash
# Reactor path moves (qa55): the model of ReactorPathMoveTest (recorded WebFlux call paths, modelled handler work) over
# SEEDS seeds and the layouts 2v2, 3v3, 2v2 + 2 history pods, 1v3 + 2 history pods; A/A and the handler's loop x1.8,
# with and without the canary's work moved to the subscription path.
#   bench/qa55-sweep.sh CP [SEEDS]      (CP: bench/test-classpath.sh; run from the project root; 20 seeds: ~3 min)
set -euo pipefail
nice java -cp "$1" io.canaryjudge.judge.PathMoveSweep "${2:-20}"
