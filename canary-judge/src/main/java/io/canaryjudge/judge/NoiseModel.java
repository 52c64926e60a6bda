package io.canaryjudge.judge;

import java.util.ArrayList;
import java.util.Arrays;
import java.util.Comparator;
import java.util.List;
import java.util.Locale;
import java.util.function.DoubleUnaryOperator;
import org.apache.commons.math3.distribution.ChiSquaredDistribution;

/**
 * The noise each candidate function's test assumes, per function, and what it was learned from.
 *
 * <p>Var(a pod's value of f) = τ_f²·μ² + φ_f·μ·w: between-pod (JVM and window) noise with squared CV
 * τ_f², and sampling noise φ_f times binomial (w: the pod's value per sample over its denominator).
 * <ul>
 *   <li><b>φ_f</b> from slice-to-slice variation inside units (Pearson dispersion on Σ(slices − 1)
 *   degrees of freedom), moderated towards φ₀ fitted across functions ({@link PriorFit}).</li>
 *   <li><b>τ_f²</b> from units that cannot contain the change under test ({@link PodSpread}: pods of
 *   the same group, history windows and JVMs), moderated towards τ₀² fitted across functions — limma's
 *   eBayes with a model-based prior (Smyth 2004): the function's variance is
 *   (d₀·prior + d·own) / (d₀ + d), tested with d₀ + d degrees of freedom. A variance outlier keeps its
 *   own estimate ({@link PriorFit#OUTLIER_SDS}).</li>
 *   <li>With no two pods of one group and no history (one pod per side), nothing but the difference
 *   under test can show pod noise: then τ² is the prior alone, fitted robustly to the between-group
 *   differences of the bulk of functions (median and MAD: half the functions may change before it
 *   moves; a canary that differs in most functions is caught as a different program).</li>
 *   <li>JVM-internal functions (JIT, GC, class loading; {@link FrameClassifier}) take no part in
 *   any fit: a young canary's JIT work must not widen the application's noise. They still get their
 *   own moderated variances.</li>
 * </ul>
 */
final class NoiseModel {
    static final int MIN_FUNCTIONS_FOR_FIT = 8;
    /**
     * Squared between-pod CV below which the prior fit stops weighting functions by how much pod noise
     * they can show ({@link PriorFit#fit}): 1 % — a function whose sampling noise hides a 1 % pod CV says
     * nothing about pod noise.
     */
    static final double LEVEL_FLOOR = 1e-4;

    /** Where τ² came from. */
    enum Source {
        /** Pods within groups and history windows. */
        HISTORY,
        /** Pods within groups only. */
        WITHIN,
        /** One pod per side, no history: the prior, fitted robustly to between-group differences. */
        ACROSS,
        /** Too few functions to fit anything: the configured prior CV. */
        ASSUMED
    }

    final double[] phi;
    final double[] phiDf;
    /**
     * Per candidate: τ̃², the relative variance of a pod's value beyond the sampling part φ_f·w/μ. May be
     * negative where pod means agree better than slice-to-slice variation predicts; tests add the
     * sampling part and keep the total at least binomial.
     */
    final double[] podVariance;
    final double[] podDf;
    final boolean[] ownPodVariance;
    final PriorFit podPrior;
    final PriorFit phiPrior;
    final Source source;
    /** Pod-level sampling overdispersion ψ (WITHIN and HISTORY); NaN otherwise. */
    double psi = Double.NaN;
    String description;
    /** Candidates whose prior came partly from {@link LearnedNoise} (earlier verdicts' baselines). */
    int learnedFunctions;
    final List<String> notes = new ArrayList<>();

    private NoiseModel(int m, PriorFit podPrior, PriorFit phiPrior, Source source, String description) {
        this.phi = new double[m];
        this.phiDf = new double[m];
        this.podVariance = new double[m];
        this.podDf = new double[m];
        this.ownPodVariance = new boolean[m];
        this.podPrior = podPrior;
        this.phiPrior = phiPrior;
        this.source = source;
        this.description = description;
    }

    /** τ₀²: the squared between-pod CV of a typical function. */
    double priorPodVariance() {
        return podPrior.level();
    }

    /** The sampling overdispersion the tests use for a typical function: ψ between pods, else φ₀ between slices. */
    double priorPhi() {
        return psi > 0 ? psi : phiPrior.level();
    }

    /**
     * @param excluded  per candidate: JVM-internal, left out of every fit
     * @param reference a model of the same type to borrow the priors from when this measure has too few
     *                  functions (the inclusive measure borrows the self measure's); may be null
     * @param learned   per candidate: the pod noise earlier verdicts' baselines showed ({@link LearnedNoise}),
     *                  or null
     * @param maxPriorDf the largest d₀ the between-pod fit across functions may claim ({@link PriorWidth})
     * @param outlierRule whether a variance outlier keeps its own estimate ({@link PriorWidth#outlierRule})
     */
    static NoiseModel fit(MeasureData data, boolean[] excluded, JudgeConfig config, NoiseModel reference,
                          LearnedNoise.Entry[] learned, double maxPriorDf, boolean outlierRule) {
        int m = data.candidates.length;
        // Sampling: slice dispersion per function.
        double[] dispersion = new double[m];
        double[] sliceDf = new double[m];
        for (int c = 0; c < m; c++) {
            sliceDispersion(data, c, dispersion, sliceDf);
        }
        List<String> notes = new ArrayList<>();
        PriorFit phiPrior = PriorFit.fit(only(dispersion, excluded), sliceDf, new double[m], ones(m),
                MIN_FUNCTIONS_FOR_FIT, 0);
        if (phiPrior == null) {
            if (reference != null && reference.phiPrior.fitted()) {
                phiPrior = reference.phiPrior;
            } else {
                double pooled = jointOverdispersion(data, excluded);
                String why = slicedFunctions(sliceDf, excluded) == 0 ? "no pod has two or more slices"
                        : String.format(Locale.ROOT, "only %d function(s) show how their samples vary between a pod's"
                        + " slices, too few to fit (at least %d)", slicedFunctions(sliceDf, excluded), MIN_FUNCTIONS_FOR_FIT);
                if (Double.isNaN(pooled)) {
                    notes.add(why + ": sampling noise assumed binomial (overdispersion 1)");
                    phiPrior = PriorFit.assumed(1.0);
                } else {
                    notes.add(String.format(Locale.ROOT, "%s: sampling overdispersion "
                            + "(%.1f× binomial) fitted with pod noise from how pod-to-pod variance grows with a "
                            + "function's samples", why, pooled));
                    phiPrior = PriorFit.assumed(pooled);
                }
            }
        }
        double[] phi = new double[m];
        double[] phiDf = new double[m];
        for (int c = 0; c < m; c++) {
            double[] moderated = moderate(dispersion[c], sliceDf[c], phiPrior.level(), phiPrior);
            phi[c] = moderated[0];
            phiDf[c] = moderated[1];
        }

        // Between pods.
        PodSpread[] spreads = new PodSpread[m];
        for (int c = 0; c < m; c++) {
            spreads[c] = PodSpread.of(data, c);
        }
        PodSpread.Structure all = PodSpread.Structure.of(data.units);
        PodSpread.Structure current = PodSpread.Structure.withoutHistory(data.units);
        Source source;
        PriorFit podPrior;
        double psi = Double.NaN;
        if (reference != null && all.betweenDf() > 0) {
            // An inclusive value is a sum of self values: its pod noise is at most a single leaf's, so
            // the self prior serves it (fitted on its own, the ancestors' small noise would set a prior
            // that a function dominated by one noisy callee far exceeds).
            podPrior = reference.podPrior;
            source = reference.source;
            psi = reference.psi;
        } else if (all.betweenDf() > 0) {
            double[] observed = new double[m];
            double[] df = new double[m];
            double[] known = new double[m];
            psi = phiPrior.level();
            for (int c = 0; c < m; c++) {
                observed[c] = excluded[c] ? Double.NaN : spreads[c].variance();
                df[c] = spreads[c].df();
                known[c] = psi * spreads[c].sampling();
            }
            podPrior = PriorFit.fit(observed, df, known, ones(m), MIN_FUNCTIONS_FOR_FIT, LEVEL_FLOOR, true,
                    maxPriorDf);
            boolean historyAdds = all.betweenDf() + all.withinDf() > current.betweenDf() + current.withinDf();
            source = historyAdds ? Source.HISTORY : Source.WITHIN;
        } else if (reference != null && reference.source == Source.ACROSS) {
            podPrior = reference.podPrior;
            source = Source.ACROSS;
        } else {
            podPrior = acrossGroups(data, excluded, phi, config);
            source = Source.ACROSS;
        }
        if (podPrior == null) {
            if (reference != null && reference.source != Source.ASSUMED) {
                podPrior = reference.podPrior;
                source = reference.source;
            } else {
                // Nothing to fit the level to: the configured CV, with the spread a prior that no
                // function's data shaped must allow (as with one pod per side).
                double cv = config.priorBetweenInstanceCv();
                podPrior = new PriorFit(cv * cv, PriorWidth.MEASURED.maxDf, 0, 0, 0);
                source = Source.ASSUMED;
            }
        }
        NoiseModel model = new NoiseModel(m, podPrior, phiPrior, source,
                describe(source, data.units, config, all.betweenDf() > 0));
        // Where pods of one group (or history) can be compared, each function's own spread is a unit-level
        // variance, sampling included: ψ = φ₀ then scales the current pods' sampling.
        boolean podLevelSampling = all.betweenDf() > 0 && source != Source.ACROSS;
        psi = phiPrior.level();
        model.psi = podLevelSampling ? psi : Double.NaN;
        model.notes.addAll(notes);
        int outliers = 0;
        for (int c = 0; c < m; c++) {
            // Between pods, sampling is what it is at the pod level (ψ, fitted with τ₀²); only without pods
            // to compare does the slice-to-slice dispersion stand in for it.
            model.phi[c] = podLevelSampling ? psi : phi[c];
            model.phiDf[c] = podLevelSampling ? Double.POSITIVE_INFINITY : phiDf[c];
            PodSpread spread = spreads[c];
            LearnedNoise.Entry known = learned == null ? null : learned[c];
            if (known != null) {
                model.learnedFunctions++;
            }
            if (!podLevelSampling || !(spread.df() > 0) || Double.isNaN(spread.variance())) {
                model.podVariance[c] = known != null ? withLearned(podPrior, known, maxPriorDf)[0] : podPrior.level();
                model.podDf[c] = known != null ? withLearned(podPrior, known, maxPriorDf)[1] : podPrior.df();
                continue;
            }
            if (known != null) {
                // The function's own prior: the fit across functions updated with what earlier baselines
                // showed of this function, so the current pods' few degrees of freedom are moderated
                // towards this function's noise rather than a typical function's. No outlier rule: a
                // function the earlier JVMs showed to be noisy is not an outlier of its own prior.
                double[] own = withLearned(podPrior, known, maxPriorDf);
                double pod = spread.variance() - model.phi[c] * spread.sampling();
                model.podVariance[c] = (own[1] * own[0] + spread.df() * pod) / (own[1] + spread.df());
                model.podDf[c] = own[1] + spread.df();
                continue;
            }
            // The unit-level variance T (sampling included) is what a pod's value varies by; the prior
            // for it is τ₀² plus the typical sampling part. What the test adds for sampling at the current
            // pods' own sample counts is φ_f·B/m, so the pod part is T̃ − φ_f·s̄: negative when slices
            // vary more than pod means do (slice noise that evens out within a pod, seen for the largest
            // functions of the recorded scenarios), which the test's total then still reflects.
            double prior = podPrior.level() + model.phi[c] * spread.sampling();
            double unit;
            if (outlierRule && podPrior.outlier(spread.variance(), prior)) {
                unit = spread.variance();
                model.podDf[c] = spread.df();
                model.ownPodVariance[c] = true;
                outliers += excluded[c] ? 0 : 1;
            } else {
                double d0 = podPrior.df();
                unit = Double.isInfinite(d0) ? prior : (d0 * prior + spread.df() * spread.variance()) / (d0 + spread.df());
                model.podDf[c] = d0 + spread.df();
            }
            model.podVariance[c] = unit - model.phi[c] * spread.sampling();
        }
        if (outliers > 0) {
            model.notes.add(outliers + " function(s) vary between pods far more than the rest and are tested "
                    + "against their own spread (e.g. JIT decisions that differ between JVMs)");
        }
        return model;
    }

    /**
     * {prior level, degrees of freedom} for one function: the fit across functions (its level on at most
     * {@code maxPriorDf}, {@link PriorWidth}) pooled with the function's learned noise as
     * if those were the function's own earlier observations. A learned variance below zero (sampling
     * dominated) pools as it is; the level is kept at or above zero.
     */
    static double[] withLearned(PriorFit prior, LearnedNoise.Entry learned, double maxPriorDf) {
        double d0 = Math.min(prior.df(), maxPriorDf);
        double df = d0 + learned.df();
        double level = (d0 * prior.level() + learned.df() * learned.podVariance()) / df;
        return new double[] {Math.max(level, 0), df};
    }

    /**
     * What this window's baseline pods and history show of each candidate's pod noise, for
     * {@link LearnedNoise}: the between-JVM spread of baseline and history units only (never a canary
     * pod), less its sampling part. Null entries where they show nothing (fewer than two JVMs).
     *
     * @param phi the sampling part's overdispersion, from the baseline's slices ({@link #baselineOverdispersion})
     */
    static LearnedNoise.Entry[] baselineSpread(MeasureData data, double phi) {
        int m = data.candidates.length;
        LearnedNoise.Entry[] spread = new LearnedNoise.Entry[m];
        for (int c = 0; c < m; c++) {
            PodSpread s = PodSpread.ofBaseline(data, c);
            double pod = s.variance() - phi * s.sampling();
            // Beyond MAX_POD_VARIANCE sampling swamps the pods: no lesson, and one the store's reader refuses,
            // which left the service's learned noise unreadable (each later analysis warned, none taught).
            if (s.df() > 0 && Double.isFinite(pod) && Math.abs(pod) <= LearnedNoise.MAX_POD_VARIANCE) {
                spread[c] = new LearnedNoise.Entry(pod, s.df());
            }
        }
        return spread;
    }

    /**
     * The typical slice overdispersion φ₀ (relative to binomial) of the baseline pods' and history's slices, fitted
     * across functions as the tests' is but never from a canary pod; NaN when no such pod has two slices.
     */
    static double baselineOverdispersion(MeasureData data, boolean[] excluded) {
        int m = data.candidates.length;
        double[] dispersion = new double[m];
        double[] sliceDf = new double[m];
        for (int c = 0; c < m; c++) {
            sliceDispersion(data, c, dispersion, sliceDf, true);
        }
        PriorFit fit = PriorFit.fit(only(dispersion, excluded), sliceDf, new double[m], ones(m), MIN_FUNCTIONS_FOR_FIT, 0);
        return fit == null ? Double.NaN : fit.level();
    }

    /**
     * The prior from between-group differences when nothing else shows pod noise: L_f = log(m_c / m_b)
     * with E[L_f²] = τ²(1/P_b + 1/P_c) + sampling, so L_f² ~ (τ² a + s_f)·F(1, d₀).
     */
    private static PriorFit acrossGroups(MeasureData data, boolean[] excluded, double[] phi, JudgeConfig config) {
        int m = data.candidates.length;
        double a = 1.0 / data.pb() + 1.0 / data.pc();
        double bb = data.samplingFactor(0);
        double bc = data.samplingFactor(1);
        double[] observed = new double[m];
        double[] known = new double[m];
        double[] factor = new double[m];
        double[] df = new double[m];
        for (int c = 0; c < m; c++) {
            double mb = data.groupMean[0][c];
            double mc = data.groupMean[1][c];
            factor[c] = a;
            df[c] = 1;
            if (excluded[c] || !(mb > 0) || !(mc > 0)) {
                observed[c] = Double.NaN;
                continue;
            }
            double l = Math.log(mc / mb);
            observed[c] = l * l;
            known[c] = phi[c] * (bb / mb + bc / mc);
        }
        PriorFit fit = PriorFit.fit(observed, df, known, factor, MIN_FUNCTIONS_FOR_FIT, LEVEL_FLOOR, true,
                PriorWidth.MEASURED.maxDf);
        if (fit == null) {
            return null;
        }
        // The bulk can show that pods agree only as precisely as its informative functions allow: with
        // few large functions (small profiles) a chance agreement reads as τ² = 0. So the level used is
        // the largest the bulk does not rule out — the fit plus 1.28 standard errors (one-sided 90 %;
        // Fisher information of the log-likelihood in τ², ½Σ(b/(τ²b + a))², widened by √(π/2) for a
        // median-based fit) — but never above the configured prior CV, and never below the fit.
        double information = 0;
        for (int c = 0; c < m; c++) {
            if (observed[c] > 0 && Double.isFinite(observed[c])) {
                double g = factor[c] / (fit.level() * factor[c] + known[c]);
                information += 0.5 * g * g;
            }
        }
        double upper = information > 0 ? fit.level() + UPPER_BOUND_Z * Math.sqrt(Math.PI / 2 / information)
                : Double.POSITIVE_INFINITY;
        double configured = config.priorBetweenInstanceCv() * config.priorBetweenInstanceCv();
        double level = Math.max(fit.level(), Math.min(configured, upper));
        return new PriorFit(level, fit.df(), fit.centre(), fit.spread(), fit.functions());
    }

    /** One-sided 90 % normal quantile: see {@link #acrossGroups}. */
    private static final double UPPER_BOUND_Z = 1.2816;

    /** {estimate, degrees of freedom} moderated towards the prior, or own when an outlier. */
    private static double[] moderate(double own, double ownDf, double prior, PriorFit fit) {
        if (!(ownDf > 0) || Double.isNaN(own)) {
            return new double[] {prior, fit.df()};
        }
        if (fit.outlier(own, prior)) {
            return new double[] {own, ownDf};
        }
        double d0 = fit.df();
        if (Double.isInfinite(d0)) {
            return new double[] {prior, d0};
        }
        return new double[] {(d0 * prior + ownDf * own) / (d0 + ownDf), d0 + ownDf};
    }

    /** Candidates (JVM-internal left out) whose slices give a dispersion estimate: some pod has them in 2+ slices. */
    private static int slicedFunctions(double[] sliceDf, boolean[] excluded) {
        int n = 0;
        for (int c = 0; c < sliceDf.length; c++) {
            n += !excluded[c] && sliceDf[c] > 0 ? 1 : 0;
        }
        return n;
    }

    /** Pearson dispersion of candidate c's slice values around their unit's value, relative to binomial. */
    private static void sliceDispersion(MeasureData data, int c, double[] dispersion, double[] df) {
        sliceDispersion(data, c, dispersion, df, false);
    }

    /** As {@link #sliceDispersion(MeasureData, int, double[], double[])}; canary pods left out when {@code baselineOnly}. */
    private static void sliceDispersion(MeasureData data, int c, double[] dispersion, double[] df, boolean baselineOnly) {
        double sum = 0;
        int[] slicesWithData = new int[data.units.count()];
        for (int i = 0; i < data.values.length; i++) {
            int u = data.unitOf[i];
            double mean = data.unitValue[u][c];
            if (data.units.slices()[u] < 2 || !(mean > 0)
                    || (baselineOnly && data.units.group()[u] == TypedObservation.CANARY)) {
                continue;
            }
            double w = data.valuePerSample[i] / data.denominators[i];
            double x = data.values[i][c] / data.denominators[i];
            sum += (x - mean) * (x - mean) / (mean * w);
            slicesWithData[u]++;
        }
        int degrees = 0;
        for (int n : slicesWithData) {
            degrees += Math.max(0, n - 1);
        }
        dispersion[c] = degrees > 0 ? sum / degrees : Double.NaN;
        df[c] = degrees;
    }

    /**
     * With one slice per pod, pod-to-pod variance mixes both noise levels: s² ≈ τ²·μ² + φ·μ·w, which
     * grow differently with a function's samples per pod: sampling noise dominates small functions,
     * pod noise large ones. The functions are split at the median level; for a given φ, τ² is matched
     * (median ratio = median of χ²_df/df) on the large half, and φ is the value (bisection over
     * 0.25–16 × binomial) at which the small half matches too. NaN when no group has two pods or too
     * few functions.
     */
    private static double jointOverdispersion(MeasureData data, boolean[] excluded) {
        int pods = data.units.pods();
        int df = (data.pb() - 1) + (data.pc() - 1);
        List<Integer> usable = new ArrayList<>();
        for (int c = 0; c < data.candidates.length; c++) {
            if (!excluded[c] && data.pooledMean(c) > 0) {
                usable.add(c);
            }
        }
        int m = usable.size();
        if (df < 1 || m < 4 * MIN_FUNCTIONS_FOR_FIT) {
            return Double.NaN;
        }
        double w = data.meanPodW();
        double[] s2 = new double[m];
        double[] mu = new double[m];
        for (int k = 0; k < m; k++) {
            int c = usable.get(k);
            mu[k] = data.pooledMean(c);
            double sum = 0;
            for (int u = 0; u < pods; u++) {
                double d = data.unitValue[u][c] - data.groupMean[data.units.group()[u]][c];
                sum += d * d;
            }
            s2[k] = sum / df;
        }
        Integer[] order = new Integer[m];
        for (int k = 0; k < m; k++) {
            order[k] = k;
        }
        Arrays.sort(order, Comparator.comparingDouble(k -> mu[k]));
        int half = m / 2;
        double target = new ChiSquaredDistribution(null, df).inverseCumulativeProbability(0.5) / df;
        double lo = Math.log(0.25);
        double hi = Math.log(16);
        for (int iteration = 0; iteration < 40; iteration++) {
            double mid = 0.5 * (lo + hi);
            double candidatePhi = Math.exp(mid);
            double k2 = matchTau2(s2, mu, w, candidatePhi, Arrays.copyOfRange(order, half, m), target);
            double[] ratios = new double[half];
            for (int i = 0; i < half; i++) {
                int k = order[i];
                ratios[i] = s2[k] / (k2 * mu[k] * mu[k] + candidatePhi * mu[k] * w);
            }
            if (TypeContext.median(ratios) > target) {
                lo = mid;
            } else {
                hi = mid;
            }
        }
        // Sampling cannot be less variable than counting: a fit below binomial is the fit's noise.
        return Math.max(1.0, Math.exp(0.5 * (lo + hi)));
    }

    private static double matchTau2(double[] s2, double[] mu, double w, double phi, Integer[] subset, double target) {
        DoubleUnaryOperator statistic = k2 -> {
            double[] ratios = new double[subset.length];
            for (int i = 0; i < subset.length; i++) {
                int k = subset[i];
                ratios[i] = s2[k] / (k2 * mu[k] * mu[k] + phi * mu[k] * w);
            }
            return TypeContext.median(ratios);
        };
        if (statistic.applyAsDouble(0) <= target) {
            return 0;
        }
        double lo = 0;
        double hi = 4;
        for (int iteration = 0; iteration < 60; iteration++) {
            double mid = 0.5 * (lo + hi);
            if (statistic.applyAsDouble(mid) > target) {
                lo = mid;
            } else {
                hi = mid;
            }
        }
        return 0.5 * (lo + hi);
    }

    private static String describe(Source source, Units units, JudgeConfig config, boolean ownData) {
        int pb = units.baselinePods();
        int pc = units.canaryPods();
        return switch (source) {
            case HISTORY -> String.format(Locale.ROOT, "history: %d earlier window(s) of %d instance(s)%s, and %d "
                            + "baseline + %d canary pod(s) within their groups", units.historyWindows(),
                    units.historyInstances(), units.sharedJvms() > 0
                            ? " (" + units.sharedJvms() + " of them the baseline pods' own JVMs)" : "", pb, pc);
            case WITHIN -> String.format(Locale.ROOT, "within-group pods only: the spread of %d baseline and %d "
                    + "canary pod(s)%s", pb, pc, units.hasHistory() ? " (the history added no comparable window)" : "");
            case ACROSS -> (!units.hasHistory() ? "prior only: no two pods of one group and no history"
                    : units.sharedJvms() == units.historyInstances() // NoiseEvidence.OWN_JVM_HISTORY_ONLY
                    // Earlier windows of the baseline pod's own JVM show how one JVM varied over time; JVM-to-JVM
                    // noise (JIT decisions, placement) needs another JVM, so more of that pod's windows cannot help.
                    ? "prior only: no two pods of one group, and the history (" + units.historyWindows() + " window(s), "
                    + "all of them earlier windows of the baseline pod's own JVM) shows how that JVM varied over time, not how JVMs differ (give other pods "
                    + "of the baseline version as history, two or more over the same windows)"
                    : "prior only: no two pods of one group, and the history (" + units.historyWindows()
                    + " window(s) of " + units.historyInstances() + " instance(s)) holds no two windows to compare "
                    + "(give two or more instances over the same windows, or two or more earlier windows of a pod)")
                    + ", so between-pod noise is fitted to the between-group differences of the bulk of functions "
                    + "(median-based: robust to changed ones)";
            case ASSUMED -> ownData
                    ? String.format(Locale.ROOT, "within-group pods only: the spread of %d baseline and %d canary "
                    + "pod(s), moderated towards an assumed between-pod CV of %.0f %% (too few functions to fit one)",
                    pb, pc, config.priorBetweenInstanceCv() * 100)
                    : String.format(Locale.ROOT, "prior only: too few functions to learn from; between-pod CV "
                    + "assumed %.0f %% (priorBetweenInstanceCv)", config.priorBetweenInstanceCv() * 100);
        };
    }

    private static double[] only(double[] values, boolean[] excluded) {
        double[] copy = values.clone();
        for (int c = 0; c < copy.length; c++) {
            if (excluded[c]) {
                copy[c] = Double.NaN;
            }
        }
        return copy;
    }

    private static double[] ones(int m) {
        double[] ones = new double[m];
        Arrays.fill(ones, 1.0);
        return ones;
    }
}
