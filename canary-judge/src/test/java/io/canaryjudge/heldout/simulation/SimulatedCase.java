package io.canaryjudge.heldout.simulation;

import io.canaryjudge.heldout.oracle.KnownNoise;
import io.canaryjudge.judge.Observation;
import io.canaryjudge.profile.ProfileType;
import java.util.List;

/**
 * One simulated comparison and its truth.
 *
 * @param layout    pods per side
 * @param change    what the canary changed
 * @param baseline  baseline observations (current window, slices of each pod)
 * @param canary    canary observations
 * @param history   earlier-window observations of the baseline pods (same instance names)
 * @param service   the baseline build's true model (what the oracle knows)
 * @param target    the application function a correct judge names as the culprit; null for A/A and
 *                  a different program
 * @param earlier   earlier A/A analyses of the same baseline build (new JVMs), oldest first; empty unless asked
 */
public record SimulatedCase(Layout layout, Change change, List<Observation> baseline, List<Observation> canary,
                            List<Observation> history, SimulatedService service, String target, List<Earlier> earlier) {

    /** An earlier analysis of the baseline build against itself, with its history (for learned noise). */
    public record Earlier(List<Observation> baseline, List<Observation> canary, List<Observation> history) {
    }

    /** Each function's true pod-level noise in the baseline build (the oracle's knowledge). */
    public KnownNoise knownNoise(ProfileType type, long seed) {
        return SimulatedNoise.of(service, type, seed);
    }

    /** Whether {@code function} is the service's own code (application or its JNI library's caller). */
    public boolean application(String function) {
        int f = service.function(function);
        return f >= 0 ? service.kinds()[f] == FrameKind.APPLICATION : function.startsWith("com.example.");
    }
}
