package io.canaryjudge.judge;

import java.util.Arrays;
import java.util.concurrent.ConcurrentHashMap;
import java.util.function.DoubleUnaryOperator;
import org.apache.commons.math3.distribution.ChiSquaredDistribution;
import org.apache.commons.math3.distribution.FDistribution;
import org.apache.commons.math3.special.Gamma;

/**
 * The prior that per-function variance estimates are moderated towards, fitted across functions:
 * limma's hierarchical model (Smyth 2004, Statistical Applications in Genetics and Molecular Biology
 * 3:3) in which a function's true variance is its model variance times a scaled inverse-χ² factor
 * with d₀ degrees of freedom, so that its estimate with d degrees of freedom is
 * {@code T_f ~ (θ·b_f + a_f) · F(d, d₀)}: θ the unknown common level (τ₀², a squared CV, or φ₀),
 * b_f and a_f known per function (a_f: the sampling part the function's own slices say it has).
 *
 * <p><b>Robustly</b>: θ and d₀ are matched to the median and the median absolute deviation of
 * log(T_f / (θ b_f + a_f)) instead of to its mean and variance as limma's moment method does, so that
 * up to half the functions may be changed, flip with JIT decisions or be otherwise extreme without
 * moving the prior (breakdown point ½; the concern of Phipson et al. 2016, Annals of Applied
 * Statistics 10:946, "robust hyperparameter estimation protects against hypervariable genes"). The
 * median and the MAD of log F(d, d₀) are exact (F quantiles), not approximations. No standard error
 * is added or subtracted: the prior is a fit, not a margin.
 *
 * @param level   θ, ≥ 0
 * @param df      d₀ (infinite: the functions vary no more than their own estimates' sampling explains)
 * @param centre  median of log(T_f / (θ b_f + a_f)) over the fitted functions
 * @param spread  its MAD × 1.4826 (a robust standard deviation)
 * @param functions functions the fit used
 */
record PriorFit(double level, double df, double centre, double spread, int functions) {

    /** Smallest prior degrees of freedom considered (a prior that says almost nothing). */
    static final double MIN_DF = 0.2;
    static final double MAX_DF = 1e5;
    /**
     * A function whose log ratio lies more than this many robust standard deviations above the
     * centre is a variance outlier: it keeps its own estimate and degrees of freedom instead of being
     * moderated (DESeq2's rule for dispersion outliers, Love, Huber &amp; Anders 2014, Genome Biology
     * 15:550: "more than 2 residual standard deviations above the trend"). So moderation never pulls a
     * function that its own data show to be noisier than the rest down to the rest's noise.
     */
    static final double OUTLIER_SDS = 2.0;

    boolean fitted() {
        return functions > 0;
    }

    /** The prior as known, not fitted (e.g. a configured CV when too few functions to fit). */
    static PriorFit assumed(double level) {
        return new PriorFit(level, Double.POSITIVE_INFINITY, 0, 0, 0);
    }

    /** Whether a function's estimate is a variance outlier (see {@link #OUTLIER_SDS}). */
    boolean outlier(double observed, double model) {
        if (!fitted() || !(observed > 0) || !(model > 0) || !(spread > 0)) {
            return false;
        }
        return Math.log(observed / model) > centre + OUTLIER_SDS * spread;
    }

    /**
     * @param observed   T_f, ≥ 0 (zeros and non-finite values are left out of the fit)
     * @param ownDf      d_f per function
     * @param known      a_f per function (0 for a pure ratio fit)
     * @param factor     b_f per function
     * @param levelFloor smallest θ the weights assume (see below); 0 for a ratio fit
     * @return null when fewer than {@code minimum} functions are usable
     *
     * <p>Each function counts by how much its variance can say about θ: the share θ·b_f / (θ·b_f + a_f)
     * of its model variance that θ makes up (the score weight of log-variance in θ, up to a constant),
     * taken at the current fit but at least at {@code levelFloor}. Small functions, whose variance is
     * all sampling, otherwise outnumber the large ones and put the median where θ does not matter —
     * τ₀ = 0 on the recorded scenarios, whose JVMs differ by 5–9 % — while the large functions, which
     * the tests weigh most, would then lean on their own few degrees of freedom.
     */
    static PriorFit fit(double[] observed, double[] ownDf, double[] known, double[] factor, int minimum,
                        double levelFloor) {
        return fit(observed, ownDf, known, factor, minimum, levelFloor, true, Double.POSITIVE_INFINITY);
    }

    /**
     * As {@link #fit(double[], double[], double[], double[], int, double)}; with {@code robustLevel} false,
     * θ is matched by the weighted mean of the ratios T_f / (θ b_f + a_f) below their 90th percentile to the
     * same trimmed mean of F(d, d₀), not by the median: more efficient (a median keeps 64 % of the
     * information, and with a dozen informative functions θ then varied by a factor of two and more from
     * case to case), still deaf to the top tenth (JIT flips). For data that cannot contain the change
     * under test (pods within a group, history); d₀ stays matched to the MAD.
     */
    static PriorFit fit(double[] observed, double[] ownDf, double[] known, double[] factor, int minimum,
                        double levelFloor, boolean robustLevel, double maxDf) {
        int n = observed.length;
        int[] use = new int[n];
        int count = 0;
        for (int f = 0; f < n; f++) {
            if (observed[f] > 0 && Double.isFinite(observed[f]) && ownDf[f] > 0 && factor[f] > 0) {
                use[count++] = f;
            }
        }
        if (count < minimum) {
            return null;
        }
        int[] fit = Arrays.copyOf(use, count);
        double[] dfs = new double[count];
        for (int k = 0; k < count; k++) {
            dfs[k] = ownDf[fit[k]];
        }
        double d = Math.max(0.5, TypeContext.median(dfs));
        double d0 = Double.POSITIVE_INFINITY;
        double level = levelFloor;
        double[] z = new double[count];
        double[] weights = new double[count];
        double centre = 0;
        double mad = 0;
        for (int iteration = 0; iteration < 8; iteration++) {
            double assumed = Math.max(level, levelFloor);
            for (int k = 0; k < count; k++) {
                int f = fit[k];
                double part = assumed * factor[f];
                weights[k] = part + known[f] > 0 ? part / (part + known[f]) : 1;
            }
            double next = robustLevel ? solveLevel(observed, known, factor, fit, weights, Math.log(median(d, d0)))
                    : solveLevelTrimmed(observed, known, factor, fit, weights, LogF.of(d).trimmedMean(d0));
            for (int k = 0; k < count; k++) {
                int f = fit[k];
                z[k] = Math.log(observed[f] / (next * factor[f] + known[f]));
            }
            centre = weightedMedian(z, weights);
            double[] deviations = new double[count];
            for (int k = 0; k < count; k++) {
                deviations[k] = Math.abs(z[k] - centre);
            }
            mad = weightedMedian(deviations, weights);
            double nextDf = Math.min(solveDf(d, mad), maxDf);
            boolean settled = Math.abs(next - level) <= 1e-3 * Math.max(level, 1e-12)
                    && (nextDf == d0 || Math.abs(nextDf / d0 - 1) < 1e-3);
            level = next;
            d0 = nextDf;
            if (settled) {
                break;
            }
        }
        // The level itself is estimated, from as much information as the functions that weigh in carry:
        // n_eff = (Σw)²/Σw² of them with d degrees of freedom each (× 2/π for a median-based fit). A new
        // function's variance then differs from the fitted prior by the prior's spread (trigamma(d₀/2) on
        // the log scale) and by the fit's own error (trigamma(ν₀/2)); the degrees of freedom that carry
        // both are trigamma⁻¹ of their sum (the log-variance of a scaled inverse-χ² is trigamma(df/2),
        // Smyth 2004). Few informative functions (small profiles, few pods): heavy tails; many: light.
        double sumW = 0;
        double sumW2 = 0;
        for (double w : weights) {
            sumW += w;
            sumW2 += w * w;
        }
        double effective = sumW2 > 0 ? sumW * sumW / sumW2 : count;
        double levelDf = (robustLevel ? 2 / Math.PI : 0.9) * d * effective;
        double combined = 2 * trigammaInverse((Double.isInfinite(d0) ? 0 : Gamma.trigamma(d0 / 2))
                + Gamma.trigamma(levelDf / 2));
        return new PriorFit(level, Math.min(d0, combined), centre, 1.4826 * mad, count);
    }

    /** Solves trigamma(y) = x for y > 0 (Newton's method as limma's trigammaInverse). */
    static double trigammaInverse(double x) {
        if (x > 1e7) {
            return 1 / Math.sqrt(x);
        }
        if (x < 1e-6) {
            return 1 / x;
        }
        double y = 0.5 + 1 / x;
        for (int iteration = 0; iteration < 50; iteration++) {
            double tri = Gamma.trigamma(y);
            double tetragamma = (Gamma.trigamma(y + 1e-5) - Gamma.trigamma(y - 1e-5)) / 2e-5;
            double step = tri * (1 - tri / x) / tetragamma;
            y += step;
            if (y <= 0) {
                y = 1e-8;
            }
            if (-step / y < 1e-8) {
                break;
            }
        }
        return y;
    }

    /** Share of the largest ratios left out of a trimmed mean. */
    static final double TRIM = 0.1;

    /** θ ≥ 0 at which the weighted trimmed mean of T_f / (θ b_f + a_f) equals the target (it falls as θ grows). */
    private static double solveLevelTrimmed(double[] observed, double[] known, double[] factor, int[] fit,
                                            double[] weights, double target) {
        double[] ratio = new double[fit.length];
        DoubleUnaryOperator mean = level -> {
            for (int k = 0; k < fit.length; k++) {
                int f = fit[k];
                double model = level * factor[f] + known[f];
                ratio[k] = model > 0 ? observed[f] / model : Double.MAX_VALUE;
            }
            return weightedTrimmedMean(ratio, weights);
        };
        if (mean.applyAsDouble(0) <= target) {
            return 0;
        }
        double lo = 0;
        double hi = 1e-6;
        while (mean.applyAsDouble(hi) > target && hi < 1e6) {
            lo = hi;
            hi *= 8;
        }
        for (int iteration = 0; iteration < 60 && hi - lo > 1e-4 * hi; iteration++) {
            double mid = 0.5 * (lo + hi);
            if (mean.applyAsDouble(mid) > target) {
                lo = mid;
            } else {
                hi = mid;
            }
        }
        return 0.5 * (lo + hi);
    }

    /** Weighted mean of the values below the weighted 90th percentile. */
    static double weightedTrimmedMean(double[] values, double[] weights) {
        double[] v = values.clone();
        double[] w = weights.clone();
        sort(v, w, 0, v.length - 1);
        double total = 0;
        for (double x : w) {
            total += x;
        }
        double keep = (1 - TRIM) * total;
        double sum = 0;
        double used = 0;
        for (int k = 0; k < v.length && used < keep; k++) {
            double take = Math.min(w[k], keep - used);
            sum += take * v[k];
            used += take;
        }
        return used > 0 ? sum / used : Double.NaN;
    }

    /** θ ≥ 0 at which the weighted median of log(T_f / (θ b_f + a_f)) equals the target (it falls as θ grows). */
    private static double solveLevel(double[] observed, double[] known, double[] factor, int[] fit, double[] weights,
                                     double target) {
        double[] z = new double[fit.length];
        DoubleUnaryOperator centre = level -> {
            for (int k = 0; k < fit.length; k++) {
                int f = fit[k];
                double model = level * factor[f] + known[f];
                z[k] = model > 0 ? Math.log(observed[f] / model) : Double.POSITIVE_INFINITY;
            }
            return weightedMedian(z, weights);
        };
        boolean anyKnown = false;
        for (int f : fit) {
            anyKnown |= known[f] > 0;
        }
        if (!anyKnown) {
            for (int k = 0; k < fit.length; k++) {
                z[k] = Math.log(observed[fit[k]] / factor[fit[k]]);
            }
            return Math.exp(weightedMedian(z, weights) - target);
        }
        if (centre.applyAsDouble(0) <= target) {
            return 0;
        }
        double lo = 0;
        double hi = 1e-6;
        while (centre.applyAsDouble(hi) > target && hi < 1e6) {
            lo = hi;
            hi *= 8;
        }
        for (int iteration = 0; iteration < 60 && hi - lo > 1e-4 * hi; iteration++) {
            double mid = 0.5 * (lo + hi);
            if (centre.applyAsDouble(mid) > target) {
                lo = mid;
            } else {
                hi = mid;
            }
        }
        return 0.5 * (lo + hi);
    }

    /** The value at which the cumulative weight of the sorted values reaches half the total. */
    static double weightedMedian(double[] values, double[] weights) {
        int n = values.length;
        double[] v = values.clone();
        double[] w = weights.clone();
        double total = 0;
        for (double x : w) {
            total += x;
        }
        if (!(total > 0)) {
            return TypeContext.median(values);
        }
        sort(v, w, 0, n - 1);
        double cumulative = 0;
        for (int k = 0; k < n; k++) {
            double next = cumulative + w[k];
            if (next >= total / 2) {
                if (next == total / 2 && k + 1 < n) {
                    return 0.5 * (v[k] + v[k + 1]);
                }
                return v[k];
            }
            cumulative = next;
        }
        return v[n - 1];
    }

    /** Sorts {@code v} ascending, moving {@code w} along (quicksort; insertion sort for short runs). */
    private static void sort(double[] v, double[] w, int lo, int hi) {
        while (hi - lo > 16) {
            double pivot = v[(lo + hi) >>> 1];
            int i = lo;
            int j = hi;
            while (i <= j) {
                while (v[i] < pivot) {
                    i++;
                }
                while (v[j] > pivot) {
                    j--;
                }
                if (i <= j) {
                    double t = v[i];
                    v[i] = v[j];
                    v[j] = t;
                    t = w[i];
                    w[i] = w[j];
                    w[j] = t;
                    i++;
                    j--;
                }
            }
            if (j - lo < hi - i) {
                sort(v, w, lo, j);
                lo = i;
            } else {
                sort(v, w, i, hi);
                hi = j;
            }
        }
        for (int i = lo + 1; i <= hi; i++) {
            double x = v[i];
            double y = w[i];
            int j = i - 1;
            while (j >= lo && v[j] > x) {
                v[j + 1] = v[j];
                w[j + 1] = w[j];
                j--;
            }
            v[j + 1] = x;
            w[j + 1] = y;
        }
    }

    /** d₀ at which the MAD of log F(d, d₀) equals the observed one; infinite when sampling explains it all. */
    private static double solveDf(double d, double mad) {
        return LogF.of(d).priorDf(mad);
    }

    /** Median of F(d, d₀) (d₀ infinite: of χ²_d / d). */
    static double median(double d, double d0) {
        return Math.exp(LogF.of(d).median(d0));
    }

    static double quantile(double d, double d0, double p) {
        if (Double.isInfinite(d0) || d0 > MAX_DF) {
            return new ChiSquaredDistribution(null, d).inverseCumulativeProbability(p) / d;
        }
        return new FDistribution(null, d, d0).inverseCumulativeProbability(p);
    }

    static double cdf(double d, double d0, double x) {
        if (Double.isInfinite(d0) || d0 > MAX_DF) {
            return new ChiSquaredDistribution(null, d).cumulativeProbability(x * d);
        }
        return new FDistribution(null, d, d0).cumulativeProbability(x);
    }

    /** Median absolute deviation of log F(d, d₀) around its median: δ with P(|log F − log m| ≤ δ) = ½. */
    static double madOfLogF(double d, double d0) {
        double m = Math.log(quantile(d, d0, 0.5));
        double lo = 0;
        double hi = 1;
        while (cdf(d, d0, Math.exp(m + hi)) - cdf(d, d0, Math.exp(m - hi)) < 0.5 && hi < 100) {
            hi *= 2;
        }
        for (int iteration = 0; iteration < 40; iteration++) {
            double mid = 0.5 * (lo + hi);
            if (cdf(d, d0, Math.exp(m + mid)) - cdf(d, d0, Math.exp(m - mid)) < 0.5) {
                lo = mid;
            } else {
                hi = mid;
            }
        }
        return 0.5 * (lo + hi);
    }

    /**
     * The median and MAD of log F(d, d₀) on a grid of d₀ for one d (rounded), computed once and
     * interpolated on log d₀: the fit asks for them hundreds of times per verdict, and each exact value
     * takes a few hundred F-distribution evaluations.
     */
    private static final class LogF {
        private static final ConcurrentHashMap<Double, LogF> CACHE =
                new ConcurrentHashMap<>();
        private static final int GRID = 64;
        private final double[] logDf = new double[GRID];
        private final double[] median = new double[GRID];
        private final double[] mad = new double[GRID];
        private final double[] trimmed = new double[GRID];
        private final double medianInfinite;
        private final double madInfinite;
        private final double trimmedInfinite;

        private LogF(double d) {
            double lo = Math.log(MIN_DF);
            double hi = Math.log(MAX_DF);
            for (int k = 0; k < GRID; k++) {
                logDf[k] = lo + (hi - lo) * k / (GRID - 1);
                double d0 = Math.exp(logDf[k]);
                median[k] = Math.log(quantile(d, d0, 0.5));
                mad[k] = madOfLogF(d, d0);
                trimmed[k] = trimmedMeanOfF(d, d0);
            }
            medianInfinite = Math.log(quantile(d, Double.POSITIVE_INFINITY, 0.5));
            madInfinite = madOfLogF(d, Double.POSITIVE_INFINITY);
            trimmedInfinite = trimmedMeanOfF(d, Double.POSITIVE_INFINITY);
        }

        /** d rounded to two significant digits (the fit's d is a median of Satterthwaite df). */
        static LogF of(double d) {
            double digits = Math.pow(10, Math.floor(Math.log10(d)) - 1);
            double key = Math.max(0.5, Math.round(d / digits) * digits);
            return CACHE.computeIfAbsent(key, LogF::new);
        }

        double median(double d0) {
            if (Double.isInfinite(d0) || d0 >= MAX_DF) {
                return medianInfinite;
            }
            return interpolate(median, Math.log(Math.max(d0, MIN_DF)));
        }

        double trimmedMean(double d0) {
            if (Double.isInfinite(d0) || d0 >= MAX_DF) {
                return trimmedInfinite;
            }
            return interpolate(trimmed, Math.log(Math.max(d0, MIN_DF)));
        }

        double priorDf(double observedMad) {
            if (observedMad <= madInfinite) {
                return Double.POSITIVE_INFINITY;
            }
            if (observedMad >= mad[0]) {
                return MIN_DF;
            }
            if (observedMad <= mad[GRID - 1]) {
                return MAX_DF;
            }
            for (int k = 1; k < GRID; k++) {
                if (mad[k] <= observedMad) { // mad falls as d0 grows
                    double t = (mad[k - 1] - observedMad) / (mad[k - 1] - mad[k]);
                    return Math.exp(logDf[k - 1] + t * (logDf[k] - logDf[k - 1]));
                }
            }
            return MAX_DF;
        }

        private double interpolate(double[] values, double logD0) {
            double position = (logD0 - logDf[0]) / (logDf[GRID - 1] - logDf[0]) * (GRID - 1);
            int k = Math.max(0, Math.min(GRID - 2, (int) Math.floor(position)));
            double t = Math.max(0, Math.min(1, position - k));
            return values[k] + t * (values[k + 1] - values[k]);
        }
    }

    /**
     * E[X | X ≤ q₉₀] of X ~ F(d, d₀): (c·P(X ≤ c) − ∫₀^c P(X ≤ x) dx) / 0.9 with c the 90th percentile
     * (integration by parts; Simpson's rule on 200 intervals).
     */
    static double trimmedMeanOfF(double d, double d0) {
        double c = quantile(d, d0, 1 - TRIM);
        int intervals = 200;
        double h = c / intervals;
        double integral = 0;
        for (int i = 0; i <= intervals; i++) {
            double weight = i == 0 || i == intervals ? 1 : i % 2 == 1 ? 4 : 2;
            integral += weight * cdf(d, d0, i * h);
        }
        integral *= h / 3;
        return (c * (1 - TRIM) - integral) / (1 - TRIM);
    }
}
