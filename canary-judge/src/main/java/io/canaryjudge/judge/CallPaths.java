package io.canaryjudge.judge;

import io.canaryjudge.profile.Profile;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.HashMap;
import java.util.List;
import java.util.Map;

/**
 * Finds, for a few functions, the hottest call path leading to each in a group's profiles: the
 * root-to-function frame sequence carrying the most value, summed over observations. One pass over
 * each profile's stacks for all requested functions together.
 */
final class CallPaths {
    /** A path and whether it runs on a JVM-internal thread (JIT compiler, GC, VM thread). */
    record Path(List<String> frames, boolean onJvmThread) {
    }

    private CallPaths() {
    }

    /**
     * @param observations observations of one type and group
     * @param functionNames the type's shared function table
     * @param targets      indexes into {@code functionNames}
     * @return one path per target (empty frames when the function never appears)
     */
    static List<Path> hottest(List<TypedObservation> observations, String[] functionNames, int[] targets) {
        int[] slot = new int[functionNames.length];
        Arrays.fill(slot, -1);
        for (int k = 0; k < targets.length; k++) {
            slot[targets[k]] = k;
        }
        List<Map<Long, Candidate>> byTarget = new ArrayList<>();
        for (int k = 0; k < targets.length; k++) {
            byTarget.add(new HashMap<>());
        }
        boolean[] seen = new boolean[targets.length];
        for (TypedObservation o : observations) {
            Profile profile = o.profile;
            int column = profile.sampleTypes().indexOf(o.totals.sampleType());
            for (int s = 0, stacks = profile.stackCount(); s < stacks; s++) {
                long value = profile.value(s, column);
                if (value == 0) {
                    continue;
                }
                int depth = profile.stackDepth(s);
                long hash = 17;
                Arrays.fill(seen, false);
                for (int d = depth - 1; d >= 0; d--) {
                    int global = o.globalIds[profile.stackFunction(s, d)];
                    hash = hash * 1_000_003L + global;
                    int k = slot[global];
                    if (k >= 0 && !seen[k]) {
                        seen[k] = true;
                        Map<Long, Candidate> candidates = byTarget.get(k);
                        Candidate candidate = candidates.get(hash);
                        if (candidate == null) {
                            candidate = new Candidate(o, s, d);
                            candidates.put(hash, candidate);
                        }
                        candidate.value += value;
                    }
                }
            }
        }
        List<Path> paths = new ArrayList<>(targets.length);
        for (int k = 0; k < targets.length; k++) {
            Candidate best = null;
            for (Candidate candidate : byTarget.get(k).values()) {
                if (best == null || candidate.value > best.value) {
                    best = candidate;
                }
            }
            paths.add(best == null ? new Path(List.of(), false) : best.path(functionNames));
        }
        return paths;
    }

    private static final class Candidate {
        final TypedObservation observation;
        final int stack;
        final int depth;
        long value;

        Candidate(TypedObservation observation, int stack, int depth) {
            this.observation = observation;
            this.stack = stack;
            this.depth = depth;
        }

        Path path(String[] functionNames) {
            Profile profile = observation.profile;
            List<String> frames = new ArrayList<>();
            boolean jvmThread = false;
            for (int d = profile.stackDepth(stack) - 1; d >= depth; d--) {
                String name = functionNames[observation.globalIds[profile.stackFunction(stack, d)]];
                frames.add(name);
                jvmThread |= NativeFrameNames.isJvmThreadRoot(name);
            }
            return new Path(frames, jvmThread);
        }
    }
}
