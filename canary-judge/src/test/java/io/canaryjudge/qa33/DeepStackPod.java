package io.canaryjudge.qa33;

import java.util.Arrays;
import java.util.Random;

/**
 * A JVM whose work runs under deep recursion (a tree walker or a recursive-descent parser over deeply nested input):
 * every few milliseconds it descends {@code depth} frames and burns CPU at the bottom, beside shallow string and sort
 * work. Recorded under async-profiler with a {@code jstackdepth} above the judge's default stack limit by
 * {@code bench/qa33-deep-stacks.sh}; run with a large {@code -Xss}.
 *
 * <p>Arguments: seconds to run, recursion depth.
 */
public final class DeepStackPod {
    private static volatile long sink;

    private DeepStackPod() {
    }

    public static void main(String[] args) {
        long end = System.currentTimeMillis() + Long.parseLong(args[0]) * 1000;
        int depth = Integer.parseInt(args[1]);
        while (System.currentTimeMillis() < end) {
            sink += text(2000);
            sink += sort(5000);
            sink += descend(depth, 0);
        }
    }

    static long descend(int remaining, long acc) {
        if (remaining == 0) {
            return burn(acc);
        }
        return descend(remaining - 1, acc + remaining) + 1;
    }

    static long burn(long x) {
        for (int i = 0; i < 20_000; i++) {
            x = x * 31 + i;
        }
        return x;
    }

    static long text(int n) {
        StringBuilder sb = new StringBuilder();
        for (int i = 0; i < n; i++) {
            sb.append(i);
        }
        return sb.toString().hashCode();
    }

    static long sort(int n) {
        int[] a = new Random(n).ints(n).toArray();
        Arrays.sort(a);
        return a[0];
    }
}
