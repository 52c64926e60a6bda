package io.canaryjudge.eval;

import java.util.Arrays;
import java.util.Comparator;
import java.util.stream.IntStream;

/**
 * Benjamini–Hochberg adjusted p-values ("q-values"): {@code q(i) = min over j ≥ i of p(j) × m / j}
 * for p-values sorted ascending (Benjamini &amp; Hochberg, JRSS B 57, 1995). Rejecting every
 * hypothesis with {@code q ≤ α} controls the false discovery rate at α.
 */
final class BenjaminiHochberg {
    private BenjaminiHochberg() {
    }

    /** q-values in the order of {@code pValues}; NaN entries (not tested) stay NaN and do not count in m. */
    static double[] qValues(double[] pValues) {
        Integer[] tested = IntStream.range(0, pValues.length).filter(i -> !Double.isNaN(pValues[i]))
                .boxed().toArray(Integer[]::new);
        Arrays.sort(tested, Comparator.comparingDouble(i -> pValues[i]));
        double[] q = new double[pValues.length];
        Arrays.fill(q, Double.NaN);
        int m = tested.length;
        double running = 1.0;
        for (int rank = m; rank >= 1; rank--) {
            int i = tested[rank - 1];
            running = Math.min(running, pValues[i] * m / rank);
            q[i] = running;
        }
        return q;
    }
}
