package io.canaryjudge.eval;

import io.canaryjudge.judge.Thresholds;
import org.apache.commons.math3.special.Erf;

/**
 * The best a judge can do: a z-test on the difference of group-mean self shares whose variance
 * comes from the TRUE noise model (κ, d, c) instead of being estimated, so it pays nothing for
 * estimating dispersion or between-pod spread from few replicates.
 *
 * <p>Under "no change", with self share p of a function, pod count P, slices per pod S,
 * samples per slice N, slice dispersion d and between-pod CV κ (delta method on the
 * renormalised pod rates and on count/total):
 * <pre>
 *   Var(pod share)         = κ² p² ((1 − p)² + Σ_{g≠f} p_g²)
 *   Var(slice share | pod) = d p (1 − p) / N + c² p² ((1 − p)² + Σ_{g≠f} p_g²)
 *   Var(group mean)        = Var(pod share) / P + Var(slice share | pod) / (P S)   (P per group)
 *   z = (mean_canary − mean_baseline) / sqrt(Var(baseline mean) + Var(canary mean))
 * </pre>
 * Two variants differ only in the level p the variance is evaluated at:
 * <ul>
 *   <li>{@code oracle} (the comparison of docs/EVALUATION.md): the noise model is known, the
 *       function's level is not — it is the pooled mean of both groups' observed shares, the
 *       level both groups share under "no change" (a score test). This is the physical limit for
 *       a test that, like the judge, sees only the data.</li>
 *   <li>{@code oracle (true level)}: p is the function's TRUE baseline share. Pod noise is
 *       multiplicative, so under a regression the variance at the baseline's true level is smaller
 *       than at any level estimated from both groups; no test that sees only the data has that
 *       knowledge (evaluating at the observed baseline level instead FAILs too many A/A canaries
 *       with one pod per side, docs/EVALUATION.md).</li>
 * </ul>
 * Both know that changes are injected into self time, so they test self shares only (the judge
 * also tests inclusive values and pays for those extra hypotheses).
 */
final class OracleTest implements ReferenceTest {
    private final boolean trueLevel;

    /** The oracle that knows the noise model and estimates each function's level from the data. */
    OracleTest() {
        this(false);
    }

    private OracleTest(boolean trueLevel) {
        this.trueLevel = trueLevel;
    }

    /** The oracle that also knows each function's true baseline share. */
    static OracleTest trueLevel() {
        return new OracleTest(true);
    }

    @Override
    public String name() {
        return trueLevel ? "oracle (true level)" : "oracle";
    }

    @Override
    public Call call(SimulatedCase simulated, Thresholds thresholds) {
        int functions = simulated.service().functionCount();
        double[] baseline = ReferenceTest.groupMean(simulated.baselineCounts().shares(), functions);
        double[] canary = ReferenceTest.groupMean(simulated.canaryCounts().shares(), functions);
        double[] z = zScores(simulated, baseline, canary, trueLevel);
        return ReferenceTest.decide(simulated.service().names(), baseline, canary, thresholds,
                f -> Erf.erfc(Math.abs(z[f]) / Math.sqrt(2)));
    }

    /** z of every function's difference of group-mean self shares under the true null variance at the true level. */
    static double[] zScores(SimulatedCase simulated, double[] baseline, double[] canary) {
        return zScores(simulated, baseline, canary, true);
    }

    /**
     * z of every function's difference of group-mean self shares under the true noise model, at the
     * true baseline shares ({@code trueLevel}) or at the pooled observed shares.
     */
    static double[] zScores(SimulatedCase simulated, double[] baseline, double[] canary, boolean trueLevel) {
        SimulationSetting setting = simulated.setting();
        double[] truth = simulated.service().selfShare().clone();
        if (!trueLevel) {
            for (int f = 0; f < truth.length; f++) {
                truth[f] = 0.5 * (baseline[f] + canary[f]);
            }
        }
        double sumSquares = 0;
        for (double p : truth) {
            sumSquares += p * p;
        }
        double kappa2 = setting.podCv() * setting.podCv();
        int baselinePods = setting.podsPerSide();
        int canaryPods = setting.canaryPodCount();
        double[] z = new double[truth.length];
        for (int f = 0; f < truth.length; f++) {
            double p = truth[f];
            double composition = p * p * ((1 - p) * (1 - p) + sumSquares - p * p);
            double podVariance = kappa2 * composition;
            double sliceVariance = setting.dispersion() * p * (1 - p) / setting.samplesPerSlice()
                    + setting.sliceCv() * setting.sliceCv() * composition;
            double differenceVariance = 0;
            for (int pods : new int[] {baselinePods, canaryPods}) {
                differenceVariance += podVariance / pods + sliceVariance / ((double) pods * setting.slicesPerPod());
            }
            z[f] = (canary[f] - baseline[f]) / Math.sqrt(differenceVariance);
        }
        return z;
    }
}
