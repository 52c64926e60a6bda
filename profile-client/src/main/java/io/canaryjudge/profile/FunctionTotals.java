package io.canaryjudge.profile;

import java.util.Arrays;
import java.util.Comparator;
import java.util.List;
import java.util.stream.IntStream;

/**
 * Per-function values of one column of a profile: <b>self</b> (the function is the leaf) and
 * <b>inclusive</b> (the function is anywhere on the stack, counted once per stack so recursion
 * is not double counted), indexed by the profile's function ids.
 */
public final class FunctionTotals {
    private final Profile profile;
    private final int sampleTypeIndex;
    private final long total;
    private final long[] self;
    private final long[] inclusive;

    private FunctionTotals(Profile profile, int sampleTypeIndex, long total, long[] self, long[] inclusive) {
        this.profile = profile;
        this.sampleTypeIndex = sampleTypeIndex;
        this.total = total;
        this.self = self;
        this.inclusive = inclusive;
    }

    static FunctionTotals of(Profile profile, int sampleTypeIndex) {
        int functions = profile.functionCount();
        long[] self = new long[functions];
        long[] inclusive = new long[functions];
        // lastStack[f] == s + 1 when f was already counted for stack s: O(depth) dedup, no sets.
        int[] lastStack = new int[functions];
        long total = 0;
        for (int s = 0, stacks = profile.stackCount(); s < stacks; s++) {
            long value = profile.value(s, sampleTypeIndex);
            if (value == 0) {
                continue;
            }
            total += value;
            int depth = profile.stackDepth(s);
            if (depth == 0) {
                continue;
            }
            self[profile.stackFunction(s, 0)] += value;
            for (int d = 0; d < depth; d++) {
                int f = profile.stackFunction(s, d);
                if (lastStack[f] != s + 1) {
                    lastStack[f] = s + 1;
                    inclusive[f] += value;
                }
            }
        }
        return new FunctionTotals(profile, sampleTypeIndex, total, self, inclusive);
    }

    public Profile profile() {
        return profile;
    }

    public SampleType sampleType() {
        return profile.sampleTypes().get(sampleTypeIndex);
    }

    /** Sum of the column over all stacks, in the column's unit. */
    public long total() {
        return total;
    }

    public int functionCount() {
        return self.length;
    }

    public String functionName(int functionId) {
        return profile.functionName(functionId);
    }

    public long self(int functionId) {
        return self[functionId];
    }

    public long inclusive(int functionId) {
        return inclusive[functionId];
    }

    /** Function ids of the {@code n} largest self values, largest first. */
    public List<Integer> topBySelf(int n) {
        return top(n, self);
    }

    /** Function ids of the {@code n} largest inclusive values, largest first. */
    public List<Integer> topByInclusive(int n) {
        return top(n, inclusive);
    }

    private static List<Integer> top(int n, long[] values) {
        return IntStream.range(0, values.length).boxed()
                .filter(f -> values[f] > 0)
                .sorted(Comparator.comparingLong((Integer f) -> values[f]).reversed())
                .limit(n)
                .toList();
    }

    /** Copies of the arrays, for callers that keep them. */
    public long[] selfValues() {
        return Arrays.copyOf(self, self.length);
    }

    public long[] inclusiveValues() {
        return Arrays.copyOf(inclusive, inclusive.length);
    }
}
