package io.canaryjudge.eval;

import io.canaryjudge.judge.Thresholds;

/**
 * A per-function test the judge is measured against: the oracle (knows the noise model) and the
 * naive slice-level tests. All use the judge's candidate and materiality rules and
 * Benjamini–Hochberg, so they differ from it only in the statistics.
 */
interface ReferenceTest {

    String name();

    Call call(SimulatedCase simulated, Thresholds thresholds);

    /**
     * What a reference test says about one case, at every critical level at once.
     *
     * @param failLevel smallest q-value among candidate functions whose share rose materially: the case FAILs
     *                  at critical level α iff {@code failLevel ≤ α}; +∞ when no function rose materially
     * @param culprit   the function with that q-value (the smallest p among material regressions), or null
     */
    record Call(double failLevel, String culprit) {
        boolean fails(double alpha) {
            return failLevel <= alpha;
        }
    }

    /**
     * The shared decision: candidates by pooled share (chosen without looking at the difference),
     * BH over the candidates' p-values, FAIL on a material regression (relative and absolute change
     * both over the thresholds).
     *
     * @param names    function names
     * @param baseline baseline group mean self shares
     * @param canary   canary group mean self shares
     * @param test     computes the two-sided p-value of function f
     */
    static Call decide(String[] names, double[] baseline, double[] canary, Thresholds thresholds,
                       java.util.function.IntToDoubleFunction test) {
        double[] p = new double[names.length];
        for (int f = 0; f < names.length; f++) {
            double pooled = (baseline[f] + canary[f]) / 2;
            p[f] = pooled >= thresholds.candidateShare() ? test.applyAsDouble(f) : Double.NaN;
        }
        double[] q = BenjaminiHochberg.qValues(p);
        double best = Double.POSITIVE_INFINITY;
        double bestP = Double.POSITIVE_INFINITY;
        String culprit = null;
        for (int f = 0; f < names.length; f++) {
            if (Double.isNaN(q[f]) || baseline[f] <= 0) {
                continue;
            }
            boolean material = canary[f] / baseline[f] - 1 >= thresholds.minRelativeChange()
                    && canary[f] - baseline[f] >= thresholds.minAbsoluteChange();
            if (material && (q[f] < best || (q[f] == best && p[f] < bestP))) {
                best = q[f];
                bestP = p[f];
                culprit = names[f];
            }
        }
        return new Call(best, culprit);
    }

    static double[] groupMean(double[][] sliceShares, int functions) {
        double[] mean = new double[functions];
        for (double[] slice : sliceShares) {
            for (int f = 0; f < functions; f++) {
                mean[f] += slice[f];
            }
        }
        for (int f = 0; f < functions; f++) {
            mean[f] /= sliceShares.length;
        }
        return mean;
    }

    static double[] column(double[][] sliceShares, int function) {
        double[] values = new double[sliceShares.length];
        for (int s = 0; s < sliceShares.length; s++) {
            values[s] = sliceShares[s][function];
        }
        return values;
    }
}
