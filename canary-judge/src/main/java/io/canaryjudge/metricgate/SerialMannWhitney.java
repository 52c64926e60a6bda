package io.canaryjudge.metricgate;

import java.util.Arrays;
import org.apache.commons.math3.special.Erf;
import org.apache.commons.math3.stat.ranking.NaNStrategy;
import org.apache.commons.math3.stat.ranking.NaturalRanking;
import org.apache.commons.math3.stat.ranking.TiesStrategy;

/**
 * One-sided Mann–Whitney rank-sum test for "the canary's points tend to be worse than the
 * baseline's", with sample sizes shrunk to their effective size under serial correlation.
 *
 * <p>U counts the (baseline, canary) pairs in which the canary is worse (ties count ½); under "same
 * distribution" it is approximately normal with mean n₁n₂/2 and the tie-corrected variance
 * n₁n₂/12 · ((N+1) − Σ(t³−t)/(N(N−1))) (Lehmann, <i>Nonparametrics</i>, 1975, §1.4). Points of a rate
 * series are not independent — {@code rate(x[r])} at a step below r shares samples between points, and
 * traffic drifts — so n points carry less information than n independent ones. With lag-1
 * autocorrelation ρ each group counts as m = n(1−ρ)/(1+ρ) points (the AR(1) effective sample size,
 * Bayley &amp; Hammersley 1946; Wilks, <i>Statistical Methods in the Atmospheric Sciences</i>, 3rd ed.,
 * §5.2.4), and z is rescaled from n to m: z·√((N+1)·m₁m₂ / ((M+1)·n₁n₂)).
 */
final class SerialMannWhitney {

    /**
     * @param pValue          one-sided p-value of "canary worse"; 1 when nothing varies
     * @param smallestPValue  the p-value of a perfect separation at these effective sizes: when it is above
     *                        alpha, no data of this size could show a change
     * @param effectiveBaseline effective number of baseline points
     * @param effectiveCanary   effective number of canary points
     */
    record Result(double pValue, double smallestPValue, double effectiveBaseline, double effectiveCanary) {
    }

    private SerialMannWhitney() {
    }

    /**
     * @param higherIsWorse whether larger canary values are the bad direction
     * @param lag1          lag-1 autocorrelation to assume for both groups, 0 ≤ ρ &lt; 1
     */
    static Result canaryWorse(double[] baseline, double[] canary, boolean higherIsWorse, double lag1) {
        int n1 = baseline.length;
        int n2 = canary.length;
        double n = n1 + n2;
        double[] combined = new double[n1 + n2];
        System.arraycopy(baseline, 0, combined, 0, n1);
        System.arraycopy(canary, 0, combined, n1, n2);
        double[] ranks = new NaturalRanking(NaNStrategy.FAILED, TiesStrategy.AVERAGE).rank(combined);
        double canaryRanks = 0;
        for (int i = n1; i < combined.length; i++) {
            canaryRanks += ranks[i];
        }
        double u = canaryRanks - n2 * (n2 + 1) / 2.0; // pairs with canary > baseline, ties ½
        double pairs = (double) n1 * n2;
        double variance = pairs / 12.0 * ((n + 1) - tieTerm(combined) / (n * (n - 1)));
        double shift = higherIsWorse ? u - pairs / 2 : pairs / 2 - u;

        double shrink = (1 - lag1) / (1 + lag1);
        double m1 = Math.max(1, n1 * shrink);
        double m2 = Math.max(1, n2 * shrink);
        double rescale = Math.sqrt((n + 1) * m1 * m2 / ((m1 + m2 + 1) * pairs));

        double z = variance > 0 ? shift / Math.sqrt(variance) * rescale : 0;
        double zBest = (pairs / 2) / Math.sqrt(pairs * (n + 1) / 12.0) * rescale;
        return new Result(upperTail(z), upperTail(zBest), m1, m2);
    }

    /** Σ (t³ − t) over groups of tied values. */
    private static double tieTerm(double[] values) {
        double[] sorted = values.clone();
        Arrays.sort(sorted);
        double sum = 0;
        int i = 0;
        while (i < sorted.length) {
            int j = i + 1;
            while (j < sorted.length && sorted[j] == sorted[i]) {
                j++;
            }
            double t = j - i;
            sum += t * t * t - t;
            i = j;
        }
        return sum;
    }

    /** P(Z ≥ z) for a standard normal Z. */
    private static double upperTail(double z) {
        return 0.5 * Erf.erfc(z / Math.sqrt(2));
    }
}
