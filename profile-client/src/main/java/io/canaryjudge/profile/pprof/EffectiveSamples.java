package io.canaryjudge.profile.pprof;

import io.canaryjudge.profile.Profile;

/**
 * Kish's effective number of samples behind a column whose samples weigh unequally: (Σv)² / Σ(v²/k) over the rows or
 * stacks (v the value, k its samples), at most the samples counted. Equal to the count when every sample weighs the
 * same; samples carrying nothing in the column are left out, unequal ones count as fewer. One formula for a pprof file
 * with a {@code samples/count} column (the pprof reader) and for Pyroscope's wall answers paired with their count
 * series (the Pyroscope source).
 */
public final class EffectiveSamples {
    private EffectiveSamples() {
    }

    /**
     * @param samples the samples counted (Σk)
     * @param total   the column's total (Σv)
     * @param squares Σ(v²/k); must be > 0
     * @return min(samples, round(total² / squares))
     */
    public static long of(long samples, double total, double squares) {
        if (!(squares > 0)) {
            throw new IllegalArgumentException("sum of squares per sample must be > 0, was " + squares);
        }
        return Math.min(samples, Math.round(total * total / squares));
    }

    /**
     * The samples behind one row of a heap sampler that keeps one sample per {@code period} bytes allocated on average
     * and writes k samples of objects of size s scaled up to k / (1 − e^(−s/period)) objects (Go's runtime, V8's
     * sampling heap profiler): k = objects · (1 − e^(−(bytes/objects)/period)), unrounded. One formula for the pprof
     * reader's in-use columns, Go's differenced allocation columns and Pyroscope's paired heap answers.
     *
     * @param objects the row's scaled objects (> 0)
     * @param bytes   the row's scaled bytes
     * @param period  the sampler's mean bytes between samples (> 0)
     */
    public static double ofSampledHeapRow(double objects, double bytes, double period) {
        return -objects * Math.expm1(-(bytes / objects) / period);
    }

    /**
     * The fewest samples {@code profile}'s column {@code column} allows on its own: at least one per stack holding a
     * value, so Kish's number (Σv)² / Σv² with k = 1 per stack (any larger k only raises it); -1 when it holds nothing.
     * A bound for a column whose count was asked for and not read (a Pyroscope heap slice without its pair, a wall or
     * CPU slice without its {@code samples/count}): noise read from it can only be overstated. A {@link Profile} holds
     * each stack (frames and labels) once, so its stacks are the ones the bound counts.
     */
    public static long fewestPossible(Profile profile, int column) {
        double total = 0;
        double squares = 0;
        for (int s = 0; s < profile.stackCount(); s++) {
            long v = profile.value(s, column);
            if (v > 0) {
                total += v;
                squares += (double) v * v;
            }
        }
        return squares > 0 ? Math.max(1, Math.round(total * total / squares)) : -1;
    }
}
