package io.canaryjudge.judge;

import java.util.Arrays;
import java.util.Comparator;

/**
 * Benjamini–Hochberg false-discovery-rate adjustment (Benjamini &amp; Hochberg 1995, JRSS B 57:289):
 * q_(i) = min over j >= i of p_(j) · m / j, capped at 1. Controls the expected share of false
 * findings among the reported ones at the chosen q level across all functions tested.
 */
final class BenjaminiHochberg {
    private BenjaminiHochberg() {
    }

    /** q-values in the order of {@code pValues}; NaN p-values stay NaN and do not count as tests. */
    static double[] adjust(double[] pValues) {
        int n = pValues.length;
        Integer[] order = new Integer[n];
        int m = 0;
        for (int i = 0; i < n; i++) {
            order[i] = i;
            if (!Double.isNaN(pValues[i])) {
                m++;
            }
        }
        Arrays.sort(order, Comparator.comparingDouble((Integer i) -> Double.isNaN(pValues[i]) ? 2.0 : pValues[i]));
        double[] q = new double[n];
        Arrays.fill(q, Double.NaN);
        double running = 1.0;
        for (int rank = m; rank >= 1; rank--) {
            int index = order[rank - 1];
            running = Math.min(running, pValues[index] * m / rank);
            q[index] = Math.min(1.0, running);
        }
        return q;
    }
}
