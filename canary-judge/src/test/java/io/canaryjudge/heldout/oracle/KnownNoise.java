package io.canaryjudge.heldout.oracle;

import java.util.Map;

/**
 * What the oracle knows and no judge can: for each function of the baseline build, the variance of
 * a pod's share (self, inclusive) between JVMs of the same code, sampling included; and for a
 * function the baseline build never runs, that its pod share varies by sampling alone.
 *
 * @param podVariance   function → {variance of the self share, variance of the inclusive share} of one
 *                      pod (its slices pooled)
 * @param samplingScale variance of a pod share p that sampling alone gives is
 *                      {@code samplingScale × p (1 − p)} (dispersion over the samples per pod)
 */
public record KnownNoise(Map<String, double[]> podVariance, double samplingScale) {

    /** Variance of one pod's share of {@code function} at level {@code share}. */
    public double variance(String function, int measure, double share) {
        double sampling = samplingScale * share * (1 - share);
        double[] v = podVariance.get(function);
        return v == null ? sampling : Math.max(v[measure], sampling);
    }
}
