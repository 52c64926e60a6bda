package io.canaryjudge.judge;

import io.canaryjudge.profile.Profile;
import io.canaryjudge.profile.ProfileType;
import io.canaryjudge.verdict.Measure;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.Comparator;
import java.util.HashMap;
import java.util.HashSet;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Set;
import java.util.function.IntPredicate;
import org.apache.commons.math3.distribution.NormalDistribution;
import org.apache.commons.math3.distribution.TDistribution;

/**
 * The statistics of one profile type: which functions are tested, their values normalised for
 * composition ({@link SizeFactors}), per-function noise ({@link NoiseModel}) and the tests
 * ({@link FunctionTests}, {@link TotalPerRequestTest}).
 *
 * <p>The pod is the replicate: each function's value per pod is the pod's pooled ratio
 * (Σ value / Σ denominator over its slices), and group means weigh pods equally (DESIGN.md "Nested
 * noise"). Functions are always compared as composition-normalised shares, also when request counts
 * are known: a pod's speed scales every function's cost per request alike, which the normalisation
 * cancels and per-request costs do not (recorded cpu-regression-30: between-pod CV 13 % per request
 * vs 10 % in shares). Request counts serve the total cost per request. Pure computation: no I/O.
 */
final class TypeAnalysis {
    private static final NormalDistribution NORMAL = new NormalDistribution(null, 0, 1);
    /**
     * A function is tested only when a pod is expected to hold at least this many of its samples (at its
     * pooled share). Below that its counts are a handful of discrete events: no test can see a material
     * change there and the test would only spend the FDR budget. Like the share floor, it looks at the
     * level, never at the difference.
     */
    static final double MIN_EXPECTED_SAMPLES_PER_POD = 10;

    private final TypeContext context;
    private final JudgeConfig config;
    private final List<String> notes = new ArrayList<>();
    private MeasureData self;
    /** Per function (global id): a value in some baseline or history observation; set by {@link #run}. */
    private boolean[] everInBaseline;
    private MeasureData inclusive;
    private NoiseModel selfNoise;
    private NoiseModel inclusiveNoise;
    private int[] selfSlot;
    private int[] inclusiveSlot;
    private boolean rawShares;
    private int testsRun;
    private int[][] localIds;
    /** Every call path prefix's value per unit ({@link #prefixValues()}), once computed. */
    private Map<Long, double[]> prefixValues;

    private final LearnedNoise learnedNoise;
    /** Whether JDK and library frames are also tested against {@link JitPrior} where the data cannot show it. */
    private final boolean jitPrior;
    /** Whether {@link JitPrior} applied to some tested frame (after {@link #run()}). */
    private boolean jitPriorUsed;
    private final double maxPriorDf;
    private final boolean outlierRule;
    private boolean[] selfJvm;
    private boolean[] inclusiveJvm;
    /** [group][function] mean shares of the current pods, self and inclusive; set by {@link #run}. */
    private double[][] meanSelf;
    private double[][] meanInclusive;
    /** Computed when first asked for: a caller that keeps no lessons pays nothing for them. */
    private LearnedNoise taught;

    TypeAnalysis(TypeContext context, JudgeConfig config) {
        this(context, config, LearnedNoise.empty());
    }

    /** @param learnedNoise each function's noise from earlier verdicts' baselines (may be empty) */
    TypeAnalysis(TypeContext context, JudgeConfig config, LearnedNoise learnedNoise) {
        this(context, config, learnedNoise, PriorWidth.MEASURED);
    }

    /** @param width how far a function's pod noise may lie from the typical function's ({@link PriorWidth}) */
    TypeAnalysis(TypeContext context, JudgeConfig config, LearnedNoise learnedNoise, PriorWidth width) {
        this(context, config, learnedNoise, width, true);
    }

    /** @param jitPrior whether to test JDK and library frames also against {@link JitPrior} where it applies */
    TypeAnalysis(TypeContext context, JudgeConfig config, LearnedNoise learnedNoise, PriorWidth width,
                 boolean jitPrior) {
        this(context, config, learnedNoise, width.maxDf, width.outlierRule, jitPrior);
    }

    /**
     * @param maxPriorDf  the largest d₀ of the prior fitted across functions ({@link PriorWidth#maxDf})
     * @param outlierRule whether a variance outlier keeps its own estimate ({@link PriorWidth#outlierRule})
     */
    TypeAnalysis(TypeContext context, JudgeConfig config, LearnedNoise learnedNoise, double maxPriorDf,
                 boolean outlierRule) {
        this(context, config, learnedNoise, maxPriorDf, outlierRule, true);
    }

    private TypeAnalysis(TypeContext context, JudgeConfig config, LearnedNoise learnedNoise, double maxPriorDf,
                         boolean outlierRule, boolean jitPrior) {
        this.jitPrior = jitPrior;
        this.context = context;
        this.config = config;
        this.learnedNoise = learnedNoise;
        this.maxPriorDf = maxPriorDf;
        this.outlierRule = outlierRule;
    }

    /** What earlier verdicts' baselines taught (may be empty). */
    LearnedNoise learnedNoise() {
        return learnedNoise;
    }

    /** What this window's baseline pods and history teach of each function's noise (after {@link #run()}; once). */
    LearnedNoise taught() {
        if (taught == null) {
            Lesson lesson = selfNoise == null ? null : baselineNormalised();
            taught = selfNoise == null ? LearnedNoise.empty()
                    : teach(Measure.SELF, lesson.self(), lesson.phi())
                    .plus(teach(Measure.INCLUSIVE, lesson.inclusive(), lesson.phi()))
                    .plus(new LearnedNoise(Map.of(), IntermittentWork.observed(context,
                            config.newPathConsistency().intermittentRatio(), config.thresholds().negligibleShare()), 0));
        }
        return taught;
    }

    /** Typical between-pod CV (√τ₀² of the self measure). */
    double betweenInstanceCv() {
        return selfNoise == null ? Double.NaN : Math.sqrt(selfNoise.priorPodVariance());
    }

    /** Typical slice overdispersion (φ₀ of the self measure). */
    double overdispersion() {
        return selfNoise == null || !context.samplesKnown ? Double.NaN : selfNoise.priorPhi();
    }

    String noiseSource() {
        if (selfNoise == null) {
            return null;
        }
        return jitPriorUsed ? selfNoise.description + "; " + (JitPrior.applies(context.units)
                ? JitPrior.describe(context.units.baselineVersionJvms()) : JitPrior.describeV8())
                : selfNoise.description;
    }

    /** The self measure's noise model and data (null before {@link #run()}): for the calibration diagnosis. */
    NoiseModel selfNoise() {
        return selfNoise;
    }

    MeasureData selfData() {
        return self;
    }

    /** Whether the self noise is a prior fitted across functions from pods or history, which the width bounds. */
    boolean priorWidthMatters() {
        return selfNoise != null && (selfNoise.source == NoiseModel.Source.WITHIN
                || selfNoise.source == NoiseModel.Source.HISTORY);
    }

    /** What the self noise rested on (null before {@link #run()}), for what more data would help. */
    NoiseEvidence noiseEvidence() {
        return selfNoise == null ? null : NoiseEvidence.of(selfNoise, context.units);
    }

    NoiseModel.Source noiseKind() {
        return selfNoise == null ? null : selfNoise.source;
    }

    int testsRun() {
        return testsRun;
    }

    List<String> notes() {
        return notes;
    }

    /**
     * True when the tests compared raw shares of the total (no size factors: too few functions):
     * then a rise of Δ in one function raises an ancestor holding share A by only Δ·(1 − A)/(1 − p).
     */
    boolean rawShares() {
        return rawShares;
    }

    /** Runs the tests for every candidate function under self and inclusive (and the total per request). */
    List<FunctionTest> run() {
        List<TypedObservation> observations = context.observations;
        int n = observations.size();
        double[] totals = new double[n];
        double[] valuePerSample = new double[n];
        boolean[] current = new boolean[n];
        int[] unitOf = new int[n];
        for (int i = 0; i < n; i++) {
            TypedObservation o = observations.get(i);
            totals[i] = o.total;
            valuePerSample[i] = o.valuePerSample();
            current[i] = o.group != TypedObservation.HISTORY;
            unitOf[i] = o.unit;
        }
        meanSelf = groupMeanShares(true);
        meanInclusive = groupMeanShares(false);
        double minShareForCounts = context.samplesKnown ? MIN_EXPECTED_SAMPLES_PER_POD / samplesPerPod() : 0;
        double canaryMinShare = context.samplesKnown
                ? MIN_EXPECTED_SAMPLES_PER_POD / samplesPerPod(TypedObservation.CANARY) : 0;
        everInBaseline = everInBaseline();
        int[] selfCandidates = candidates(meanSelf, minShareForCounts, canaryMinShare, everInBaseline);
        int[] inclusiveCandidates = withCallees(candidates(meanInclusive, minShareForCounts, canaryMinShare,
                everInBaseline), selfCandidates, meanSelf, meanInclusive);
        double[][] selfValues = dense(selfCandidates, true);
        double[][] inclusiveValues = dense(inclusiveCandidates, false);
        selfJvm = jvmInternal(selfCandidates);
        inclusiveJvm = jvmInternal(inclusiveCandidates);

        // Self values are the better basis (independent functions); flat profiles, where few functions
        // hold much self time, fall back to inclusive values.
        SizeFactors factors = SizeFactors.of(selfValues, totals, current, selfJvm, 2 * NoiseModel.MIN_FUNCTIONS_FOR_FIT);
        if (!factors.normalised()) {
            factors = SizeFactors.of(inclusiveValues, totals, current, inclusiveJvm, NoiseModel.MIN_FUNCTIONS_FOR_FIT);
        }
        if (!factors.normalised()) {
            rawShares = true;
            notes.add("shares not normalised for composition: only " + factors.used()
                    + " functions are present in every observation");
        }
        double[] denominators = new double[n];
        for (int i = 0; i < n; i++) {
            denominators[i] = totals[i] * factors.factors()[i];
        }
        String composition = compositionNote(factors, observations);
        if (composition != null) {
            notes.add(composition);
        }
        self = new MeasureData(selfCandidates, selfValues, totals, denominators, valuePerSample, unitOf, context.units);
        inclusive = new MeasureData(inclusiveCandidates, inclusiveValues, totals, denominators, valuePerSample, unitOf,
                context.units);
        selfSlot = slots(selfCandidates);
        inclusiveSlot = slots(inclusiveCandidates);
        NoiseModel[] noise = fitNoise(maxPriorDf, outlierRule);
        selfNoise = noise[0];
        inclusiveNoise = noise[1];
        if (selfNoise.learnedFunctions > 0) {
            // Wording only: "within-group pods only: …; … also learned from …" contradicted itself.
            // The count is of the functions tested by their self share (selfCandidates): those with a lesson from
            // an earlier baseline, of all of them. Said in words: "(59 of 73 functions)" beside "198 functions
            // tested" (self and inclusive tests) read as a third, unexplained figure.
            selfNoise.description = selfNoise.description.replaceFirst("^(within-group pods|prior) only: ", "$1: ")
                    + String.format(Locale.ROOT, "; each function's noise also learned from the "
                    + "baselines of %d earlier verdict(s), which had measured %d of the %d functions whose self share"
                    + " was tested here", learnedNoise.verdicts(), selfNoise.learnedFunctions, selfCandidates.length);
        }
        notes.addAll(selfNoise.notes);
        if (!context.samplesKnown) {
            notes.add("sample counts unknown (" + context.samplesUnknownReason() + "): sampling noise is not "
                    + "modelled from counts; the noise is learned from how values vary between slices and pods");
        }

        List<FunctionTest> tests = functionTests(selfNoise, inclusiveNoise);
        String beyondWhole = beyondWholeNote(tests);
        if (beyondWhole != null) {
            notes.add(beyondWhole);
        }
        if (context.perRequest && !context.samplingDiffers && comparesTotalPerRequest(context)) {
            tests.add(TotalPerRequestTest.run(context.type, observations, context.units, config));
        }
        testsRun = tests.size();
        return tests;
    }

    /**
     * Whether a type's total per request is a cost of the requests. A wall profile's total is every sampled thread's
     * time, idle pool threads included: the same code with 32 workers instead of 8 read "wall time per request +83 %
     * (71.5 ms → 131 ms)" and FAILed with wall in failOnTypes (recorded, src/test/resources/qa38/idle-pool). A request
     * that waits longer shows in the functions it waits in (threads in them), which are still compared. Native
     * allocations are not either: what a JVM mallocs (compiler arenas, a young JVM's warm-up) is no cost of its
     * requests, and bytes not freed are a level, not a rate per request.
     */
    static boolean comparesTotalPerRequest(ProfileType type) {
        return type != ProfileType.WALL && !type.nativeAllocation();
    }

    /**
     * {@link #comparesTotalPerRequest(ProfileType)}, and Node's wall when it is the one JavaScript thread's busy time
     * ({@link TypeContext#jsThreadBusyTime()}): one thread, idle samples carrying no wall time, so neither a larger pool
     * nor a slower downstream raises it. Measured on qa76's pods (b1-b3 the baseline, requests.csv): A/A a1/a2 -4.9 % /
     * -3.9 %, downstream 5 times slower (w1) -1.3 %, priceOrder x1.5 / x2 (s1/d1) +25 % / +33 %.
     */
    static boolean comparesTotalPerRequest(TypeContext context) {
        return comparesTotalPerRequest(context.type) || context.jsThreadBusyTime();
    }

    /**
     * A normalised share above 100 % is no part of a whole: the tables showed "ShopRequestHandler.handle inclusive
     * 61.23 % → 105.94 %" of allocated bytes, whose canary flame graph gave it 88 % (recorded alloc-regression
     * scenario, qa38). The note names the largest such share and the raw share a flame graph shows, so the figure can
     * be checked against the profile; null when every shown share is within the whole.
     */
    private String beyondWholeNote(List<FunctionTest> tests) {
        List<FunctionTest> beyond = new ArrayList<>();
        for (FunctionTest t : tests) {
            if (Math.max(t.baseline(), t.canary()) > 1 && rawGroupShares(t.function(), t.measure()) != null) {
                beyond.add(t);
            }
        }
        if (beyond.isEmpty()) {
            return null;
        }
        beyond.sort(Comparator.comparingDouble((FunctionTest t) -> -Math.max(t.baseline(), t.canary())));
        List<String> listed = new ArrayList<>();
        for (FunctionTest t : beyond.subList(0, Math.min(BEYOND_WHOLE_LISTED, beyond.size()))) {
            int group = t.canary() >= t.baseline() ? 1 : 0;
            listed.add(String.format(Locale.ROOT, "`%s`%s %s in the %s (raw %s)", t.function(),
                    t.measure() == Measure.INCLUSIVE ? " with its callees" : "",
                    Summaries.share(group == 1 ? t.canary() : t.baseline()), group == 1 ? "canary" : "baseline",
                    Summaries.share(rawGroupShares(t.function(), t.measure())[group])));
        }
        return String.format(Locale.ROOT, "%d normalised share(s) of %s read above 100 %%: %s%s. A normalised share is the"
                        + " function's cost against the rest of the profile, not a part of the group's total; the raw"
                        + " share is what the group's flame graph shows", beyond.size(), Summaries.label(context.type),
                String.join(", ", listed), beyond.size() > listed.size() ? ", …" : "");
    }

    /** Shares above 100 % named in {@link #beyondWholeNote}; the note counts the rest. */
    private static final int BEYOND_WHOLE_LISTED = 4;

    /**
     * The function tests of {@link #run()} (after it) with the pod-noise prior fitted at another width
     * ({@link PriorWidth}): the same data, only the noise model differs. The total per request does not
     * depend on the prior and is left out.
     */
    List<FunctionTest> functionTestsAtWidth(PriorWidth width) {
        NoiseModel[] noise = fitNoise(width.maxDf, width.outlierRule);
        return functionTests(noise[0], noise[1]);
    }

    /** {self, inclusive} noise models with the prior's d₀ at most {@code maxDf}; the inclusive borrows the self's priors. */
    private NoiseModel[] fitNoise(double maxDf, boolean outlierRule) {
        NoiseModel selfModel = NoiseModel.fit(self, selfJvm, config, null, learned(Measure.SELF, self.candidates),
                maxDf, outlierRule);
        NoiseModel inclusiveModel = NoiseModel.fit(inclusive, inclusiveJvm, config, selfModel,
                learned(Measure.INCLUSIVE, inclusive.candidates), maxDf, outlierRule);
        return new NoiseModel[] {selfModel, inclusiveModel};
    }

    /** Every candidate's self and inclusive test under these noise models. */
    private List<FunctionTest> functionTests(NoiseModel selfModel, NoiseModel inclusiveModel) {
        List<FunctionTest> tests = new ArrayList<>(FunctionTests.run(context.type, Measure.SELF, self, selfModel,
                context.functionNames, config, neverInBaseline(self.candidates, everInBaseline), context.samplesKnown,
                jitUse(Measure.SELF, self.candidates, selfModel)));
        tests.addAll(FunctionTests.run(context.type, Measure.INCLUSIVE, inclusive, inclusiveModel, context.functionNames,
                config, neverInBaseline(inclusive.candidates, everInBaseline), context.samplesKnown,
                jitUse(Measure.INCLUSIVE, inclusive.candidates, inclusiveModel)));
        return tests;
    }

    /**
     * {@link JitPrior} for these candidates, or null where it does not apply: turned off, three or more
     * baseline-version JVMs, or no candidate it covers. A function whose noise earlier verdicts' baselines taught
     * ({@link LearnedNoise}: JVMs of those analyses) is judged by that, not by the prior.
     */
    private JitPrior.Use jitUse(Measure measure, int[] candidates, NoiseModel model) {
        if (!jitPrior) {
            return null;
        }
        boolean fewJvms = JitPrior.applies(context.units);
        boolean[] covered = new boolean[candidates.length];
        boolean[] generated = new boolean[candidates.length];
        boolean any = false;
        for (int c = 0; c < candidates.length; c++) {
            String name = context.functionNames[candidates[c]];
            covered[c] = JitPrior.covers(config.frames().classify(name), name)
                    && (fewJvms || JitPrior.v8(name))
                    && learnedNoise.entry(context.type, measure, name) == null;
            generated[c] = JitPrior.generated(name);
            any |= covered[c];
        }
        if (!any) {
            return null;
        }
        jitPriorUsed = true;
        return new JitPrior.Use(covered, generated, JitPrior.scale(model.priorPodVariance()),
                context.units.baselineVersionJvms(), context.units.canaryJvms());
    }

    /** Whether {@link JitPrior} applied to some tested frame (after {@link #run()}). */
    boolean jitPriorUsed() {
        return jitPriorUsed;
    }

    private LearnedNoise.Entry[] learned(Measure measure, int[] candidates) {
        if (learnedNoise.isEmpty()) {
            return null;
        }
        LearnedNoise.Entry[] entries = new LearnedNoise.Entry[candidates.length];
        for (int c = 0; c < candidates.length; c++) {
            entries[c] = learnedNoise.entry(context.type, measure, context.functionNames[candidates[c]]);
        }
        return entries;
    }

    private LearnedNoise teach(Measure measure, MeasureData data, double phi) {
        LearnedNoise.Entry[] spread = NoiseModel.baselineSpread(data, phi);
        Map<LearnedNoise.Key, LearnedNoise.Entry> entries = new HashMap<>();
        for (int c = 0; c < spread.length; c++) {
            if (spread[c] != null) {
                entries.put(new LearnedNoise.Key(context.type, measure, context.functionNames[data.candidates[c]]),
                        spread[c]);
            }
        }
        return new LearnedNoise(entries, 0);
    }

    /**
     * What a lesson is taken from: the self and inclusive data with size factors fitted on the baseline pods alone
     * (history against the same geometric means), and the sampling part's overdispersion from the baseline pods' and
     * history's slices alone, both over the functions the baseline alone makes candidates. The tests' factors and
     * overdispersion come from baseline and canary pods together, on functions chosen with the canary's levels, so a
     * lesson taken with them depended on the canary under test: on the recorded shop one baseline taught
     * `applyDiscounts` a pod variance of 0.0029 beside an A/A canary and 0.0086 beside one where it rose 100 %.
     * Falls back, as the tests do, from self to inclusive values and then to raw shares; without two slices in any
     * baseline pod, to the tests' overdispersion.
     */
    private Lesson baselineNormalised() {
        List<TypedObservation> observations = context.observations;
        int n = observations.size();
        boolean[] baselinePods = new boolean[n];
        for (int i = 0; i < n; i++) {
            baselinePods[i] = observations.get(i).group == TypedObservation.BASELINE;
        }
        int[] functions = baselineCandidates(true);
        double[][] values = dense(functions, true);
        boolean[] jvm = jvmInternal(functions);
        SizeFactors factors = SizeFactors.of(values, self.totals, baselinePods, jvm, 2 * NoiseModel.MIN_FUNCTIONS_FOR_FIT);
        if (!factors.normalised()) {
            int[] inclusiveFunctions = baselineCandidates(false);
            factors = SizeFactors.of(dense(inclusiveFunctions, false), self.totals, baselinePods,
                    jvmInternal(inclusiveFunctions), NoiseModel.MIN_FUNCTIONS_FOR_FIT);
        }
        double[] denominators = new double[n];
        for (int i = 0; i < n; i++) {
            denominators[i] = self.totals[i] * (factors.normalised() ? factors.factors()[i] : 1);
        }
        double phi = NoiseModel.baselineOverdispersion(new MeasureData(functions, values, self.totals, denominators,
                self.valuePerSample, self.unitOf, context.units), jvm);
        return new Lesson(new MeasureData(self.candidates, self.values, self.totals, denominators, self.valuePerSample,
                self.unitOf, context.units), new MeasureData(inclusive.candidates, inclusive.values, inclusive.totals,
                denominators, inclusive.valuePerSample, inclusive.unitOf, context.units),
                Double.isNaN(phi) ? selfNoise.priorPhi() : phi);
    }

    /** What a lesson is taken from ({@link #baselineNormalised}). */
    private record Lesson(MeasureData self, MeasureData inclusive, double phi) {
    }

    /** Functions whose baseline mean share (self or inclusive) makes them candidates, whatever the canary's. */
    private int[] baselineCandidates(boolean selfValue) {
        double[] baselineShare = (selfValue ? meanSelf : meanInclusive)[TypedObservation.BASELINE];
        double minShareForCounts = context.samplesKnown
                ? MIN_EXPECTED_SAMPLES_PER_POD / samplesPerPod(TypedObservation.BASELINE) : 0;
        int[] chosen = new int[baselineShare.length];
        int count = 0;
        for (int f = 0; f < baselineShare.length; f++) {
            String name = context.functionNames[f];
            if (baselineShare[f] > 0 && baselineShare[f] >= minShareForCounts
                    && baselineShare[f] >= config.thresholdsFor(name).candidateShare() && !config.ignored(name)) {
                chosen[count++] = f;
            }
        }
        return Arrays.copyOf(chosen, count);
    }

    /** Samples per pod of the group with fewer. */
    private double samplesPerPod() {
        return Math.min(samplesPerPod(TypedObservation.BASELINE), samplesPerPod(TypedObservation.CANARY));
    }

    /** Samples per current pod of one group. */
    private double samplesPerPod(int group) {
        double samples = 0;
        for (TypedObservation o : context.observations) {
            if (o.group == group) {
                samples += o.samples;
            }
        }
        return samples / context.instances[group];
    }

    // ----------------------------------------------------------------------------------------------
    // Group means of any function, for the checks on callers and callees of a finding

    /**
     * Baseline and canary group means of one function's inclusive value, in the measure the tests
     * used (normalised share), and [2] the standard error of their difference under the function's
     * noise (its own when it was tested, the prior's otherwise).
     */
    double[] inclusiveGroupMeans(int function) {
        return groupMeans(function, false);
    }

    /**
     * {baseline, canary} raw share of a function's self or inclusive value: each group's mean of its current pods'
     * pooled shares, before normalisation (what a flame graph shows); null for another measure or an unknown function.
     */
    double[] rawGroupShares(String function, Measure measure) {
        Integer id = context.functionIds.get(function);
        if (id == null || measure != Measure.SELF && measure != Measure.INCLUSIVE) {
            return null;
        }
        double[][] means = measure == Measure.SELF ? meanSelf : meanInclusive;
        return new double[] {means[0][id], means[1][id]};
    }

    /** As {@link #inclusiveGroupMeans}, of the function's self value. */
    double[] selfGroupMeans(int function) {
        return groupMeans(function, true);
    }

    private double[] groupMeans(int function, boolean selfValue) {
        double[] podValue = podValues(function, selfValue);
        int[] slot = selfValue ? selfSlot : inclusiveSlot;
        NoiseModel noise = selfValue ? selfNoise : inclusiveNoise;
        return means(podValue, slot[function] >= 0 ? noise : null, slot[function], noise);
    }

    /** A function's self or inclusive value per unit (current pods only), in the type's unit. */
    double[] podValues(int function, boolean selfValue) {
        double[] podValue = new double[context.units.pods()];
        List<TypedObservation> observations = context.observations;
        for (int i = 0; i < observations.size(); i++) {
            TypedObservation o = observations.get(i);
            if (o.group == TypedObservation.HISTORY) {
                continue;
            }
            int local = localId(i, function);
            if (local >= 0) {
                podValue[o.unit] += selfValue ? o.totals.self(local) : o.totals.inclusive(local);
            }
        }
        return podValue;
    }

    /**
     * A caller's call sites, per unit (in the type's unit, current pods only): callee id → the callee's inclusive value
     * on stacks where the caller calls it directly (counted once per stack), and callee id → its own (leaf) value there.
     */
    record CallSiteValues(Map<Integer, double[]> inclusive, Map<Integer, double[]> self) {
    }

    /** The call sites of {@code caller}, in one pass over the stacks. */
    CallSiteValues calleeEdgeValues(int caller) {
        Map<Integer, double[]> podValues = new HashMap<>();
        Map<Integer, double[]> leafValues = new HashMap<>();
        int pods = context.units.pods();
        int[][] counted = {new int[16]}; // callees of this caller already counted on one stack (recursion: once per stack)
        forEachCurrentStack((o, s, value) -> {
            Profile profile = o.profile;
            int n = 0;
            for (int depth = profile.stackDepth(s) - 2; depth >= 0; depth--) { // leaf first: depth + 1 calls depth
                if (o.globalIds[profile.stackFunction(s, depth + 1)] != caller) {
                    continue;
                }
                int callee = o.globalIds[profile.stackFunction(s, depth)];
                if (depth == 0) {
                    leafValues.computeIfAbsent(callee, c -> new double[pods])[o.unit] += value;
                }
                boolean seen = false;
                for (int k = 0; k < n && !seen; k++) {
                    seen = counted[0][k] == callee;
                }
                if (seen) {
                    continue;
                }
                if (n == counted[0].length) {
                    counted[0] = Arrays.copyOf(counted[0], 2 * n);
                }
                counted[0][n++] = callee;
                podValues.computeIfAbsent(callee, c -> new double[pods])[o.unit] += value;
            }
        });
        return new CallSiteValues(podValues, leafValues);
    }

    /**
     * The work below {@code frame}, per unit (in the type's unit, current pods only): each stack through the frame
     * (counted once, below its top-most occurrence) is charged to the first frame below it, leafward, that {@code stop}
     * accepts; key {@link #NO_FRAME} holds the stacks where no frame below it is accepted.
     */
    Map<Integer, double[]> firstFramesBelow(int frame, IntPredicate stop) {
        Map<Integer, double[]> podValues = new HashMap<>();
        int pods = context.units.pods();
        forEachCurrentStack((o, s, value) -> {
            Profile profile = o.profile;
            int depth = profile.stackDepth(s) - 1; // root first
            while (depth >= 0 && o.globalIds[profile.stackFunction(s, depth)] != frame) {
                depth--;
            }
            if (depth < 0) {
                return;
            }
            int charged = NO_FRAME;
            for (depth--; depth >= 0 && charged == NO_FRAME; depth--) {
                int f = o.globalIds[profile.stackFunction(s, depth)];
                if (f != frame && stop.test(f)) {
                    charged = f;
                }
            }
            podValues.computeIfAbsent(charged, c -> new double[pods])[o.unit] += value;
        });
        return podValues;
    }

    /**
     * How deep {@code function} runs: the value-weighted mean number of frames above its top-most occurrence on the
     * stacks through it (current pods only); 0 when it runs nowhere. Of two frames of the same cost, the callee runs
     * deeper.
     */
    double meanDepth(int function) {
        double[] sums = new double[2];
        forEachCurrentStack((o, s, value) -> {
            Profile profile = o.profile;
            for (int depth = profile.stackDepth(s) - 1, above = 0; depth >= 0; depth--, above++) {
                if (o.globalIds[profile.stackFunction(s, depth)] == function) {
                    sums[0] += (double) value * above;
                    sums[1] += value;
                    return;
                }
            }
        });
        return sums[1] > 0 ? sums[0] / sums[1] : 0;
    }

    /** The key of {@link #firstFramesBelow} for stacks charged to no frame. */
    static final int NO_FRAME = -1;

    /**
     * Where a function's stacks leave the baseline's call paths (per unit, current pods only, in the type's unit):
     * {@code fresh}, the function's value (self, or inclusive counted once per stack) on stacks whose path from the
     * root reaches a frame the baseline all but never ran on that path ({@code absent}: under that fraction of the
     * canary's value there) at or above the function's top-most frame; {@code through}, the value of every stack
     * through the frames where those paths part from the baseline's (the last frame the baseline ran on them, top-most
     * ones only, so none is counted twice); {@code parting}, the parting frame carrying most of the fresh value.
     */
    record PartedPaths(double[] fresh, double[] through, int parting) {
    }

    /** {@link PartedPaths} of {@code function}, in one pass over the stacks (and one for all functions, cached). */
    PartedPaths partedPaths(int function, boolean selfValue, double absent) {
        int pods = context.units.pods();
        Map<Long, double[]> prefixValues = prefixValues();
        Map<Long, Boolean> ranInBaseline = new HashMap<>();
        Map<Long, long[]> partings = new HashMap<>(); // parting key → the keys of its ancestors (prefixes above it)
        Map<Long, Double> freshAt = new HashMap<>();
        Map<Long, Integer> partingFrame = new HashMap<>();
        double[] fresh = new double[pods];
        forEachCurrentStack((o, s, value) -> {
            Profile profile = o.profile;
            int depth = profile.stackDepth(s);
            if (depth < 2) {
                return;
            }
            int top = -1; // root-first index of the function's top-most frame on this stack
            if (selfValue) {
                top = o.globalIds[profile.stackFunction(s, 0)] == function ? depth - 1 : -1;
            } else {
                for (int k = 0; k < depth && top < 0; k++) {
                    top = o.globalIds[profile.stackFunction(s, depth - 1 - k)] == function ? k : -1;
                }
            }
            if (top < 1) {
                return;
            }
            long[] keys = new long[top + 1];
            long key = 0;
            for (int k = 0; k <= top; k++) {
                key = prefixKey(key, o.globalIds[profile.stackFunction(s, depth - 1 - k)]);
                keys[k] = key;
                boolean ran = ranInBaseline.computeIfAbsent(key, kk -> {
                    double[] means = priorMeans(prefixValues.get(kk));
                    return !(means[0] < absent * means[1]);
                });
                if (!ran) {
                    if (k >= 1) {
                        long parting = keys[k - 1];
                        if (!partings.containsKey(parting)) {
                            partings.put(parting, Arrays.copyOf(keys, k - 1));
                        }
                        partingFrame.putIfAbsent(parting, o.globalIds[profile.stackFunction(s, depth - k)]);
                        freshAt.merge(parting, (double) value, Double::sum);
                        fresh[o.unit] += value;
                    }
                    return;
                }
            }
        });
        double[] through = new double[pods];
        int parting = -1;
        double most = 0;
        for (Map.Entry<Long, long[]> e : partings.entrySet()) {
            boolean nested = false;
            for (long above : e.getValue()) {
                nested |= partings.containsKey(above);
            }
            if (!nested) {
                double[] values = prefixValues.get(e.getKey());
                for (int p = 0; p < pods; p++) {
                    through[p] += values[p];
                }
            }
            if (freshAt.get(e.getKey()) > most) {
                most = freshAt.get(e.getKey());
                parting = partingFrame.get(e.getKey());
            }
        }
        return new PartedPaths(fresh, through, parting);
    }

    /** Every call path prefix's value per unit (current pods only), by {@link #prefixKey}; computed once. */
    private Map<Long, double[]> prefixValues() {
        if (prefixValues == null) {
            int pods = context.units.pods();
            Map<Long, double[]> values = new HashMap<>();
            forEachCurrentStack((o, s, value) -> {
                long key = 0;
                for (int depth = o.profile.stackDepth(s) - 1; depth >= 0; depth--) { // root first
                    key = prefixKey(key, o.globalIds[o.profile.stackFunction(s, depth)]);
                    values.computeIfAbsent(key, k -> new double[pods])[o.unit] += value;
                }
            });
            prefixValues = values;
        }
        return prefixValues;
    }

    /** One stack of a current (not history) observation and its value in the type's sample column, never 0. */
    @FunctionalInterface
    private interface StackVisitor {
        void visit(TypedObservation observation, int stack, long value);
    }

    /** Visits every stack with a value of the current pods' observations (history only teaches noise). */
    private void forEachCurrentStack(StackVisitor visitor) {
        for (TypedObservation o : context.observations) {
            if (o.group == TypedObservation.HISTORY) {
                continue;
            }
            Profile profile = o.profile;
            int column = profile.sampleTypes().indexOf(o.totals.sampleType());
            for (int s = 0, stacks = profile.stackCount(); s < stacks; s++) {
                long value = profile.value(s, column);
                if (value != 0) {
                    visitor.visit(o, s, value);
                }
            }
        }
    }

    /** A call path's key, extended by one frame (root first): a hash of the frames' ids. */
    private static long prefixKey(long key, int function) {
        return (key + 1) * 0x9E3779B97F4A7C15L + function;
    }

    /** {baseline, canary, standard error of the difference} of per-unit values under the prior noise. */
    double[] priorMeans(double[] podValue) {
        return means(podValue, null, -1, selfNoise);
    }

    /**
     * As {@link #priorMeans}, at the larger of the prior noise and the noise the judge learned for {@code function}'s
     * inclusive value (between-pod variance and sampling dispersion each): never narrower than either.
     */
    double[] meansAtNoiseOf(double[] podValue, int function) {
        double tau2 = selfNoise.priorPodVariance();
        double phi = selfNoise.priorPhi();
        if (inclusiveNoise != null && function >= 0 && function < inclusiveSlot.length && inclusiveSlot[function] >= 0) {
            tau2 = Math.max(tau2, inclusiveNoise.podVariance[inclusiveSlot[function]]);
            phi = Math.max(phi, inclusiveNoise.phi[inclusiveSlot[function]]);
        }
        return means(podValue, tau2, phi);
    }

    /** Per unit (current pods only, in the type's unit): the value of the stacks that run none of {@code frames}. */
    double[] podValuesOutside(Set<Integer> frames) {
        double[] podValue = new double[context.units.pods()];
        forEachCurrentStack((o, s, value) -> {
            for (int depth = o.profile.stackDepth(s) - 1; depth >= 0; depth--) {
                if (frames.contains(o.globalIds[o.profile.stackFunction(s, depth)])) {
                    return;
                }
            }
            podValue[o.unit] += value;
        });
        return podValue;
    }

    /**
     * Per-unit values (several functions' frames: code renamed from {@code old} to others) compared between the groups
     * as {@code old}'s inclusive value was ({@link FunctionTests#pValue}), at the noise the judge learned for
     * {@code old} — the code under its old name — or, when it had none of its own, for a typical function:
     * {baseline, canary, p}, levels as shares of the total.
     */
    double[] asOneFunction(double[] podValue, int old) {
        double[] means = priorMeans(podValue);
        NoiseModel noise = inclusiveNoise != null ? inclusiveNoise : selfNoise;
        int[] slots = inclusiveNoise != null ? inclusiveSlot : selfSlot;
        MeasureData data = inclusiveNoise != null ? inclusive : self;
        int slot = old >= 0 && old < slots.length ? slots[old] : -1;
        double tau2 = slot >= 0 ? noise.podVariance[slot] : noise.priorPodVariance();
        double phi = slot >= 0 ? noise.phi[slot] : noise.priorPhi();
        double podDf = slot >= 0 ? noise.podDf[slot] : noise.podPrior.df();
        double phiDf = slot >= 0 ? noise.phiDf[slot] : noise.phiPrior.df();
        double p = means[0] > 0 && means[1] > 0
                ? FunctionTests.pValue(means[0], means[1], tau2, phi, podDf, phiDf, noise.psi,
                        1.0 / context.units.baselinePods(), 1.0 / context.units.canaryPods(), data.samplingFactor(0),
                        data.samplingFactor(1), context.samplesKnown)
                : Double.NaN;
        return new double[] {means[0], means[1], p};
    }

    /**
     * Group means of a function's inclusive value over the stacks that end in application code (not a
     * JVM-internal leaf, unless the code called the JVM for it: {@link #jvmWork}), and [2] the standard error
     * under the prior: what its own code and the application code it calls cost ({@link JvmWorkCheck}).
     */
    double[] applicationInclusiveGroupMeans(int function) {
        double[] podValue = new double[context.units.pods()];
        forEachCurrentStack((o, s, value) -> {
            int depth = o.profile.stackDepth(s);
            if (depth == 0 || jvmWork(o, s)) {
                return;
            }
            for (int d = 0; d < depth; d++) {
                if (o.globalIds[o.profile.stackFunction(s, d)] == function) {
                    podValue[o.unit] += value;
                    return;
                }
            }
        });
        return means(podValue, null, -1, inclusiveNoise);
    }

    /** Per function: whether a stack ending in it is JVM, operating-system or profiler work. */
    private boolean[] jvmLeaves() {
        if (jvmLeaf == null) {
            boolean[] leaves = new boolean[context.functionNames.length];
            boolean[] calls = new boolean[leaves.length];
            boolean[] jvm = new boolean[leaves.length];
            for (int f = 0; f < leaves.length; f++) {
                FrameClass frameClass = config.frames().classify(context.functionNames[f]);
                leaves[f] = frameClass.reportedApart();
                jvm[f] = frameClass == FrameClass.JVM_INTERNAL;
                calls[f] = jvm[f] && NativeFrameNames.calledByCode(context.functionNames[f]);
            }
            calledByCode = calls;
            jvmFrame = jvm;
            jvmLeaf = leaves;
        }
        return jvmLeaf;
    }

    /**
     * Whether stack {@code s} of {@code o} is the JVM's own work: it ends in JVM, operating-system or profiler frames
     * and the code did not ask the JVM for it. Where it ends in the JVM's own code (not the kernel's or the C
     * library's: a park, a sleep or a clock read stays the operating system's) and the outermost of those frames is a
     * runtime service a native method calls and no warm JVM does faster ({@code JVM_FillInStackTrace} below
     * {@code Throwable.fillInStackTrace}: {@link NativeFrameNames#calledByCode}), the work is the calling code's cost,
     * as a JDK method's would be. Recorded (qa36): a canary that parsed an empty coupon and caught the
     * {@code NumberFormatException} on every request, 1.5 % of CPU (about 800 ns per request) under the method, most
     * of it the JVM walking the stack, was "JVM work below it carries the rise" and passed.
     */
    private boolean jvmWork(TypedObservation o, int s) {
        boolean[] jvmLeaf = jvmLeaves();
        Profile profile = o.profile;
        int leaf = o.globalIds[profile.stackFunction(s, 0)];
        if (!jvmLeaf[leaf]) {
            return false;
        }
        if (!jvmFrame[leaf]) {
            return true;
        }
        for (int d = 1, depth = profile.stackDepth(s); d < depth; d++) {
            if (!jvmLeaf[o.globalIds[profile.stackFunction(s, d)]]) {
                return !calledByCode[o.globalIds[profile.stackFunction(s, d - 1)]];
            }
        }
        return true;
    }

    /**
     * An observation's value in stacks that end in code (application, library, JDK): its total without JVM,
     * operating-system and profiler work — JIT compilation, GC, safepoints, syscalls.
     */
    double codeValue(TypedObservation o) {
        Profile profile = o.profile;
        int column = profile.sampleTypes().indexOf(o.totals.sampleType());
        double code = 0;
        for (int s = 0, stacks = profile.stackCount(); s < stacks; s++) {
            long value = profile.value(s, column);
            if (value != 0 && profile.stackDepth(s) > 0 && !jvmWork(o, s)) {
                code += value;
            }
        }
        return code;
    }

    private boolean[] jvmLeaf;
    /** Per function: a JVM entry point that code calls explicitly (set with {@link #jvmLeaf}). */
    private boolean[] calledByCode;
    /** Per function: the JVM's own code, not the operating system's or the profiler's (set with {@link #jvmLeaf}). */
    private boolean[] jvmFrame;

    private double[] means(double[] podValue, NoiseModel own, int slot, NoiseModel prior) {
        return means(podValue, own != null ? own.podVariance[slot] : prior.priorPodVariance(),
                own != null ? own.phi[slot] : prior.priorPhi());
    }

    private double[] means(double[] podValue, double tau2, double phi) {
        Units units = context.units;
        double[] means = new double[3];
        for (int p = 0; p < units.pods(); p++) {
            int g = units.group()[p];
            means[g] += podValue[p] / self.unitDenominator[p] / (g == 0 ? units.baselinePods() : units.canaryPods());
        }
        double level = 0.5 * (means[0] + means[1]);
        double sampling = level * (self.samplingFactor(0) + self.samplingFactor(1));
        double variance = Math.max(tau2 * level * level * (1.0 / units.baselinePods() + 1.0 / units.canaryPods())
                + phi * sampling, context.samplesKnown ? (1 - level) * sampling : 0);
        means[2] = Math.sqrt(Math.max(variance, 0));
        return means;
    }

    private int localId(int observation, int function) {
        if (localIds == null) {
            localIds = new int[context.observations.size()][];
        }
        if (localIds[observation] == null) {
            TypedObservation o = context.observations.get(observation);
            int[] reverse = new int[context.functionNames.length];
            Arrays.fill(reverse, -1);
            for (int local = 0; local < o.globalIds.length; local++) {
                reverse[o.globalIds[local]] = local;
            }
            localIds[observation] = reverse;
        }
        return localIds[observation][function];
    }

    // ----------------------------------------------------------------------------------------------
    // Power

    /**
     * Relative change of a self function at {@code share} of the total that these data detect with 80 %
     * power, for a test with FDR weight {@code weight} among {@code tests} (worst case: the only true
     * finding needs p ≤ q·w/m), under the prior noise; never below the materiality thresholds.
     */
    double minimumDetectableChange(double share, double weight, int tests, Thresholds thresholds) {
        return minimumDetectableChange(share, weight, tests, thresholds, 1);
    }

    /**
     * {@link #minimumDetectableChange(double, double, int, Thresholds)} had every pod given {@code sampleScale} times
     * its samples (a window that much longer, or a sampling rate that much higher) under the same noise: only the
     * sampling term shrinks; the between-pod term stays.
     */
    double minimumDetectableChange(double share, double weight, int tests, Thresholds thresholds, double sampleScale) {
        if (selfNoise == null || self.candidates.length == 0) {
            return Double.NaN;
        }
        Units units = context.units;
        double podPart = selfNoise.priorPodVariance() * (1.0 / units.baselinePods() + 1.0 / units.canaryPods());
        double samplingPart = selfNoise.priorPhi() * (self.samplingFactor(0) + self.samplingFactor(1)) / share
                / sampleScale;
        double seRelative = Math.sqrt(podPart + samplingPart);
        double alpha = Math.min(1, thresholds.maxQValue() * weight / Math.max(tests, 1));
        double df = FunctionTests.satterthwaite(podPart, median(selfNoise.podDf), samplingPart, median(selfNoise.phiDf));
        TDistribution t = FunctionTests.tDistribution(df);
        double critical = t == null ? NORMAL.inverseCumulativeProbability(1 - alpha / 2)
                : t.inverseCumulativeProbability(1 - alpha / 2);
        double z = critical + NORMAL.inverseCumulativeProbability(0.8);
        return Math.max(Math.max(thresholds.minRelativeChange(), thresholds.minAbsoluteChange() / share),
                Math.exp(z * seRelative) - 1);
    }

    /** Most samples per pod {@link #sampleScaleFor} considers: beyond a thousand times as many, more samples are no answer. */
    static final double MAX_SAMPLE_SCALE = 1000;

    /**
     * How many times its samples every pod would need for a function at {@code share} to show a change of
     * {@code target} (80 % power, the same noise and tests): the least such factor above 1, to within 1 %; NaN when
     * even {@link #MAX_SAMPLE_SCALE} times as many would not (the between-pod term sets the limit) or when the
     * power cannot be computed.
     */
    double sampleScaleFor(double target, double share, double weight, int tests, Thresholds thresholds) {
        if (!(minimumDetectableChange(share, weight, tests, thresholds, MAX_SAMPLE_SCALE) <= target)) {
            return Double.NaN;
        }
        double low = 1;
        double high = MAX_SAMPLE_SCALE;
        while (high / low > 1.01) {
            double mid = Math.sqrt(low * high);
            if (minimumDetectableChange(share, weight, tests, thresholds, mid) <= target) {
                high = mid;
            } else {
                low = mid;
            }
        }
        return high;
    }

    private static double median(double[] values) {
        double[] finite = Arrays.stream(values).filter(v -> !Double.isNaN(v)).toArray();
        return finite.length == 0 ? Double.POSITIVE_INFINITY : TypeContext.median(finite);
    }

    // ----------------------------------------------------------------------------------------------
    // Data preparation

    /** [group][function] mean over the group's current pods of the pod's pooled share. */
    /**
     * Shares shown beside a test are normalised: when the size factors of the canary's observations differ from the
     * baseline's by more than {@link #COMPOSITION_NOTE_RATIO}, a function's shown shares are far from the raw shares
     * a flame graph shows (a benchmark's hottest function, raw 60 % → 66 % of CPU, read 55 % → 72 %), so say why.
     */
    private static String compositionNote(SizeFactors factors, List<TypedObservation> observations) {
        if (!factors.normalised()) {
            return null;
        }
        double[] logSum = new double[2];
        int[] count = new int[2];
        for (int i = 0; i < observations.size(); i++) {
            int group = observations.get(i).group;
            if (group == TypedObservation.BASELINE || group == TypedObservation.CANARY) {
                int g = group == TypedObservation.BASELINE ? 0 : 1;
                logSum[g] += Math.log(factors.factors()[i]);
                count[g]++;
            }
        }
        if (count[0] == 0 || count[1] == 0) {
            return null;
        }
        // Canary factor over baseline factor: how much larger the canary's unchanged functions' raw shares are.
        double ratio = Math.exp(logSum[1] / count[1] - logSum[0] / count[0]);
        if (Math.abs(Math.log(ratio)) < Math.log(COMPOSITION_NOTE_RATIO)) {
            return null;
        }
        return String.format(Locale.ROOT, "shares are normalised for composition: the canary's typical function holds"
                + " %.0f %% %s of the total than the baseline's (what changed took share from or gave it to every other"
                + " function), so shown shares differ from the raw shares a flame graph shows; each change is the"
                + " function's cost relative to the rest of the profile", 100 * Math.abs(ratio - 1),
                ratio < 1 ? "less" : "more");
    }

    /** Canary-to-baseline size-factor ratio beyond which {@link #compositionNote} speaks: 5 %. */
    private static final double COMPOSITION_NOTE_RATIO = 1.05;

    private double[][] groupMeanShares(boolean selfValue) {
        int functions = context.functionNames.length;
        Units units = context.units;
        int pods = units.pods();
        double[][] podValue = new double[pods][];
        double[] podTotal = new double[pods];
        for (TypedObservation o : context.observations) {
            if (o.group == TypedObservation.HISTORY) {
                continue;
            }
            if (podValue[o.unit] == null) {
                podValue[o.unit] = new double[functions];
            }
            double[] values = podValue[o.unit];
            for (int local = 0; local < o.globalIds.length; local++) {
                long v = selfValue ? o.totals.self(local) : o.totals.inclusive(local);
                if (v != 0) {
                    values[o.globalIds[local]] += v;
                }
            }
            podTotal[o.unit] += o.total;
        }
        double[][] mean = new double[2][functions];
        for (int p = 0; p < pods; p++) {
            if (podValue[p] == null || podTotal[p] <= 0) {
                continue;
            }
            int g = units.group()[p];
            double weight = 1.0 / (g == 0 ? units.baselinePods() : units.canaryPods()) / podTotal[p];
            double[] values = podValue[p];
            for (int f = 0; f < functions; f++) {
                mean[g][f] += values[f] * weight;
            }
        }
        return mean;
    }

    /**
     * Functions worth a test: pooled share at least {@code candidateShare}, and enough samples per pod for the test
     * to mean something — {@code minShareForCounts} of the pooled share (10 expected samples per pod of the group
     * with fewer), except for a function no baseline or history observation ran: its absence test is exact given
     * the canary's count (conditional on the total), so only the canary's pods need 10 samples of it. A canary
     * serving a tenth of a baseline pod's traffic would otherwise leave a new path at 1 % of its CPU untested.
     */
    private int[] candidates(double[][] meanShare, double minShareForCounts, double canaryMinShare,
                             boolean[] everInBaseline) {
        int functions = context.functionNames.length;
        int[] chosen = new int[functions];
        int count = 0;
        for (int f = 0; f < functions; f++) {
            double pooled = 0.5 * (meanShare[0][f] + meanShare[1][f]);
            boolean counted = everInBaseline[f] ? pooled >= minShareForCounts : meanShare[1][f] >= canaryMinShare;
            if (pooled <= 0 || !counted) {
                continue;
            }
            String name = context.functionNames[f];
            if (pooled >= config.thresholdsFor(name).candidateShare() && !config.ignored(name)) {
                chosen[count++] = f;
            }
        }
        return Arrays.copyOf(chosen, count);
    }

    /**
     * Inclusive candidates whose callees carry at least 10 % of their inclusive value: for the others
     * (leaves, mostly) the inclusive test repeats the self test and would only spend the budget twice.
     */
    private static int[] withCallees(int[] inclusive, int[] self, double[][] meanSelf, double[][] meanInclusive) {
        Set<Integer> selfSet = new HashSet<>();
        for (int f : self) {
            selfSet.add(f);
        }
        return Arrays.stream(inclusive).filter(f -> {
            double incl = meanInclusive[0][f] + meanInclusive[1][f];
            double own = meanSelf[0][f] + meanSelf[1][f];
            return !selfSet.contains(f) || incl > own * (1 / 0.9);
        }).toArray();
    }

    /** [observation][candidate] values (self or inclusive), in the type's unit, of every observation. */
    private double[][] dense(int[] candidates, boolean selfValue) {
        int[] slot = slots(candidates);
        List<TypedObservation> observations = context.observations;
        double[][] values = new double[observations.size()][candidates.length];
        for (int i = 0; i < observations.size(); i++) {
            TypedObservation o = observations.get(i);
            for (int local = 0; local < o.globalIds.length; local++) {
                int c = slot[o.globalIds[local]];
                if (c >= 0) {
                    values[i][c] = selfValue ? o.totals.self(local) : o.totals.inclusive(local);
                }
            }
        }
        return values;
    }

    private int[] slots(int[] candidates) {
        int[] slot = new int[context.functionNames.length];
        Arrays.fill(slot, -1);
        for (int c = 0; c < candidates.length; c++) {
            slot[candidates[c]] = c;
        }
        return slot;
    }

    private boolean[] jvmInternal(int[] candidates) {
        boolean[] flags = new boolean[candidates.length];
        for (int c = 0; c < candidates.length; c++) {
            flags[c] = config.frames().classify(context.functionNames[candidates[c]]).reportedApart();
        }
        return flags;
    }

    /** Per function: a value in some baseline or history observation. */
    private boolean[] everInBaseline() {
        boolean[] ever = new boolean[context.functionNames.length];
        for (TypedObservation o : context.observations) {
            if (o.group == TypedObservation.CANARY) {
                continue;
            }
            for (int local = 0; local < o.globalIds.length; local++) {
                if (o.totals.inclusive(local) > 0) {
                    ever[o.globalIds[local]] = true;
                }
            }
        }
        return ever;
    }

    /** Per candidate: no value in any baseline or history observation ({@link #everInBaseline}, read once). */
    private static boolean[] neverInBaseline(int[] candidates, boolean[] everInBaseline) {
        boolean[] never = new boolean[candidates.length];
        for (int c = 0; c < candidates.length; c++) {
            never[c] = !everInBaseline[candidates[c]];
        }
        return never;
    }

}
