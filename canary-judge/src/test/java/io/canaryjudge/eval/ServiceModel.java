package io.canaryjudge.eval;

import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.SplittableRandom;

/**
 * The true CPU profile of a simulated service: functions in a call tree, each with its true
 * <b>self</b> share of the CPU (shares sum to 1). Every function is the leaf of exactly one stack,
 * the path root → … → function, so inclusive values exist and a change in one function also
 * raises the inclusive share of its callers.
 *
 * <p>Shares are heavy-tailed: the k-th largest is proportional to {@code k^−s} times a small
 * lognormal jitter. {@code s = 0.87} fits the rank/share curve of the real Kafka broker CPU
 * profile in the shared fixtures (ranks 1, 10 and 25 hold 8.9 %, 1.2 % and 0.5 %; see
 * docs/EVALUATION.md "Original simulator and grid").
 *
 * @param names     function names, Java style ({@code com.example.svc.m3.Service12.op45})
 * @param parent    caller of each function; −1 for the root
 * @param selfShare true self share of each function, 0..1, summing to 1
 */
record ServiceModel(String[] names, int[] parent, double[] selfShare) {

    /** Zipf exponent of the self-share rank curve fitted to the Kafka fixture. */
    static final double KAFKA_ZIPF_EXPONENT = 0.87;

    private static final int MAX_DEPTH = 14;

    static ServiceModel generate(SplittableRandom random, int functions, double zipfExponent) {
        if (functions < 2) {
            throw new IllegalArgumentException("a service needs at least 2 functions, was " + functions);
        }
        int[] parent = new int[functions];
        int[] depth = new int[functions];
        String[] names = new String[functions];
        parent[0] = -1;
        names[0] = "java.lang.Thread.run";
        for (int i = 1; i < functions; i++) {
            // u² favours early (shallow) callers: a bushy tree a dozen frames deep at most.
            double u = random.nextDouble();
            int p = (int) Math.floor(i * u * u);
            while (depth[p] >= MAX_DEPTH) {
                p = parent[p];
            }
            parent[i] = p;
            depth[i] = depth[p] + 1;
            names[i] = "com.example.svc.m" + (i % 9) + ".Service" + (i / 5) + ".op" + i;
        }
        double[] weights = new double[functions];
        int[] order = permutation(random, functions);
        for (int rank = 0; rank < functions; rank++) {
            double jitter = Math.exp(0.3 * random.nextGaussian());
            weights[order[rank]] = Math.pow(rank + 1, -zipfExponent) * jitter;
        }
        return new ServiceModel(names, parent, normalise(weights));
    }

    /**
     * The same service with {@code target}'s self share set to {@code share} and the others scaled
     * to fill the rest, keeping their proportions.
     */
    ServiceModel withShare(int target, double share) {
        double others = 1 - selfShare[target];
        double[] shares = new double[selfShare.length];
        for (int f = 0; f < shares.length; f++) {
            shares[f] = f == target ? share : selfShare[f] * (1 - share) / others;
        }
        return new ServiceModel(names, parent, shares);
    }

    int functionCount() {
        return names.length;
    }

    /** Function ids of the stack ending in {@code function}, leaf first. */
    int[] stackLeafFirst(int function) {
        List<Integer> path = new ArrayList<>();
        for (int f = function; f >= 0; f = parent[f]) {
            path.add(f);
        }
        return path.stream().mapToInt(Integer::intValue).toArray();
    }

    /** True inclusive shares: each function's self share plus that of everything it calls. */
    double[] inclusiveShares() {
        double[] inclusive = new double[selfShare.length];
        for (int f = 0; f < selfShare.length; f++) {
            for (int g = f; g >= 0; g = parent[g]) {
                inclusive[g] += selfShare[f];
            }
        }
        return inclusive;
    }

    static double[] normalise(double[] weights) {
        double sum = Arrays.stream(weights).sum();
        double[] shares = new double[weights.length];
        for (int i = 0; i < weights.length; i++) {
            shares[i] = weights[i] / sum;
        }
        return shares;
    }

    private static int[] permutation(SplittableRandom random, int n) {
        int[] order = new int[n];
        for (int i = 0; i < n; i++) {
            order[i] = i;
        }
        for (int i = n - 1; i > 0; i--) {
            int j = random.nextInt(i + 1);
            int t = order[i];
            order[i] = order[j];
            order[j] = t;
        }
        return order;
    }
}
