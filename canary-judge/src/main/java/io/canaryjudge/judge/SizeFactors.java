package io.canaryjudge.judge;

import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;

/**
 * Median-of-ratios size factors (Anders &amp; Huber 2010, Genome Biology 11:R106): for functions
 * present in every current observation, the median over functions of log(share / geometric-mean
 * share) is the observation's compositional shift; assuming most functions did not change, dividing
 * by it keeps one function's change from moving every other share. JVM-internal functions (JIT, GC)
 * are left out: a young canary's JIT work must not rescale the application's shares. History
 * observations get their factor against the same geometric means, over the functions they hold.
 *
 * @param factors per observation (geometric mean 1 over the current observations); all 1 when too few
 *                functions are present everywhere
 * @param used    functions the medians ran over
 * @param spread  largest over smallest current factor; NaN when not normalised
 */
record SizeFactors(double[] factors, int used, double spread) {

    boolean normalised() {
        return !Double.isNaN(spread);
    }

    /**
     * @param values     [observation][candidate] values
     * @param totals     per observation total
     * @param current    per observation: true for baseline and canary, false for history
     * @param excluded   per candidate: true when it must not count (JVM-internal)
     * @param minimum    fewer usable functions than this = no normalisation
     */
    static SizeFactors of(double[][] values, double[] totals, boolean[] current, boolean[] excluded, int minimum) {
        int n = values.length;
        int m = excluded.length;
        double[] factors = new double[n];
        Arrays.fill(factors, 1.0);
        List<Integer> everywhere = new ArrayList<>();
        for (int c = 0; c < m; c++) {
            if (excluded[c]) {
                continue;
            }
            boolean present = true;
            for (int i = 0; i < n && present; i++) {
                present = !current[i] || values[i][c] > 0;
            }
            if (present) {
                everywhere.add(c);
            }
        }
        if (everywhere.size() < minimum) {
            return new SizeFactors(factors, everywhere.size(), Double.NaN);
        }
        int k = everywhere.size();
        double[] logGeoMean = new double[k];
        int currentCount = 0;
        for (int i = 0; i < n; i++) {
            currentCount += current[i] ? 1 : 0;
        }
        for (int j = 0; j < k; j++) {
            int c = everywhere.get(j);
            double sum = 0;
            for (int i = 0; i < n; i++) {
                if (current[i]) {
                    sum += Math.log(values[i][c] / totals[i]);
                }
            }
            logGeoMean[j] = sum / currentCount;
        }
        double[] logFactors = new double[n];
        double[] ratios = new double[k];
        double centre = 0;
        for (int i = 0; i < n; i++) {
            int used = 0;
            for (int j = 0; j < k; j++) {
                double v = values[i][everywhere.get(j)];
                if (v > 0) {
                    ratios[used++] = Math.log(v / totals[i]) - logGeoMean[j];
                }
            }
            logFactors[i] = used == 0 ? 0 : TypeContext.median(Arrays.copyOf(ratios, used));
            if (current[i]) {
                centre += logFactors[i] / currentCount;
            }
        }
        double min = Double.POSITIVE_INFINITY;
        double max = Double.NEGATIVE_INFINITY;
        for (int i = 0; i < n; i++) {
            factors[i] = Math.exp(logFactors[i] - centre);
            if (current[i]) {
                min = Math.min(min, factors[i]);
                max = Math.max(max, factors[i]);
            }
        }
        return new SizeFactors(factors, k, max / min);
    }
}
