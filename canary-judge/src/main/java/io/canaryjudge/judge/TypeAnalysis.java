package io.canaryjudge.judge;

import io.canaryjudge.profile.ProfileType;
import io.canaryjudge.verdict.Measure;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import org.apache.commons.math3.distribution.ChiSquaredDistribution;
import org.apache.commons.math3.distribution.NormalDistribution;
import org.apache.commons.math3.distribution.TDistribution;
import org.apache.commons.math3.special.Gamma;

/**
 * The statistics of one profile type: a two-level (pod, slice) noise model fitted across all
 * functions, and a moderated test per function on pod-level means.
 *
 * <p>Why this shape (DESIGN.md "The statistical problem"):
 * <ul>
 *   <li><b>The pod is the replicate.</b> Each function's value per pod is the pod's pooled ratio
 *   (Σ value / Σ denominator over its slices); group means average pods with equal weight.</li>
 *   <li><b>Noise model.</b> Var(pod value) = κ²·μ² + φ·μ·w: a between-pod (JVM) part with coefficient
 *   of variation κ, and overdispersed sampling noise, φ times binomial, where w is the pod's
 *   value-per-sample over its denominator. φ comes from slice-to-slice variation inside pods, κ² from
 *   pod-to-pod variation inside groups and, robustly, from the bulk of functions between groups
 *   (most functions do not change — the same assumption as median-of-ratios normalisation).
 *   Both are fitted once across all functions (robust medians), like edgeR/DESeq2 share dispersion
 *   across genes.</li>
 *   <li><b>Moderation.</b> Each function's own pod-level variance is shrunk towards the model with
 *   prior degrees of freedom estimated as in limma's eBayes (Smyth 2004, SAGMB 3:3), so a function
 *   that is noisier than the model (JIT inlining) is not over-trusted, and few pods still give power.</li>
 *   <li><b>Compositional shares.</b> Without request counts, shares are normalised by median-of-ratios
 *   size factors (Anders &amp; Huber 2010) so one function's change does not move every other share.
 *   With request counts, cost per request is compared instead.</li>
 * </ul>
 * Pure computation: no I/O, no clock.
 */
final class TypeAnalysis {
    private static final NormalDistribution NORMAL = new NormalDistribution(null, 0, 1);
    /** Functions needed to fit the global noise model; fewer and the configured prior is used. */
    static final int MIN_FUNCTIONS_FOR_FIT = 8;
    /**
     * A function is tested only when a pod is expected to hold at least this many of its samples
     * (at its pooled share). Below that its counts are a handful of discrete events: no test can
     * see a material change there, the normal approximation fails, and the test would only spend
     * the FDR budget. Like the share floor, it looks at the level, never at the difference.
     */
    static final double MIN_EXPECTED_SAMPLES_PER_POD = 10;
    /**
     * The between-group estimate of pod noise replaces the within-group one only when it is larger
     * by more than this many standard errors of the difference (see {@link #fitNoiseModel}).
     */
    static final double ACROSS_STANDARD_ERRORS = 3.0;
    /** The fitted κ² less this many standard errors is used (see {@link #fitKappa2}). */
    static final double KAPPA2_STANDARD_ERRORS_LESS = 1.0;

    private final ProfileType type;
    private final List<TypedObservation> observations;
    private final String[] functionNames;
    private final int[] instancesPerGroup;
    private final JudgeConfig config;
    /** Request counts known for every observation at comparable rates: the total per request is tested too. */
    private final boolean compareTotalPerRequest;

    // Fitted model, exposed for data quality.
    private double phi = Double.NaN;
    private double kappa2 = Double.NaN;
    private boolean kappaFromPrior;
    private double sizeFactorSpread = Double.NaN;
    private int testsRun;
    private final List<String> notes = new ArrayList<>();
    private double sumBaselineScale = Double.NaN;
    private double sumCanaryScale = Double.NaN;
    // Kept from run() for inclusiveGroupMeans(): the denominators the tests used and the pods.
    private double[] usedDenominators;
    private double[] usedPodDenominators;
    private int[] usedPodOf;
    private int[] usedPodGroup;
    private int[][] localIds;
    private boolean rawShares;

    TypeAnalysis(ProfileType type, List<TypedObservation> observations, String[] functionNames,
                 int[] instancesPerGroup, JudgeConfig config, boolean compareTotalPerRequest) {
        this.type = type;
        this.observations = observations;
        this.functionNames = functionNames;
        this.instancesPerGroup = instancesPerGroup;
        this.config = config;
        this.compareTotalPerRequest = compareTotalPerRequest;
    }

    double overdispersion() {
        return phi;
    }

    /** Estimated between-pod coefficient of variation of a function's value. */
    double betweenInstanceCv() {
        return Double.isNaN(kappa2) ? Double.NaN : Math.sqrt(kappa2);
    }

    boolean betweenInstanceFromPrior() {
        return kappaFromPrior;
    }

    int testsRun() {
        return testsRun;
    }

    List<String> notes() {
        return notes;
    }

    /** Runs the tests for every candidate function under self and inclusive (and the total per request). */
    List<FunctionTest> run() {
        int n = observations.size();
        int functions = functionNames.length;
        int pb = instancesPerGroup[0];
        int pc = instancesPerGroup[1];

        // Per-observation denominators: total × size factor (shares) or requests (cost per request).
        double[] denominators = new double[n];
        double[] valuePerSample = new double[n];
        for (int i = 0; i < n; i++) {
            TypedObservation o = observations.get(i);
            denominators[i] = o.total;
            valuePerSample[i] = o.valuePerSample();
        }

        // Candidate functions: pooled mean share over both groups (each group's pods weighted equally)
        // at or above the candidate floor. This looks at the level, never at the difference.
        double[][] meanSelfShare = groupMeanShares(true);
        double[][] meanInclShare = groupMeanShares(false);
        double samplesPerPod = Double.POSITIVE_INFINITY;
        for (int g = 0; g < 2; g++) {
            double samples = 0;
            for (TypedObservation o : observations) {
                if (o.group == g) {
                    samples += o.samples;
                }
            }
            samplesPerPod = Math.min(samplesPerPod, samples / instancesPerGroup[g]);
        }
        double minShareForCounts = MIN_EXPECTED_SAMPLES_PER_POD / samplesPerPod;
        int[] selfCandidates = candidates(meanSelfShare, minShareForCounts);
        int[] inclCandidates = withCallees(candidates(meanInclShare, minShareForCounts), selfCandidates,
                meanSelfShare, meanInclShare);

        double[][] selfValues = dense(selfCandidates, true);
        double[][] inclValues = dense(inclCandidates, false);

        {
            // Self values are the better basis (independent functions); flat profiles, where few
            // functions hold much self time, fall back to inclusive values.
            boolean selfEnough = presentEverywhere(selfValues, selfCandidates.length) >= 2 * MIN_FUNCTIONS_FOR_FIT;
            double[] sizeFactors = selfEnough ? sizeFactors(selfValues, selfCandidates.length, denominators)
                    : sizeFactors(inclValues, inclCandidates.length, denominators);
            for (int i = 0; i < n; i++) {
                denominators[i] *= sizeFactors[i];
            }
        }

        // Pod-level pooled denominators and sampling scales w_p = Σ u_i d_i / (Σ d_i)².
        int pods = pb + pc;
        int[] podOf = new int[n];
        double[] podDenominator = new double[pods];
        double[] podUd = new double[pods];
        int[] podSlices = new int[pods];
        int[] podGroup = new int[pods];
        for (int i = 0; i < n; i++) {
            TypedObservation o = observations.get(i);
            int pod = o.group == 0 ? o.instance : pb + o.instance;
            podOf[i] = pod;
            podGroup[pod] = o.group;
            podDenominator[pod] += denominators[i];
            podUd[pod] += valuePerSample[i] * denominators[i];
            podSlices[pod]++;
        }
        usedDenominators = denominators;
        usedPodDenominators = podDenominator;
        usedPodOf = podOf;
        usedPodGroup = podGroup;
        double[] podW = new double[pods];
        for (int p = 0; p < pods; p++) {
            podW[p] = podUd[p] / (podDenominator[p] * podDenominator[p]);
        }
        double sumWb = 0;
        double sumWc = 0;
        for (int p = 0; p < pods; p++) {
            if (podGroup[p] == 0) {
                sumWb += podW[p];
            } else {
                sumWc += podW[p];
            }
        }
        sumBaselineScale = sumWb;
        sumCanaryScale = sumWc;

        double scale = 1.0;

        // Functions are always compared as composition-normalised shares, also when request counts are
        // known: a pod's speed (CPU model, frequency, noisy neighbours) scales every function's cost per
        // request alike, which the normalisation cancels and per-request costs do not (recorded
        // cpu-regression-30: between-pod CV 13 % per request vs 10 % in shares; +27 % found only in
        // shares). Request counts serve the total cost per request (COST_PER_REQUEST).
        Measure selfMeasure = Measure.SELF;
        Measure inclMeasure = Measure.INCLUSIVE;

        MeasureData self = new MeasureData(selfCandidates, selfValues, denominators, valuePerSample, podOf, podGroup,
                podDenominator, podSlices, podW, pb, pc);
        MeasureData incl = new MeasureData(inclCandidates, inclValues, denominators, valuePerSample, podOf, podGroup,
                podDenominator, podSlices, podW, pb, pc);

        // One noise model per type, fitted on self values (the bulk of functions; inclusive values of
        // ancestors are dominated by their children and would count the same noise many times).
        fitNoiseModel(self.candidates.length >= 2 * MIN_FUNCTIONS_FOR_FIT || self.candidates.length >= incl.candidates.length
                ? self : incl);

        List<FunctionTest> tests = new ArrayList<>();
        tests.addAll(test(self, selfMeasure, scale));
        tests.addAll(test(incl, inclMeasure, scale));
        if (compareTotalPerRequest) {
            FunctionTest total = totalPerRequest(pb, pc, podGroup);
            if (total != null) {
                tests.add(total);
            }
        }
        testsRun = tests.size();
        return tests;
    }

    /**
     * True when the tests compared raw shares of the total (no size factors: too few functions):
     * then a rise of Δ in one function raises an ancestor holding share A by only Δ·(1 − A)/(1 − p).
     */
    boolean rawShares() {
        return rawShares;
    }

    /**
     * Baseline and canary group means of one function's inclusive value, in the measure the tests
     * used (normalised share or value per request), and [2] the standard error of their difference
     * under the fitted noise model; for checks on callers of a finding.
     */
    double[] inclusiveGroupMeans(int function) {
        return groupMeans(function, false);
    }

    /** As {@link #inclusiveGroupMeans}, of the function's self value. */
    double[] selfGroupMeans(int function) {
        return groupMeans(function, true);
    }

    private double[] groupMeans(int function, boolean self) {
        if (localIds == null) {
            localIds = new int[observations.size()][];
        }
        int pods = usedPodDenominators.length;
        double[] podValue = new double[pods];
        for (int i = 0; i < observations.size(); i++) {
            TypedObservation o = observations.get(i);
            if (localIds[i] == null) {
                int[] reverse = new int[functionNames.length];
                Arrays.fill(reverse, -1);
                for (int local = 0; local < o.globalIds.length; local++) {
                    reverse[o.globalIds[local]] = local;
                }
                localIds[i] = reverse;
            }
            int local = localIds[i][function];
            if (local >= 0) {
                podValue[usedPodOf[i]] += self ? o.totals.self(local) : o.totals.inclusive(local);
            }
        }
        double[] means = new double[3];
        for (int p = 0; p < pods; p++) {
            int g = usedPodGroup[p];
            means[g] += podValue[p] / usedPodDenominators[p] / instancesPerGroup[g];
        }
        // [2]: standard error of canary − baseline under the fitted noise model, at the pooled level.
        int pb = instancesPerGroup[0];
        int pc = instancesPerGroup[1];
        double level = 0.5 * (means[0] + means[1]);
        double variance = kappa2 * level * level * (1.0 / pb + 1.0 / pc)
                + phi * level * (sumBaselineScale / ((double) pb * pb) + sumCanaryScale / ((double) pc * pc));
        means[2] = Math.sqrt(Math.max(variance, 0));
        return means;
    }

    // ----------------------------------------------------------------------------------------------
    // Data preparation

    /** [group][function] mean over the group's pods of the pod's pooled share. */
    private double[][] groupMeanShares(boolean self) {
        int functions = functionNames.length;
        int pb = instancesPerGroup[0];
        int pods = pb + instancesPerGroup[1];
        double[][] podValue = new double[pods][];
        double[] podTotal = new double[pods];
        int[] podGroup = new int[pods];
        for (TypedObservation o : observations) {
            int pod = o.group == 0 ? o.instance : pb + o.instance;
            podGroup[pod] = o.group;
            if (podValue[pod] == null) {
                podValue[pod] = new double[functions];
            }
            double[] values = podValue[pod];
            for (int local = 0; local < o.globalIds.length; local++) {
                long v = self ? o.totals.self(local) : o.totals.inclusive(local);
                if (v != 0) {
                    values[o.globalIds[local]] += v;
                }
            }
            podTotal[pod] += o.total;
        }
        double[][] mean = new double[2][functions];
        for (int p = 0; p < pods; p++) {
            if (podValue[p] == null || podTotal[p] <= 0) {
                continue;
            }
            int g = podGroup[p];
            double weight = 1.0 / instancesPerGroup[g] / podTotal[p];
            double[] values = podValue[p];
            for (int f = 0; f < functions; f++) {
                mean[g][f] += values[f] * weight;
            }
        }
        return mean;
    }

    private int[] candidates(double[][] meanShare, double minShareForCounts) {
        int functions = functionNames.length;
        int[] chosen = new int[functions];
        int count = 0;
        for (int f = 0; f < functions; f++) {
            double pooled = 0.5 * (meanShare[0][f] + meanShare[1][f]);
            if (pooled <= 0 || pooled < minShareForCounts) {
                continue;
            }
            String name = functionNames[f];
            if (pooled >= config.thresholdsFor(name).candidateShare() && !config.ignored(name)) {
                chosen[count++] = f;
            }
        }
        return Arrays.copyOf(chosen, count);
    }

    /**
     * Inclusive candidates whose callees carry at least 10 % of their inclusive value: for the
     * others (leaves, mostly) the inclusive test repeats the self test and would only spend the
     * false-discovery budget twice.
     */
    private static int[] withCallees(int[] inclusive, int[] self, double[][] meanSelf, double[][] meanIncl) {
        java.util.Set<Integer> selfSet = new java.util.HashSet<>();
        for (int f : self) {
            selfSet.add(f);
        }
        return Arrays.stream(inclusive).filter(f -> {
            double incl = meanIncl[0][f] + meanIncl[1][f];
            double own = meanSelf[0][f] + meanSelf[1][f];
            return !selfSet.contains(f) || incl > own * (1 / 0.9);
        }).toArray();
    }

    /** [observation][candidate] values (self or inclusive), in the type's unit. */
    private double[][] dense(int[] candidates, boolean self) {
        int[] slot = new int[functionNames.length];
        Arrays.fill(slot, -1);
        for (int c = 0; c < candidates.length; c++) {
            slot[candidates[c]] = c;
        }
        double[][] values = new double[observations.size()][candidates.length];
        for (int i = 0; i < observations.size(); i++) {
            TypedObservation o = observations.get(i);
            for (int local = 0; local < o.globalIds.length; local++) {
                int c = slot[o.globalIds[local]];
                if (c >= 0) {
                    values[i][c] = self ? o.totals.self(local) : o.totals.inclusive(local);
                }
            }
        }
        return values;
    }

    private static int presentEverywhere(double[][] values, int candidates) {
        int count = 0;
        for (int c = 0; c < candidates; c++) {
            boolean present = true;
            for (int i = 0; i < values.length && present; i++) {
                present = values[i][c] > 0;
            }
            if (present) {
                count++;
            }
        }
        return count;
    }

    /**
     * Median-of-ratios size factors (Anders &amp; Huber 2010): for functions present in every
     * observation, the median over functions of log(share / geometric-mean share) is the
     * observation's compositional shift; assuming most functions did not change, dividing by it
     * keeps one function's change from moving every other share. Geometric mean of factors is 1.
     */
    private double[] sizeFactors(double[][] values, int candidates, double[] totals) {
        int n = values.length;
        double[] factors = new double[n];
        Arrays.fill(factors, 1.0);
        List<Integer> everywhere = new ArrayList<>();
        for (int c = 0; c < candidates; c++) {
            boolean present = true;
            for (int i = 0; i < n && present; i++) {
                present = values[i][c] > 0;
            }
            if (present) {
                everywhere.add(c);
            }
        }
        if (everywhere.size() < MIN_FUNCTIONS_FOR_FIT) {
            rawShares = true;
            notes.add("shares not normalised for composition: only " + everywhere.size()
                    + " functions are present in every observation");
            return factors;
        }
        double[] logGeoMean = new double[everywhere.size()];
        for (int k = 0; k < everywhere.size(); k++) {
            int c = everywhere.get(k);
            double sum = 0;
            for (int i = 0; i < n; i++) {
                sum += Math.log(values[i][c] / totals[i]);
            }
            logGeoMean[k] = sum / n;
        }
        double[] logFactors = new double[n];
        double[] ratios = new double[everywhere.size()];
        for (int i = 0; i < n; i++) {
            for (int k = 0; k < everywhere.size(); k++) {
                ratios[k] = Math.log(values[i][everywhere.get(k)] / totals[i]) - logGeoMean[k];
            }
            logFactors[i] = median(ratios);
        }
        double centre = Arrays.stream(logFactors).average().orElse(0);
        double min = Double.POSITIVE_INFINITY;
        double max = Double.NEGATIVE_INFINITY;
        for (int i = 0; i < n; i++) {
            factors[i] = Math.exp(logFactors[i] - centre);
            min = Math.min(min, factors[i]);
            max = Math.max(max, factors[i]);
        }
        sizeFactorSpread = max / min;
        return factors;
    }

    // ----------------------------------------------------------------------------------------------
    // Noise model

    /** Values of one measure, pooled per pod, for the candidate functions. */
    private static final class MeasureData {
        final int[] candidates;
        final double[][] values; // [observation][candidate]
        final double[] denominators;
        final double[] valuePerSample;
        final int[] podOf;
        final int[] podGroup;
        final double[] podDenominator;
        final int[] podSlices;
        final double[] podW;
        final int pb;
        final int pc;
        final double[][] podValue; // [pod][candidate] pooled ratio
        final double[][] groupMean; // [group][candidate]

        MeasureData(int[] candidates, double[][] values, double[] denominators, double[] valuePerSample, int[] podOf,
                    int[] podGroup, double[] podDenominator, int[] podSlices, double[] podW, int pb, int pc) {
            this.candidates = candidates;
            this.values = values;
            this.denominators = denominators;
            this.valuePerSample = valuePerSample;
            this.podOf = podOf;
            this.podGroup = podGroup;
            this.podDenominator = podDenominator;
            this.podSlices = podSlices;
            this.podW = podW;
            this.pb = pb;
            this.pc = pc;
            int pods = pb + pc;
            int m = candidates.length;
            podValue = new double[pods][m];
            for (int i = 0; i < values.length; i++) {
                double[] row = values[i];
                double[] target = podValue[podOf[i]];
                for (int c = 0; c < m; c++) {
                    target[c] += row[c];
                }
            }
            groupMean = new double[2][m];
            for (int p = 0; p < pods; p++) {
                double[] row = podValue[p];
                int g = podGroup[p];
                int groupPods = g == 0 ? pb : pc;
                for (int c = 0; c < m; c++) {
                    row[c] /= podDenominator[p];
                    groupMean[g][c] += row[c] / groupPods;
                }
            }
        }

        boolean hasData() {
            return candidates.length > 0;
        }

        double pooledMean(int c) {
            return 0.5 * (groupMean[0][c] + groupMean[1][c]);
        }

        /** Σ over the group's pods of w_p, divided by P_g². */
        double samplingFactor(int group) {
            double sum = 0;
            int groupPods = group == 0 ? pb : pc;
            for (int p = 0; p < podW.length; p++) {
                if (podGroup[p] == group) {
                    sum += podW[p];
                }
            }
            return sum / ((double) groupPods * groupPods);
        }

        double meanPodW() {
            return Arrays.stream(podW).average().orElse(0);
        }

        int withinGroupDf() {
            return (pb - 1) + (pc - 1);
        }

        /** Pooled within-group variance of pod values for candidate c. */
        double withinGroupVariance(int c) {
            double sum = 0;
            for (int p = 0; p < podValue.length; p++) {
                double d = podValue[p][c] - groupMean[podGroup[p]][c];
                sum += d * d;
            }
            return sum / withinGroupDf();
        }
    }

    private void fitNoiseModel(MeasureData data) {
        phi = estimateOverdispersion(data);
        if (Double.isNaN(phi)) {
            phi = fitOverdispersionFromPods(data);
            if (Double.isNaN(phi)) {
                phi = 1.0;
                notes.add("no pod has two or more slices: sampling noise assumed binomial (overdispersion 1)");
            } else {
                notes.add(String.format(java.util.Locale.ROOT, "no pod has two or more slices: sampling overdispersion "
                        + "(%.1f× binomial) fitted with pod noise from how pod-to-pod variance grows with a function's samples", phi));
            }
        }
        Kappa2Fit within = estimateKappa2Within(data);
        Kappa2Fit across = estimateKappa2Across(data);
        if (within == null && across == null) {
            kappa2 = config.priorBetweenInstanceCv() * config.priorBetweenInstanceCv();
            kappaFromPrior = true;
            notes.add("too few functions to estimate between-pod noise: assumed a coefficient of variation of "
                    + Math.round(config.priorBetweenInstanceCv() * 100) + " %");
        } else if (within == null) {
            kappa2 = across.used();
        } else if (across == null) {
            kappa2 = within.used();
        } else if (across.estimate() - within.estimate()
                > ACROSS_STANDARD_ERRORS * Math.hypot(across.standardError(), within.standardError())) {
            // Baseline and canary pods differ more than pods within a group do, across the bulk of
            // functions (old vs young JVMs, different nodes): that spread is noise for every test.
            // Decided on the two fits and their standard errors, not on the ratio of the values the
            // tests use: those are one standard error lower and often 0 when pods agree, so any chance
            // excess of the across fit over a 0 replaced the within fit (key example with 10 pods × 1
            // slice, κ = 0 truly: in 66 of 300 cases; detection 74.4 % → 77.4 %, docs/EVALUATION.md).
            kappa2 = across.used();
            notes.add(String.format(java.util.Locale.ROOT,
                    "baseline and canary pods differ more across the board (CV %.0f %%) than pods within a group "
                            + "(CV %.0f %%): the larger noise is used", Math.sqrt(across.estimate()) * 100,
                    Math.sqrt(within.estimate()) * 100));
        } else {
            kappa2 = within.used();
        }
    }

    /**
     * With one slice per pod, pod-to-pod variance mixes both noise levels: s² ≈ κ²·μ² + φ·μ·w. The two
     * terms grow differently with a function's expected samples per pod (n = μ/w): sampling noise
     * dominates small functions, pod noise large ones. So the functions are split at the median n;
     * for a given φ, κ² is matched (median ratio = median of χ²_df/df) on the large half, and φ is
     * the value (bisection over 0.25–16 × binomial) at which the small half matches too.
     * NaN when no group has two pods or too few functions.
     */
    private double fitOverdispersionFromPods(MeasureData data) {
        int df = data.withinGroupDf();
        int m = data.candidates.length;
        if (df < 1 || m < 4 * MIN_FUNCTIONS_FOR_FIT) {
            return Double.NaN;
        }
        double w = data.meanPodW();
        Integer[] order = new Integer[m];
        double[] s2 = new double[m];
        double[] mu = new double[m];
        for (int c = 0; c < m; c++) {
            order[c] = c;
            s2[c] = data.withinGroupVariance(c);
            mu[c] = data.pooledMean(c);
        }
        Arrays.sort(order, java.util.Comparator.comparingDouble(c -> mu[c]));
        int half = m / 2;
        int[] small = new int[half];
        int[] large = new int[m - half];
        for (int i = 0; i < m; i++) {
            if (i < half) {
                small[i] = order[i];
            } else {
                large[i - half] = order[i];
            }
        }
        double target = new ChiSquaredDistribution(null, df).inverseCumulativeProbability(0.5) / df;
        double lo = Math.log(0.25);
        double hi = Math.log(16);
        for (int iteration = 0; iteration < 40; iteration++) {
            double mid = 0.5 * (lo + hi);
            double candidatePhi = Math.exp(mid);
            double k2 = matchKappa2(s2, mu, w, candidatePhi, large, target);
            double[] ratios = new double[small.length];
            for (int i = 0; i < small.length; i++) {
                int c = small[i];
                ratios[i] = s2[c] / (k2 * mu[c] * mu[c] + candidatePhi * mu[c] * w);
            }
            if (median(ratios) > target) {
                lo = mid; // small functions vary more than this φ explains
            } else {
                hi = mid;
            }
        }
        return Math.exp(0.5 * (lo + hi));
    }

    private static double matchKappa2(double[] s2, double[] mu, double w, double phi, int[] subset, double target) {
        return solveKappa2(k2 -> {
            double[] ratios = new double[subset.length];
            for (int i = 0; i < subset.length; i++) {
                int c = subset[i];
                ratios[i] = s2[c] / (k2 * mu[c] * mu[c] + phi * mu[c] * w);
            }
            return median(ratios);
        }, target);
    }

    /**
     * φ: slice-to-slice variance inside pods relative to binomial sampling, the robust median over
     * candidate functions of their Pearson dispersion statistic, divided by the median of χ²_d/d so
     * that a median is an unbiased centre. NaN when no pod has two slices.
     */
    private static double estimateOverdispersion(MeasureData data) {
        int df = 0;
        for (int p = 0; p < data.podSlices.length; p++) {
            df += Math.max(0, data.podSlices[p] - 1);
        }
        if (df == 0 || data.candidates.length < 1) {
            return Double.NaN;
        }
        double[] stats = new double[data.candidates.length];
        int count = 0;
        for (int c = 0; c < data.candidates.length; c++) {
            double sum = 0;
            boolean usable = true;
            for (int i = 0; i < data.values.length; i++) {
                int pod = data.podOf[i];
                if (data.podSlices[pod] < 2) {
                    continue;
                }
                double mean = data.podValue[pod][c];
                double w = data.valuePerSample[i] / data.denominators[i];
                if (mean <= 0) {
                    continue;
                }
                double x = data.values[i][c] / data.denominators[i];
                sum += (x - mean) * (x - mean) / (mean * w);
            }
            if (usable) {
                stats[count++] = sum / df;
            }
        }
        if (count == 0) {
            return Double.NaN;
        }
        double medianStat = median(Arrays.copyOf(stats, count));
        double medianChi = new ChiSquaredDistribution(null, df).inverseCumulativeProbability(0.5) / df;
        return Math.max(medianStat / medianChi, 1e-3);
    }

    /** κ² from pod-to-pod variation inside groups; null when no group has two pods. */
    private Kappa2Fit estimateKappa2Within(MeasureData data) {
        int df = data.withinGroupDf();
        if (df < 1 || data.candidates.length < MIN_FUNCTIONS_FOR_FIT) {
            return null;
        }
        int m = data.candidates.length;
        double[] s2 = new double[m];
        double[] mu = new double[m];
        double[] sampling = new double[m];
        double w = data.meanPodW();
        for (int c = 0; c < m; c++) {
            s2[c] = data.withinGroupVariance(c);
            mu[c] = data.pooledMean(c);
            sampling[c] = phi * mu[c] * w;
        }
        // s²_c ~ V_c χ²_df / df with V_c = κ²μ_c² + φμ_c w.
        return fitKappa2(s2, mu, 1.0, sampling, df);
    }

    /**
     * κ² from the differences between groups, robustly: most functions do not change, so their
     * squared differences are noise, d_c² ~ V_c χ²₁ with V_c = κ²μ_c²(1/P_b + 1/P_c) + φμ_c(B_b + B_c).
     * Works with one pod per side, where nothing else can see between-pod noise.
     */
    private Kappa2Fit estimateKappa2Across(MeasureData data) {
        int m = data.candidates.length;
        if (m < MIN_FUNCTIONS_FOR_FIT) {
            return null;
        }
        double a = 1.0 / data.pb + 1.0 / data.pc;
        double b = data.samplingFactor(0) + data.samplingFactor(1);
        double[] d2 = new double[m];
        double[] mu = new double[m];
        double[] sampling = new double[m];
        for (int c = 0; c < m; c++) {
            double d = data.groupMean[1][c] - data.groupMean[0][c];
            d2[c] = d * d;
            mu[c] = data.pooledMean(c);
            sampling[c] = phi * mu[c] * b;
        }
        return fitKappa2(d2, mu, a, sampling, 1);
    }

    /**
     * A fitted κ² and its standard error.
     *
     * @param estimate      the fitted κ²
     * @param standardError from the Fisher information at the estimate; infinite when it carries none
     */
    private record Kappa2Fit(double estimate, double standardError) {
        /** The value the tests use: the estimate less one standard error, never below 0 (see {@link #fitKappa2}). */
        double used() {
            return Double.isFinite(standardError)
                    ? Math.max(0, estimate - KAPPA2_STANDARD_ERRORS_LESS * standardError) : estimate;
        }
    }

    /**
     * Fits κ² to variances {@code observed[c] ~ V_c χ²_df / df}, V_c = κ²·μ_c²·{@code podFactor} +
     * {@code sampling[c]}, across functions; the tests use it less one standard error (never below 0).
     *
     * <p>The fit matches the weighted trimmed mean of the ratios observed/V to its expectation
     * under the model: the largest 10 % of the ratios are left out (changed functions, JIT
     * outliers), and each function weighs what it tells about κ² (the likelihood's score weight
     * μ²/V): with one pod per side only large functions, whose sampling noise is small, can show pod
     * noise at all. Unweighted, the chance excess of ~190 small functions' ratios was read as pod
     * noise: with κ = 0 truly the fit gave κ̂² twice as large on average (docs/EVALUATION.md).
     *
     * <p>Less one standard error (from the Fisher information (df/2)·Σ(μ²·podFactor/V)²): κ̂² is
     * noisy when pods are few, and every test pays for an overestimate in power while an
     * underestimate of one standard error costs little size — measured over the evaluation grid,
     * A/A false FAILs stayed ≤ 0.8 % in every design while detection rose 4–11 points.
     */
    private static Kappa2Fit fitKappa2(double[] observed, double[] mu, double podFactor, double[] sampling, int df) {
        int m = observed.length;
        double k2hat = solveKappa2(k2 -> {
            double[] ratios = new double[m];
            double[] weights = new double[m];
            for (int c = 0; c < m; c++) {
                double v = k2 * mu[c] * mu[c] * podFactor + sampling[c];
                ratios[c] = observed[c] / v;
                weights[c] = mu[c] * mu[c] * podFactor / v;
            }
            return weightedTrimmedMean(ratios, weights);
        }, trimmedChiSquareMean(df));
        double information = 0;
        for (int c = 0; c < m; c++) {
            double g = mu[c] * mu[c] * podFactor / (k2hat * mu[c] * mu[c] * podFactor + sampling[c]);
            information += 0.5 * df * g * g;
        }
        return new Kappa2Fit(k2hat, information > 0 ? 1 / Math.sqrt(information) : Double.POSITIVE_INFINITY);
    }

    /** Smallest κ² in [0, 4] (CV up to 200 %) at which the decreasing statistic falls to the target. */
    private static double solveKappa2(java.util.function.DoubleUnaryOperator statistic, double target) {
        if (statistic.applyAsDouble(0) <= target) {
            return 0;
        }
        double lo = 0;
        double hi = 4;
        if (statistic.applyAsDouble(hi) > target) {
            return hi;
        }
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

    // ----------------------------------------------------------------------------------------------
    // Tests

    private List<FunctionTest> test(MeasureData data, Measure measure, double scale) {
        int m = data.candidates.length;
        List<FunctionTest> tests = new ArrayList<>(m);
        if (m == 0) {
            return tests;
        }
        double ab = 1.0 / data.pb;
        double ac = 1.0 / data.pc;
        double bb = data.samplingFactor(0);
        double bc = data.samplingFactor(1);
        double wMean = data.meanPodW();
        int df = data.withinGroupDf();

        // Per-function moderation of the pod-level variance (limma eBayes with a model-based prior).
        double[] ratio = new double[m];
        double d0 = Double.POSITIVE_INFINITY;
        if (df >= 1) {
            for (int c = 0; c < m; c++) {
                double mu = data.pooledMean(c);
                double prior = kappa2 * mu * mu + phi * mu * wMean;
                ratio[c] = prior > 0 ? data.withinGroupVariance(c) / prior : 1.0;
            }
            d0 = priorDegreesOfFreedom(ratio, df);
        }
        // Per-function slice-to-slice dispersion, shrunk towards the global φ the same way: a
        // function whose share swings with the workload mix between windows (real services do
        // this; the Kafka fixtures show it) gets its own, larger sampling noise.
        int sliceDf = sliceDegreesOfFreedom(data);
        double[] phiRatio = new double[m];
        Arrays.fill(phiRatio, 1.0);
        double d0Slices = Double.POSITIVE_INFINITY;
        if (sliceDf >= 1) {
            for (int c = 0; c < m; c++) {
                double dispersion = functionDispersion(data, c, sliceDf);
                phiRatio[c] = Double.isNaN(dispersion) ? 1.0 : dispersion / phi;
            }
            d0Slices = priorDegreesOfFreedom(phiRatio, sliceDf);
        }
        // Degrees of freedom of the two variance parts: the pod part's (κ² shared across functions,
        // the function's own pod-level variance moderated with prior df d₀) and the sampling part's
        // (φ shared, the function's own slice dispersion moderated with prior df d₀ˢ).
        double dfPodPart = d0 + df;
        double dfSamplingPart = d0Slices + sliceDf;
        // A pod-level variance ratio beyond the 99.9th percentile of what the model predicts marks
        // a function as an outlier (with ~150 functions, about 0.15 expected by chance).
        double outlierRatio = df >= 1 ? (Double.isInfinite(d0)
                ? new ChiSquaredDistribution(null, df).inverseCumulativeProbability(0.999) / df
                : new org.apache.commons.math3.distribution.FDistribution(null, df, d0).inverseCumulativeProbability(0.999))
                : Double.POSITIVE_INFINITY;
        // Functions that keep their own pod-level variance are tested with its own df (the same for all).
        TDistribution ownVarianceT = df >= 1 ? new TDistribution(null, df) : null;
        double epsilon = 0.5 * wMean;
        for (int c = 0; c < m; c++) {
            String name = functionNames[data.candidates[c]];
            double mb = data.groupMean[0][c];
            double mc = data.groupMean[1][c];
            double moderation = 1.0;
            boolean ownVariance = false;
            if (df >= 1) {
                moderation = Double.isInfinite(d0) ? 1.0 : (d0 + df * ratio[c]) / (d0 + df);
                if (ratio[c] > outlierRatio) {
                    // Far noisier across pods than the shared model allows (a JIT decision that some
                    // JVMs take and others not: seen in the recorded A/A, one function's self share
                    // 0.7 % in two pods and 1.7–2.0 % in four): shrinking would hide that, so the
                    // function keeps its own variance and its own few degrees of freedom (robust
                    // empirical Bayes, as limma's robust=TRUE).
                    moderation = Math.max(moderation, ratio[c]);
                    ownVariance = true;
                }
            }
            // The test is on the log ratio of the group means. Pod (JVM) noise is multiplicative, so on
            // this scale its variance κ²·(1/P_b + 1/P_c) does not depend on the function's level, and
            // the statistic is symmetric in the groups. (Evaluating a difference against the noise at
            // the baseline's level was ~10 points more powerful but FAILed 2.6 % of simulated A/A
            // canaries with one pod per side: a low baseline draw both enlarges the difference and
            // shrinks its variance. docs/EVALUATION.md.) Sampling adds φ·B_g/mean_g per group; half a
            // sample's worth (epsilon) keeps functions absent in one group finite and uncertain.
            double phiC = Double.isInfinite(d0Slices) ? phi
                    : phi * (d0Slices + sliceDf * phiRatio[c]) / (d0Slices + sliceDf);
            double logRatio = Math.log(mc + epsilon) - Math.log(mb + epsilon);
            double podPart = moderation * kappa2 * (ab + ac);
            double samplingPart = moderation * phiC * (bb / (mb + epsilon) + bc / (mc + epsilon));
            double varLog = podPart + samplingPart;
            double varAlt = moderation * (kappa2 * (mb * mb * ab + mc * mc * ac) + phiC * (mb * bb + mc * bc));
            double diff = mc - mb;
            // Welch–Satterthwaite: each variance part brings its own uncertainty, in proportion to its
            // size. (Taking the smaller of the two dfs for every function, as before, gave a function
            // whose variance is mostly pod noise the heavy tails of the sampling part's t: with a
            // slice rate CV c = 0.08, t(67) instead of the normal. docs/EVALUATION.md.) A function with
            // its own variance keeps its own few degrees of freedom.
            TDistribution reference = ownVariance ? ownVarianceT
                    : tDistribution(satterthwaite(podPart, dfPodPart, samplingPart, dfSamplingPart));
            double p;
            if (!(varLog > 0)) {
                p = Double.NaN;
            } else {
                double stat = logRatio / Math.sqrt(varLog);
                p = reference == null ? 2 * NORMAL.cumulativeProbability(-Math.abs(stat))
                        : 2 * reference.cumulativeProbability(-Math.abs(stat));
            }
            double critical = reference == null ? 1.959963984540054 : reference.inverseCumulativeProbability(0.975);
            double half = critical * Math.sqrt(Math.max(varAlt, 0));
            tests.add(new FunctionTest(type, name, measure, mb, mc, scale, p, diff - half, diff + half,
                    config.thresholdsFor(name)));
        }
        return tests;
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
    private static TDistribution tDistribution(double df) {
        return df > 1e6 || Double.isNaN(df) ? null : new TDistribution(null, Math.max(df, 1));
    }

    private static int sliceDegreesOfFreedom(MeasureData data) {
        int df = 0;
        for (int p = 0; p < data.podSlices.length; p++) {
            df += Math.max(0, data.podSlices[p] - 1);
        }
        return df;
    }

    /** Pearson dispersion of one function's slice values around its pod values, relative to binomial. */
    private static double functionDispersion(MeasureData data, int c, int df) {
        double sum = 0;
        for (int i = 0; i < data.values.length; i++) {
            int pod = data.podOf[i];
            if (data.podSlices[pod] < 2) {
                continue;
            }
            double mean = data.podValue[pod][c];
            if (mean <= 0) {
                continue;
            }
            double w = data.valuePerSample[i] / data.denominators[i];
            double x = data.values[i][c] / data.denominators[i];
            sum += (x - mean) * (x - mean) / (mean * w);
        }
        return sum / df;
    }

    /**
     * Prior degrees of freedom d₀ of the per-function variance ratios, by limma's moment method
     * (Smyth 2004): var(log ratio) beyond what χ²_df sampling explains is trigamma(d₀/2).
     * Infinite when the ratios are no more spread than sampling explains (the model fits every function).
     */
    private static double priorDegreesOfFreedom(double[] ratios, int df) {
        double[] z = Arrays.stream(ratios).filter(r -> r > 0 && Double.isFinite(r)).map(Math::log).toArray();
        if (z.length < MIN_FUNCTIONS_FOR_FIT) {
            return Double.POSITIVE_INFINITY;
        }
        double mean = Arrays.stream(z).average().orElse(0);
        double var = Arrays.stream(z).map(v -> (v - mean) * (v - mean)).sum() / (z.length - 1);
        double m4 = Arrays.stream(z).map(v -> Math.pow(v - mean, 4)).sum() / z.length;
        // Standard error of the sample variance (from the fourth moment): with ~150 functions and
        // few pods, sampling alone leaves var(log ratio) ~0.1 above trigamma, which would read as
        // d0 ~ 20 and give every function a heavy-tailed t. Only spread clearly beyond sampling
        // (two standard errors) is taken as real heterogeneity between functions.
        double se = Math.sqrt(Math.max(m4 - var * var, 0) / z.length);
        double excess = var - Gamma.trigamma(df / 2.0) - 2 * se;
        if (excess <= 0) {
            return Double.POSITIVE_INFINITY;
        }
        return 2 * trigammaInverse(excess);
    }

    /** Solves trigamma(y) = x for y > 0 (Newton's method as in limma's trigammaInverse). */
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

    /**
     * Total cost per request of each pod (Σ value / Σ requests), compared between groups with a
     * t-test whose pod-level variance is shrunk towards the configured between-pod CV (2 prior
     * degrees of freedom), since few pods say little about their own spread.
     */
    private FunctionTest totalPerRequest(int pb, int pc, int[] podGroupOfPod) {
        int pods = pb + pc;
        double[] value = new double[pods];
        double[] requests = new double[pods];
        for (TypedObservation o : observations) {
            int pod = o.group == 0 ? o.instance : pb + o.instance;
            value[pod] += o.total;
            requests[pod] += o.requests;
        }
        double[] mean = new double[2];
        for (int p = 0; p < pods; p++) {
            mean[podGroupOfPod[p]] += value[p] / requests[p] / (podGroupOfPod[p] == 0 ? pb : pc);
        }
        int df = (pb - 1) + (pc - 1);
        double ss = 0;
        for (int p = 0; p < pods; p++) {
            double d = value[p] / requests[p] - mean[podGroupOfPod[p]];
            ss += d * d;
        }
        double mu = 0.5 * (mean[0] + mean[1]);
        double prior = Math.pow(Math.max(config.priorBetweenInstanceCv(), 0.01) * mu, 2);
        double priorDf = 2;
        double var = (priorDf * prior + ss) / (priorDf + df);
        double se = Math.sqrt(var * (1.0 / pb + 1.0 / pc));
        TDistribution t = new TDistribution(null, priorDf + df);
        double diff = mean[1] - mean[0];
        double p = se > 0 ? 2 * t.cumulativeProbability(-Math.abs(diff / se)) : Double.NaN;
        double half = t.inverseCumulativeProbability(0.975) * se;
        double scale = mean[0] > 0 ? 1.0 / mean[0] : 1.0;
        return new FunctionTest(type, Judge.TOTAL, Measure.TOTAL_PER_REQUEST, mean[0], mean[1], scale, p,
                diff - half, diff + half, config.thresholds());
    }

    /**
     * Relative change of a function at {@code share} of the total that these data detect with 80 %
     * power when {@code tests} tests share the FDR budget (worst case: the only true finding needs
     * p ≤ q·1/m), but never below the materiality thresholds.
     */
    double minimumDetectableChange(double share, int tests, Thresholds thresholds) {
        if (Double.isNaN(kappa2) || Double.isNaN(sumBaselineScale)) {
            return Double.NaN;
        }
        int pb = instancesPerGroup[0];
        int pc = instancesPerGroup[1];
        double level = share;
        double b = sumBaselineScale / ((double) pb * pb) + sumCanaryScale / ((double) pc * pc);
        double seRelative = Math.sqrt(kappa2 * (1.0 / pb + 1.0 / pc) + phi * b / level);
        double alpha = thresholds.maxQValue() / Math.max(tests, 1);
        double z = NORMAL.inverseCumulativeProbability(1 - alpha / 2) + NORMAL.inverseCumulativeProbability(0.8);
        return Math.max(Math.max(thresholds.minRelativeChange(), thresholds.minAbsoluteChange() / share),
                z * seRelative);
    }

    /** Share of the largest ratios left out of the trimmed mean: room for real changes and JIT outliers. */
    private static final double TRIM = 0.1;

    /**
     * Mean of the smallest 90 % of the values. Matching it to its expectation estimates a variance
     * far more efficiently than the median does (with one pod per side and κ = 0 truly, the median
     * match left κ̂ ≈ 1.4 %, doubling the variance of a 2 % function measured over 10 + 10 slices),
     * while the trimmed top 10 % keeps changed functions and JIT outliers out.
     */
    static double trimmedMean(double[] values) {
        double[] copy = values.clone();
        Arrays.sort(copy);
        int keep = Math.max(1, (int) Math.floor(copy.length * (1 - TRIM)));
        double sum = 0;
        for (int i = 0; i < keep; i++) {
            sum += copy[i];
        }
        return sum / keep;
    }

    /**
     * Weighted mean of the smallest 90 % of the ratios (trimmed by rank, as {@link #trimmedMean}).
     * Weights and ratios of one function are independent under the model, so the expectation is
     * the trimmed χ² mean whatever the weights.
     */
    static double weightedTrimmedMean(double[] ratios, double[] weights) {
        int n = ratios.length;
        Integer[] order = new Integer[n];
        for (int i = 0; i < n; i++) {
            order[i] = i;
        }
        Arrays.sort(order, java.util.Comparator.comparingDouble(i -> ratios[i]));
        int keep = Math.max(1, (int) Math.floor(n * (1 - TRIM)));
        double sum = 0;
        double weight = 0;
        for (int i = 0; i < keep; i++) {
            sum += weights[order[i]] * ratios[order[i]];
            weight += weights[order[i]];
        }
        return weight > 0 ? sum / weight : trimmedMean(ratios);
    }

    /** E[X/k | X ≤ 90th percentile] for X ~ χ²_k: P(χ²_{k+2} ≤ c) / 0.9, as E[X·1{X≤c}] = k·P(χ²_{k+2} ≤ c). */
    static double trimmedChiSquareMean(int k) {
        double cut = new ChiSquaredDistribution(null, k).inverseCumulativeProbability(1 - TRIM);
        return new ChiSquaredDistribution(null, k + 2).cumulativeProbability(cut) / (1 - TRIM);
    }

    static double median(double[] values) {
        double[] copy = values.clone();
        Arrays.sort(copy);
        int n = copy.length;
        if (n == 0) {
            return Double.NaN;
        }
        return n % 2 == 1 ? copy[n / 2] : 0.5 * (copy[n / 2 - 1] + copy[n / 2]);
    }
}
