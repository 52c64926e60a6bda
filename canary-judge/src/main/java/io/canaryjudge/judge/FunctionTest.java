package io.canaryjudge.judge;

import io.canaryjudge.profile.ProfileType;
import io.canaryjudge.verdict.Measure;

/**
 * The comparison of one function (or the total) under one measure: group means, the moderated
 * test's p-value and the interval of the difference. q-values are added across all tests later.
 *
 * @param baseline         baseline group mean (share of total, or value per request)
 * @param canary           canary group mean, same unit
 * @param scale            what one unit of {@code baseline} is relative to the baseline's total (1 for shares,
 *                         1 / total cost per request for per-request measures), so absolute thresholds given
 *                         as shares of the total apply to every measure
 * @param pValue           two-sided p-value; NaN when not testable
 * @param ciLow            lower end of the 95 % interval of canary − baseline
 * @param ciHigh           upper end
 * @param baselineBound    when the function has no sample in any baseline (or history) observation: the upper
 *                         95 % bound sampling alone puts on its baseline share (3 / N samples, overdispersion
 *                         included); NaN otherwise
 * @param baselineUpper    for a function below the negligible share in the baseline and at a new hot path's share in
 *                         the canary: the upper 95 % bound sampling alone puts on its share of the current baseline
 *                         pods, from the k samples it has there, as a share of the baseline's N samples
 *                         (φ·G⁻¹(0.95; k/φ + 1)/N, the exact one-sided Poisson bound, 3φ/N at k = 0); NaN when sample
 *                         counts are unknown or the function is no such candidate ({@link RequestMixCheck} reads it)
 */
record FunctionTest(ProfileType type, String function, Measure measure, double baseline, double canary,
                    double scale, double pValue, double ciLow, double ciHigh, Thresholds thresholds,
                    double baselineBound, double baselineUpper) {

    FunctionTest(ProfileType type, String function, Measure measure, double baseline, double canary,
                 double scale, double pValue, double ciLow, double ciHigh, Thresholds thresholds) {
        this(type, function, measure, baseline, canary, scale, pValue, ciLow, ciHigh, thresholds, Double.NaN,
                Double.NaN);
    }

    /** The same test with a larger p-value (a prior the data could not rule out, {@link JitPrior}). */
    FunctionTest withPValue(double p) {
        return new FunctionTest(type, function, measure, baseline, canary, scale, p, ciLow, ciHigh, thresholds,
                baselineBound, baselineUpper);
    }

    /** The same test with {@link #baselineUpper} set. */
    FunctionTest withBaselineUpper(double upper) {
        return new FunctionTest(type, function, measure, baseline, canary, scale, pValue, ciLow, ciHigh, thresholds,
                baselineBound, upper);
    }

    double difference() {
        return canary - baseline;
    }

    /** canary / baseline − 1, NaN when the baseline is 0. */
    double relativeChange() {
        return baseline > 0 ? canary / baseline - 1 : Double.NaN;
    }

    /** Baseline mean as a share of the baseline total. */
    double baselineShare() {
        return baseline * scale;
    }

    double canaryShare() {
        return canary * scale;
    }

    /** |canary − baseline| as a share of the baseline total. */
    double absoluteShareChange() {
        return Math.abs(difference()) * scale;
    }

    /** Pooled level (mean of both groups) as a share of the total: what the test's FDR weight looks at. */
    double pooledShare() {
        return 0.5 * (baseline + canary) * scale;
    }

    /** No sample in any baseline or history observation (see {@link #baselineBound}). */
    boolean neverInBaseline() {
        return !Double.isNaN(baselineBound);
    }
}
