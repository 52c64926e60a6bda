package io.canaryjudge.eval;

import io.canaryjudge.profile.FunctionTotals;
import io.canaryjudge.profile.Profile;
import io.canaryjudge.profile.ProfileType;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.HashMap;
import java.util.List;
import java.util.Map;

/**
 * The true profile of a simulated service as distinct call stacks with their rates: the shape the
 * tuning simulator draws counts from. Either a synthetic call tree ({@link ServiceModel}: every function
 * the leaf of one stack) or the real stacks of a recorded profile (the Kafka broker's four CPU slices:
 * its JVM, kernel and profiler frames, its {@code .itable stub}, a real call tree), so noise that enters
 * per stack hits every function on it.
 *
 * @param names  function names by id
 * @param stacks frames of each stack, leaf first (function ids)
 * @param rates  true share of each stack, summing to 1
 */
record StackModel(String[] names, int[][] stacks, double[] rates) {

    int functionCount() {
        return names.length;
    }

    int leaf(int stack) {
        return stacks[stack][0];
    }

    /** True self share of each function (the rates of the stacks it is the leaf of). */
    double[] selfShares() {
        double[] self = new double[names.length];
        for (int s = 0; s < stacks.length; s++) {
            self[leaf(s)] += rates[s];
        }
        return self;
    }

    /** True inclusive share of each function (counted once per stack). */
    double[] inclusiveShares() {
        double[] inclusive = new double[names.length];
        for (int s = 0; s < stacks.length; s++) {
            boolean[] seen = new boolean[names.length];
            for (int f : stacks[s]) {
                if (!seen[f]) {
                    inclusive[f] += rates[s];
                    seen[f] = true;
                }
            }
        }
        return inclusive;
    }

    /** The synthetic service as stacks: function f is the leaf of the one stack root → … → f. */
    static StackModel of(ServiceModel service) {
        int[][] stacks = new int[service.functionCount()][];
        for (int f = 0; f < stacks.length; f++) {
            stacks[f] = service.stackLeafFirst(f);
        }
        return new StackModel(service.names(), stacks, service.selfShare().clone());
    }

    /** The stacks of recorded profiles of one type, pooled (rates ∝ summed values). */
    static StackModel of(List<Profile> profiles, ProfileType type) {
        Map<String, Integer> ids = new HashMap<>();
        List<String> names = new ArrayList<>();
        Map<String, Integer> stackIds = new HashMap<>();
        List<int[]> stacks = new ArrayList<>();
        List<Double> values = new ArrayList<>();
        for (Profile profile : profiles) {
            int column = profile.sampleTypeIndex(type);
            for (int s = 0; s < profile.stackCount(); s++) {
                long value = profile.value(s, column);
                if (value <= 0) {
                    continue;
                }
                int depth = profile.stackDepth(s);
                int[] frames = new int[depth];
                for (int d = 0; d < depth; d++) {
                    String name = profile.functionName(profile.stackFunction(s, d));
                    frames[d] = ids.computeIfAbsent(name, n -> {
                        names.add(n);
                        return names.size() - 1;
                    });
                }
                String key = Arrays.toString(frames);
                Integer id = stackIds.get(key);
                if (id == null) {
                    id = stacks.size();
                    stackIds.put(key, id);
                    stacks.add(frames);
                    values.add(0.0);
                }
                values.set(id, values.get(id) + value);
            }
        }
        double total = values.stream().mapToDouble(Double::doubleValue).sum();
        return new StackModel(names.toArray(String[]::new), stacks.toArray(int[][]::new),
                values.stream().mapToDouble(v -> v / total).toArray());
    }

    /** Function id by name, or −1. */
    int id(String name) {
        for (int f = 0; f < names.length; f++) {
            if (names[f].equals(name)) {
                return f;
            }
        }
        return -1;
    }

    /** Self share of a function in a profile (for checks). */
    static double selfShare(Profile profile, ProfileType type, String function) {
        FunctionTotals totals = profile.functionTotals(type);
        for (int f = 0; f < totals.functionCount(); f++) {
            if (totals.functionName(f).equals(function)) {
                return (double) totals.self(f) / totals.total();
            }
        }
        return 0;
    }
}
