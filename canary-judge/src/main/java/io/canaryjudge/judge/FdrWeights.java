package io.canaryjudge.judge;

import io.canaryjudge.verdict.Measure;
import java.util.List;

/**
 * Weights of the function tests in the weighted Benjamini–Hochberg procedure (Genovese, Roeder &amp;
 * Wasserman 2006, Biometrika 93:509: p_i / w_i with weights averaging 1 keeps the false discovery rate
 * at q). The weights spend the budget where a test could matter, and look only at levels, never at the
 * difference (independent filtering, Bourgon, Gentleman &amp; Huber 2010, PNAS 107:9546):
 * <ul>
 *   <li><b>By CPU at stake:</b> proportional to √(pooled share). A function's share is what a regression
 *   in it costs, and large functions are where a material change is detectable at all (a 0.1 % function
 *   must double to move 0.1 points); the square root keeps small functions in the race (a new hot path
 *   starts small in the pooled level) — a choice between share¹ (all budget to the few largest
 *   functions) and share⁰ (plain BH), explained in docs/EVALUATION.md, not fitted.</li>
 *   <li>Inclusive tests half of that: they back the self tests up for changes spread over many callees
 *   and are strongly correlated with them.</li>
 *   <li>Tests that cannot fail the canary (JVM-internal work unless {@code failOnJvmInternal}, types not in
 *   {@code failOnTypes}) a quarter: they are reported, but the budget goes where a finding changes the
 *   verdict.</li>
 *   <li>Tests that cannot be material (a pooled share above 1 / (1 + minRelativeChange) and more than half
 *   the profile in both groups, e.g. a thread root's inclusive share) none. Not the pooled share alone: normalised
 *   shares exceed 1 where one function took most of the CPU from every other, and such a function, under half
 *   the baseline's profile, is the largest regression there is.</li>
 * </ul>
 * The total cost per request is its own family (see {@link Judge}).
 */
final class FdrWeights {
    static final double SHARE_EXPONENT = 0.5;
    static final double INCLUSIVE_FACTOR = 0.5;
    static final double CANNOT_FAIL_FACTOR = 0.25;
    /** The share both groups of a test that cannot rise materially hold more than (a thread root's inclusive share). */
    private static final double HALF = 0.5;

    private FdrWeights() {
    }

    /** p-values divided by their weights (capped at 1); NaN p-values stay NaN. */
    static double[] weighted(List<FunctionTest> tests, JudgeConfig config) {
        int n = tests.size();
        double[] raw = new double[n];
        double sum = 0;
        int counted = 0;
        for (int i = 0; i < n; i++) {
            FunctionTest test = tests.get(i);
            if (Double.isNaN(test.pValue())) {
                continue;
            }
            raw[i] = weight(test, config);
            sum += raw[i];
            counted++;
        }
        double[] weighted = new double[n];
        for (int i = 0; i < n; i++) {
            FunctionTest test = tests.get(i);
            if (Double.isNaN(test.pValue())) {
                weighted[i] = Double.NaN;
                continue;
            }
            double w = sum > 0 ? raw[i] * counted / sum : 1.0;
            weighted[i] = w > 0 ? Math.min(1.0, test.pValue() / w) : 1.0;
        }
        return weighted;
    }

    /** The unnormalised weight of one test. */
    static double weight(FunctionTest test, JudgeConfig config) {
        // Shares are normalised for composition: one function that took most of the CPU from every other one holds more
        // than 1 in the canary (40 % -> 95 % of the samples read 12 % -> 325 %), a pooled share above the bar like a
        // thread root's. A root holds more than half the profile in both groups; that function did not in the baseline.
        double bar = 1 / (1 + test.thresholds().minRelativeChange());
        if (test.pooledShare() > bar && test.baselineShare() > HALF && test.canaryShare() > HALF) {
            return 0;
        }
        double share = Math.min(1, Math.max(0, test.pooledShare()));
        double w = Math.pow(share, SHARE_EXPONENT);
        if (test.measure() == Measure.INCLUSIVE || test.measure() == Measure.INCLUSIVE_PER_REQUEST) {
            w *= INCLUSIVE_FACTOR;
        }
        boolean canFail = config.failOnTypes().contains(test.type())
                && (config.failOnJvmInternal() || !config.frames().classify(test.function()).reportedApart());
        return canFail ? w : w * CANNOT_FAIL_FACTOR;
    }
}
