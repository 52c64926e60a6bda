package io.canaryjudge.judge;

import io.canaryjudge.profile.ProfileType;
import io.canaryjudge.verdict.Measure;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.ConcurrentHashMap;
import org.apache.commons.math3.distribution.GammaDistribution;
import org.apache.commons.math3.distribution.NormalDistribution;
import org.apache.commons.math3.distribution.TDistribution;

/**
 * One test per candidate function of one measure.
 *
 * <p><b>Present in both groups:</b> the log ratio of the group means, log(m_c / m_b). Pod noise is
 * multiplicative, so on this scale its variance τ_f²·(1/P_b + 1/P_c) does not depend on the function's
 * level and the statistic is symmetric in the groups; sampling adds φ_f·B_g/m_g per group. Reference:
 * Student's t with Welch–Satterthwaite degrees of freedom (Satterthwaite 1946), each variance part
 * bringing the degrees of freedom of its moderated estimate (limma's d₀ + d, Smyth 2004).
 *
 * <p><b>Absent from one group</b> (no sample in any of its observations): a log ratio does not exist,
 * and absence is itself evidence. Given the k samples the function has in the other group, under
 * "no change" each lands in the absent group with probability N_a / (N_a + N_p) (the conditional test
 * for two Poisson rates, Przyborowski &amp; Wileński 1940, Biometrika 31:313), so P(none) =
 * (N_p / (N_a + N_p))^(k/φ_f), overdispersion shrinking the effective count. Two-sided. The absent
 * group's share is bounded by sampling alone: below 3φ/N at 95 % ("rule of three", Hanley &amp;
 * Lippman-Hand 1983, JAMA 249:1743).
 */
final class FunctionTests {
    private static final NormalDistribution NORMAL = new NormalDistribution(null, 0, 1);
    private static final double Z_975 = 1.959963984540054;

    private FunctionTests() {
    }

    /**
     * @param neverInBaseline per candidate: no sample in any baseline or history observation
     * @param jit             JIT decisions between JVMs as a prior for the frames it covers ({@link JitPrior}), or
     *                        null where the data show each function's between-JVM spread
     */
    static List<FunctionTest> run(ProfileType type, Measure measure, MeasureData data, NoiseModel noise,
                                  String[] names, JudgeConfig config, boolean[] neverInBaseline,
                                  boolean samplesKnown, JitPrior.Use jit) {
        int m = data.candidates.length;
        List<FunctionTest> tests = new ArrayList<>(m);
        double ab = 1.0 / data.pb();
        double ac = 1.0 / data.pc();
        double bb = data.samplingFactor(0);
        double bc = data.samplingFactor(1);
        double[] samples = groupSamples(data);
        for (int c = 0; c < m; c++) {
            String name = names[data.candidates[c]];
            double mb = data.groupMean[0][c];
            double mc = data.groupMean[1][c];
            double tau2 = noise.podVariance[c];
            double phi = noise.phi[c];
            Thresholds thresholds = config.thresholdsFor(name);
            if (!(mb > 0) || !(mc > 0)) {
                FunctionTest absent = absence(type, name, measure, data, c, mb, mc, tau2, phi, samples, thresholds,
                        neverInBaseline[c]);
                double floor = jit == null ? 0 : jit.absenceFloor(c, Math.max(mb, mc), mc > 0 ? 0 : 1, measure);
                if (absent.pValue() < floor) {
                    // A frame one JVM's compiler removed (inlined, or its allocation scalar-replaced) is absent
                    // from that JVM's profile without any change in the code.
                    absent = absent.withPValue(floor);
                }
                tests.add(absent.withBaselineUpper(baselineUpper(data, c, mb, mc, phi, samples, thresholds,
                        samplesKnown)));
                continue;
            }
            double df = degreesOfFreedom(tau2 * (ab + ac), phi * (bb / mb + bc / mc), noise.podDf[c], noise.phiDf[c],
                    noise.psi);
            double p = pValue(mb, mc, tau2, phi, noise.podDf[c], noise.phiDf[c], noise.psi, ab, ac, bb, bc, samplesKnown);
            if (jit != null && jit.covered()[c]) {
                // Also against how much JIT decisions move such a frame between JVMs; the larger p-value stands.
                double sampling = Math.max(phi * (bb / mb + bc / mc),
                        samplesKnown ? (1 - mb) * bb / mb + (1 - mc) * bc / mc : 0);
                p = Math.max(p, priorMixture(Math.log(mc / mb), jit.podScale() * (ab + ac), JitPrior.DF,
                        Math.max(sampling, 0)));
            }
            double critical = normal(df) ? Z_975 : critical975(Math.max(df, 0.5));
            double differenceVariance = Math.max(tau2 * (mb * mb * ab + mc * mc * ac) + phi * (mb * bb + mc * bc),
                    samplesKnown ? mb * (1 - mb) * bb + mc * (1 - mc) * bc : 0);
            double half = critical * Math.sqrt(Math.max(differenceVariance, 0));
            double diff = mc - mb;
            tests.add(new FunctionTest(type, name, measure, mb, mc, 1.0, p, diff - half, diff + half, thresholds,
                    Double.NaN, baselineUpper(data, c, mb, mc, phi, samples, thresholds, samplesKnown)));
        }
        return tests;
    }

    /**
     * Two-sided p-value of one function's log-ratio between the groups (levels {@code mb}, {@code mc} as shares),
     * under its noise: τ² and φ with their degrees of freedom, ψ when fitted between pods, {@code ab}/{@code ac}
     * one over the pods per group, {@code bb}/{@code bc} the groups' sampling factors.
     */
    static double pValue(double mb, double mc, double tau2, double phi, double podDf, double phiDf, double psi,
                         double ab, double ac, double bb, double bc, boolean samplesKnown) {
        double logRatio = Math.log(mc / mb);
        double podPart = tau2 * (ab + ac);
        double samplingPart = phi * (bb / mb + bc / mc);
        // Never below binomial sampling of the current samples: no estimate of the rest may claim
        // the counts are more precise than counting allows.
        double binomial = samplesKnown ? (1 - mb) * bb / mb + (1 - mc) * bc / mc : 0;
        double variance = Math.max(podPart + samplingPart, binomial);
        TDistribution reference = tDistribution(degreesOfFreedom(podPart, samplingPart, podDf, phiDf, psi));
        boolean priorOnly = !(psi > 0) && podDf < PRIOR_MIXTURE_MAX_DF && podPart > 0;
        if (variance > 0 && !priorOnly) {
            double stat = logRatio / Math.sqrt(variance);
            return 2 * (reference == null ? NORMAL.cumulativeProbability(-Math.abs(stat))
                    : reference.cumulativeProbability(-Math.abs(stat)));
        } else if (variance > 0) { // prior only: no data of its own on pod noise
            return priorMixture(logRatio, tau2 * (ab + ac), podDf, Math.max(variance - podPart, 0));
        }
        return Double.NaN;
    }

    private static FunctionTest absence(ProfileType type, String name, Measure measure, MeasureData data, int c,
                                        double mb, double mc, double tau2, double phi, double[] samples,
                                        Thresholds thresholds, boolean neverInBaseline) {
        int present = mc > 0 ? 1 : 0;
        int absent = 1 - present;
        double k = 0;
        for (int i = 0; i < data.values.length; i++) {
            int u = data.unitOf[i];
            if (u < data.units.pods() && data.units.group()[u] == present) {
                k += data.values[i][c] / data.valuePerSample[i];
            }
        }
        double effective = k / Math.max(phi, 1e-9);
        double p = k > 0 ? Math.min(1, 2 * Math.exp(effective
                * Math.log(samples[present] / (samples[absent] + samples[present])))) : Double.NaN;
        double level = present == 1 ? mc : mb;
        double pods = present == 1 ? data.pc() : data.pb();
        double sampling = present == 1 ? data.samplingFactor(1) : data.samplingFactor(0);
        double se = Math.sqrt(Math.max(0, tau2 * level * level / pods + phi * level * sampling));
        double bound = 3 * Math.max(phi, 1) / samples[absent];
        double diff = mc - mb;
        double low = present == 1 ? diff - Z_975 * se - bound : diff - Z_975 * se;
        double high = present == 1 ? diff + Z_975 * se : diff + Z_975 * se + bound;
        double baselineBound = present == 1 && neverInBaseline ? bound : Double.NaN;
        return new FunctionTest(type, name, measure, mb, mc, 1.0, p, low, high, thresholds, baselineBound, Double.NaN);
    }

    /**
     * The upper 95 % bound sampling alone puts on a function's share of the current baseline pods when that share is
     * below the negligible share and the canary's at least a new hot path's (NaN otherwise, and when sample counts are unknown: then N
     * is in value units and a bound from it claims a precision no count supports). With k of the baseline's N samples
     * (history left out: it says nothing of the current baseline's mix), overdispersion φ shrinking the effective count
     * to k/φ, the exact one-sided Poisson bound on the count is the 95 % point of Gamma(k/φ + 1, 1) (Garwood 1936;
     * 3.0 at k = 0, the rule of three {@link #absence} uses), so the share is below φ·G⁻¹(0.95; k/φ + 1)/N. A function
     * with 2 samples of 5,400 is below 0.12 % at 95 %, with none below 0.056 %.
     */
    static double baselineUpper(MeasureData data, int c, double mb, double mc, double phi, double[] samples,
                                Thresholds thresholds, boolean samplesKnown) {
        if (!samplesKnown || !(samples[0] > 0) || !(mb < thresholds.negligibleShare())
                || !(mc >= thresholds.newHotPathShare())) {
            return Double.NaN;
        }
        double k = 0;
        for (int i = 0; i < data.values.length; i++) {
            int u = data.unitOf[i];
            if (u < data.units.pods() && data.units.group()[u] == 0) {
                k += data.values[i][c] / data.valuePerSample[i];
            }
        }
        double f = Math.max(phi, 1);
        return Double.isFinite(k) ? f * poissonUpper95(k / f) / samples[0] : Double.NaN;
    }

    /** The one-sided 95 % upper bound on a Poisson mean after observing {@code k} (possibly fractional) events. */
    static double poissonUpper95(double k) {
        return new GammaDistribution(null, k + 1, 1)
                .inverseCumulativeProbability(0.95);
    }

    /** Samples behind each group's current observations (value units when counts are unknown). */
    private static double[] groupSamples(MeasureData data) {
        double[] samples = new double[2];
        for (int i = 0; i < data.values.length; i++) {
            int u = data.unitOf[i];
            if (u < data.units.pods()) {
                samples[data.units.group()[u]] += data.denominators[i] > 0
                        ? totalOf(data, i) / data.valuePerSample[i] : 0;
            }
        }
        return samples;
    }

    private static double totalOf(MeasureData data, int i) {
        return data.totals[i];
    }

    private static final ConcurrentHashMap<Long, Double> CRITICAL =
            new ConcurrentHashMap<>();

    /** The 97.5 % point of Student's t, cached on df rounded to 0.1 (only an interval's width depends on it). */
    static double critical975(double df) {
        long key = Math.round(Math.min(df, 10_000) * 10);
        return CRITICAL.computeIfAbsent(key, k -> new TDistribution(null, Math.max(k / 10.0, 0.5))
                .inverseCumulativeProbability(0.975));
    }

    /** Beyond these prior degrees of freedom the prior mixture is a normal for practical purposes. */
    static final double PRIOR_MIXTURE_MAX_DF = 1000;
    private static final int MIXTURE_POINTS = 64;
    private static final ConcurrentHashMap<Long, double[]> CHI_SQUARE_POINTS =
            new ConcurrentHashMap<>();

    /**
     * Two-sided p-value of a log ratio whose pod variance is known only through the prior (one pod per
     * side: the function has no data of its own): σ² = v·d₀/X with X ~ χ²_d₀ (limma's prior, Smyth 2004),
     * plus a sampling part s estimated from many slices. The statistic is then a scale mixture of normals,
     * P(|L| ≥ l) = E_X[2Φ(−l / √(v·d₀/X + s))], integrated over 64 quantiles of X. A t distribution with
     * Welch–Satterthwaite degrees of freedom instead lets a small pod part contribute few uncertain degrees
     * of freedom, although a function may vary ten times as much between pods as the prior's centre: with
     * 1 + 1 pods, 1.5 % of simulated A/A canaries FAILed on such functions.
     */
    static double priorMixture(double logRatio, double podVariance, double priorDf, double sampling) {
        double[] x = CHI_SQUARE_POINTS.computeIfAbsent(Math.round(priorDf * 100), key -> {
            org.apache.commons.math3.distribution.ChiSquaredDistribution chi =
                    new org.apache.commons.math3.distribution.ChiSquaredDistribution(null, key / 100.0);
            double[] points = new double[MIXTURE_POINTS];
            for (int k = 0; k < MIXTURE_POINTS; k++) {
                points[k] = chi.inverseCumulativeProbability((k + 0.5) / MIXTURE_POINTS);
            }
            return points;
        });
        double sum = 0;
        for (double point : x) {
            double variance = podVariance * priorDf / point + sampling;
            sum += 2 * NORMAL.cumulativeProbability(-Math.abs(logRatio) / Math.sqrt(variance));
        }
        return Math.min(1, sum / x.length);
    }

    /** Welch–Satterthwaite degrees of freedom of a sum of two variance estimates (infinite df: known). */
    static double satterthwaite(double first, double dfFirst, double second, double dfSecond) {
        double denominator = (Double.isInfinite(dfFirst) ? 0 : first * first / dfFirst)
                + (Double.isInfinite(dfSecond) ? 0 : second * second / dfSecond);
        if (!(denominator > 0)) {
            return Double.POSITIVE_INFINITY;
        }
        double total = first + second;
        return total * total / denominator;
    }

    /** Student's t with {@code df} degrees of freedom, or null for the normal (df infinite or beyond 10⁶). */
    /**
     * The test's degrees of freedom. Between pods (ψ fitted with τ₀²) the moderated unit variance T̃ is one estimate,
     * sampling included: its degrees of freedom are the test's. Otherwise the pod part (prior) and the sampling part
     * (slices) are separate estimates: Welch–Satterthwaite.
     */
    static double degreesOfFreedom(double podPart, double samplingPart, double podDf, double phiDf, double psi) {
        return psi > 0 || podPart < 0 ? podDf : satterthwaite(podPart, podDf, samplingPart, phiDf);
    }

    /** Whether a t reference with these degrees of freedom is the normal ({@link #tDistribution} null). */
    private static boolean normal(double df) {
        return df > 1e6 || Double.isNaN(df);
    }

    static TDistribution tDistribution(double df) {
        return normal(df) ? null : new TDistribution(null, Math.max(df, 0.5));
    }
}
