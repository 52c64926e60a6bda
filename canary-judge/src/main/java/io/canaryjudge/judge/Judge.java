package io.canaryjudge.judge;

import io.canaryjudge.judge.memory.AnalysedHeap;
import io.canaryjudge.judge.memory.HeapMeasure;
import io.canaryjudge.judge.memory.HeapWindows;
import io.canaryjudge.judge.memory.MemoryGrowthConfig;
import io.canaryjudge.judge.memory.MemoryVerdicts;
import io.canaryjudge.profile.ProfileType;
import io.canaryjudge.verdict.DataQuality;
import io.canaryjudge.verdict.Finding;
import io.canaryjudge.verdict.FindingKind;
import io.canaryjudge.verdict.Incident;
import io.canaryjudge.verdict.Measure;
import io.canaryjudge.verdict.RequestMix;
import io.canaryjudge.verdict.Result;
import io.canaryjudge.verdict.TypeQuality;
import io.canaryjudge.verdict.Verdict;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.EnumMap;
import java.util.HashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.function.Supplier;
import java.util.regex.Pattern;

/**
 * Compares baseline and canary observations and returns a verdict. A deterministic function of
 * its arguments: no I/O, no clock, no Spring. The verdict's id is left null for the caller to assign.
 *
 * <p>Per judged profile type, {@link TypeAnalysis} tests every material function (self and inclusive
 * share) against its own noise, learned from pods within each group and from the history
 * ({@link NoiseModel}); q-values are weighted Benjamini–Hochberg across all function tests of the
 * verdict ({@link FdrWeights}), the total cost per request its own family; a finding FAILs the canary
 * only when it is credible (q) <em>and</em> material (relative and absolute change), in a fail-on type,
 * and not JVM-internal work. A canary that does not resemble the baseline at all FAILs as a different
 * program ({@link ProgramResemblance}).
 */
public final class Judge {
    /** Function name of COST_PER_REQUEST and DIFFERENT_PROGRAM findings. */
    public static final String TOTAL = "<total>";
    private static final int CALL_PATHS_PER_TYPE = 40;
    /** Functions per judged type in {@link Verdict#hottest()}. */
    private static final int HOTTEST_PER_TYPE = 8;
    /** The function share at which {@code maxDetectableChange} is stated ("a change of 75 % in a function at 5 %"). */
    private static final double UNDERPOWERED_YARDSTICK_SHARE = 0.05;
    /** Pods per side below which, without history, the verdict says its noise rests on few pods. */
    private static final int FIRM_PODS = 3;

    public Verdict judge(List<Observation> baseline, List<Observation> canary, JudgeConfig config) {
        return judge(baseline, canary, List.of(), config);
    }

    /**
     * @param history earlier observations of the baseline version (earlier windows of the baseline pods,
     *                or pods beyond the canary's count), used only to learn noise, never as the baseline
     *                level; an instance name equal to a baseline instance is the same JVM
     */
    public Verdict judge(List<Observation> baseline, List<Observation> canary, List<Observation> history,
                         JudgeConfig config) {
        return judge(baseline, canary, history, LearnedNoise.empty(), config).verdict();
    }

    /** A verdict and what its baseline taught of each function's noise. */
    public static final class Judgement {
        private final Verdict verdict;
        private final Supplier<LearnedNoise> lesson;
        private LearnedNoise taught;
        /**
         * Whether, with the narrow prior ({@link PriorWidth#NARROW}), some function test would find a credible
         * rise: only then can the narrow verdict FAIL where this one did not.
         */
        private final boolean narrowCredibleRise;
        /** Whether {@link JitPrior} widened some JDK or library frame's test: only then can a verdict without it differ. */
        private final boolean jitPriorUsed;

        Judgement(Verdict verdict, Supplier<LearnedNoise> lesson) {
            this(verdict, false, false, lesson);
        }

        private Judgement(Verdict verdict, boolean narrowCredibleRise, boolean jitPriorUsed,
                          Supplier<LearnedNoise> lesson) {
            this.verdict = verdict;
            this.narrowCredibleRise = narrowCredibleRise;
            this.jitPriorUsed = jitPriorUsed;
            this.lesson = lesson;
        }

        public Verdict verdict() {
            return verdict;
        }

        /**
         * This verdict's baseline pods' and history's per-function noise (one verdict's worth), for the caller to
         * add to what it keeps ({@link LearnedNoise#plus}) for the service's next verdict; computed when first
         * asked for, so a caller that keeps no lessons pays nothing for them.
         */
        public synchronized LearnedNoise taught() {
            if (taught == null) {
                taught = lesson.get();
            }
            return taught;
        }
    }

    /**
     * {@link #judge(List, List, List, JudgeConfig)} with each function's noise also learned from earlier
     * verdicts' baselines of the same service.
     *
     * @param learned what earlier verdicts taught (empty for none): moderates each function's noise towards
     *                its own, never the baseline level
     */
    public Judgement judge(List<Observation> baseline, List<Observation> canary, List<Observation> history,
                           LearnedNoise learned, JudgeConfig config) {
        Judgement judged = judge(baseline, canary, history, learned, config, PriorWidth.MEASURED, true);
        if (judged.verdict().result() == Result.PASS && judged.jitPriorUsed) {
            // A rise in JDK or library frames that fails only if JIT decisions moved them no more between JVMs than
            // the profile's typical function: the one or two baseline JVMs cannot tell.
            Verdict withoutJit = judge(baseline, canary, history, learned, config, PriorWidth.MEASURED, false).verdict();
            if (withoutJit.result() == Result.FAIL && withoutJit.findings().stream().noneMatch(
                    f -> f.failing() && f.kind() == FindingKind.DIFFERENT_PROGRAM)) {
                return new Judgement(jitSuspected(judged.verdict(), withoutJit, baseline), judged::taught);
            }
        }
        if (judged.verdict().result() != Result.PASS || !judged.narrowCredibleRise) {
            return judged;
        }
        // A rise that the measured noise leaves short of failing but that would FAIL were the function's own
        // pod noise the typical function's: the few pods cannot tell which, so neither PASS nor FAIL.
        Verdict narrow = judge(baseline, canary, history, learned, config, PriorWidth.NARROW, true).verdict();
        if (narrow.result() != Result.FAIL || narrow.findings().stream().anyMatch(
                f -> f.failing() && f.kind() == FindingKind.DIFFERENT_PROGRAM)) {
            return judged;
        }
        return new Judgement(suspected(judged.verdict(), narrow, baseline, canary, history, learned), judged::taught);
    }

    /** The PASS verdict made INCONCLUSIVE by the rises that only a narrower noise prior FAILs ({@code narrow}). */
    private static Verdict suspected(Verdict passed, Verdict narrow, List<Observation> baseline, List<Observation> canary,
                                     List<Observation> history, LearnedNoise learned) {
        String rises = Summaries.failingChanges(List.of(), narrow.incidents(), narrow.findings(), "such rise(s)");
        long baselinePods = baseline.stream().map(Observation::instance).distinct().count();
        long canaryPods = canary.stream().map(Observation::instance).distinct().count();
        String decide = history.isEmpty() && learned.isEmpty()
                ? "earlier windows of the baseline pods (history), more pods or noise learned from earlier analyses "
                        + "of this application would decide"
                : "more history, more pods or noise learned from more analyses would decide";
        String summary = "INCONCLUSIVE: " + rises + " — this would FAIL if the function(s) varied between JVMs no "
                + "more than a typical function of this profile, but " + baselinePods + " baseline and " + canaryPods
                + " canary pod(s) cannot show how much its own noise differs (real JVMs' functions differ by about "
                + "×1.5 either way); " + decide + ".";
        // The rows and incidents are the narrow verdict's, none failing, so the rises the summary names are listed.
        String because = "Not failed: significant only if this function varies between JVMs like a typical one, "
                + "which these pods cannot show.";
        List<Finding> findings = narrow.findings().stream()
                .map(f -> f.failing() ? f.notFailing(because, typicalNoiseQ(f.explanation())) : f).toList();
        List<Incident> incidents = narrow.incidents().stream()
                .map(i -> i.notFailing(typicalNoiseQ(i.summary()))).toList();
        Result result = Result.INCONCLUSIVE;
        // hottest stays the judge's own: its rows' q-values are the measured noise's.
        return new Verdict(passed.id(), result, false, Scores.score(result, findings), typicalNoiseQ(summary),
                findings, passed.metrics(), passed.dataQuality(), passed.reportUrl(), passed.hottest(), incidents);
    }

    /**
     * The PASS verdict made INCONCLUSIVE by the rises of JDK or library frames that fail only without
     * {@link JitPrior} ({@code withoutJit}).
     */
    private static Verdict jitSuspected(Verdict passed, Verdict withoutJit, List<Observation> baseline) {
        String rises = Summaries.failingChanges(List.of(), withoutJit.incidents(), withoutJit.findings(), "such rise(s)");
        long baselinePods = baseline.stream().map(Observation::instance).distinct().count();
        String summary = "INCONCLUSIVE: " + rises + " — this would FAIL if JDK and library frames varied between JVMs "
                + "no more than a typical function, but the JIT compiles them differently in each JVM (inlining, escape "
                + "analysis) and " + baselinePods + " baseline pod(s) cannot show how much; other pods of the baseline "
                + "version as history, or " + JitPrior.MIN_BASELINE_JVMS + " or more baseline pods, would decide.";
        String because = "Not failed: significant only if JIT decisions moved this frame between JVMs no more than a "
                + "typical function, which these pods cannot show.";
        List<Finding> findings = withoutJit.findings().stream()
                .map(f -> f.failing() ? f.notFailing(because, typicalNoiseQ(f.explanation())) : f).toList();
        List<Incident> incidents = withoutJit.incidents().stream()
                .map(i -> i.notFailing(typicalNoiseQ(i.summary()))).toList();
        Result result = Result.INCONCLUSIVE;
        return new Verdict(passed.id(), result, false, Scores.score(result, findings), typicalNoiseQ(summary),
                findings, passed.metrics(), passed.dataQuality(), passed.reportUrl(), passed.hottest(), incidents);
    }

    private static final Pattern Q_VALUE = Pattern.compile("q = ([^,)\\s]+)");

    /** "q = 0.005" → "q = 0.005 with a typical function's noise": the narrow prior's q-values are labelled as such. */
    static String typicalNoiseQ(String text) {
        return Q_VALUE.matcher(text).replaceAll("q = $1 with a typical function's noise");
    }

    private Judgement judge(List<Observation> givenBaseline, List<Observation> givenCanary,
                            List<Observation> givenHistory, LearnedNoise learned, JudgeConfig config, PriorWidth width,
                            boolean jitPrior) {
        List<String> warnings = new ArrayList<>();
        // Native frames named with their library in some recordings and without in others: compared by symbol.
        NativeNaming.Reconciled named = NativeNaming.reconcile(givenBaseline, givenCanary, givenHistory);
        List<Observation> baseline = named.baseline();
        List<Observation> canary = named.canary();
        List<Observation> history = named.history();
        if (named.warning() != null) {
            warnings.add(named.warning());
        }
        // Node's wall without CPU time is the JavaScript thread's busy time: a fail-on type then (NodeBusyWall).
        config = NodeBusyWall.apply(config, baseline, canary, warnings);
        List<Observation> baselineAndHistory = new ArrayList<>(baseline);
        baselineAndHistory.addAll(history);
        List<Observation> kept = excludeWarmup(baselineAndHistory, config, warnings, "baseline");
        List<Observation> usedBaseline = kept.stream().filter(o -> containsSame(baseline, o)).toList();
        List<Observation> usedHistory = kept.stream().filter(o -> !containsSame(baseline, o)).toList();
        List<Observation> configuredCanary = excludeWarmup(canary, config, warnings, "canary");
        // A canary pod whose JVM was still compiling its code at the window's start: those slices are its warm-up.
        CompilingCanaryWarmUp.Result compiling = CompilingCanaryWarmUp.apply(usedBaseline, configuredCanary, config);
        List<Observation> usedCanary = compiling.kept();
        warnings.addAll(compiling.warnings());
        int warmupBaseline = baseline.size() - usedBaseline.size();
        // Slices, not observations: the service fetches each profile type of a slice apart.
        int warmupCanary = canary.size() - configuredCanary.size() + compiling.leftOut();
        warnings.addAll(InputComparability.leftOutTypes(baseline, canary, config.judgedTypes()));
        warnings.addAll(InputComparability.caveats(baseline, canary, config.judgedTypes()));
        String cpuSampling = InputComparability.cpuSampling(baseline, canary);
        if (cpuSampling != null && config.judgedTypes().contains(ProfileType.CPU)) {
            warnings.add(cpuSampling);
        }
        partialRecordings(baseline, canary, usedBaseline, usedCanary).ifPresent(warnings::add);
        String runtimeChange = InputComparability.runtimeChange(baseline, canary);
        if (runtimeChange != null) {
            warnings.add("baseline and canary ran different JVMs (" + runtimeChange + "): JDK and JVM frames differ "
                    + "between them without any change to the application's code (renamed JDK internals, other "
                    + "intrinsics, another collector or compiler), and what that costs is the JVM's doing");
        }
        String collectorChange = runtimeChange != null && runtimeChange.contains("GC") ? null
                : InputComparability.collectorChange(baseline, canary);
        if (collectorChange != null) {
            warnings.add("baseline and canary JVMs ran different garbage collectors (" + collectorChange + ", by their "
                    + "GC frames): JVM ergonomics choose SerialGC for a JVM that sees one CPU or under 1792 MB of memory "
                    + "(a CPU or memory limit, a smaller node) and G1 otherwise, so GC, allocation and write-barrier costs "
                    + "differ without any change to the application's code; GC frames are reported apart, not counted");
        }

        List<TypeQuality> qualities = new ArrayList<>();
        List<FunctionTest> tests = new ArrayList<>();
        Map<ProfileType, TypeContext> contexts = new EnumMap<>(ProfileType.class);
        TypeContext cpuUsed = null;
        List<Finding> programFindings = new ArrayList<>();
        boolean failTypeInsufficient = false;
        boolean failTypeJudged = false;
        boolean underpowered = false;
        // Per underpowered type with known sample counts: how many times its samples every pod would need (NaN: more
        // samples alone would not do).
        Map<ProfileType, Double> sampleScales = new EnumMap<>(ProfileType.class);

        for (ProfileType type : ProfileType.values()) {
            if (!config.judgedTypes().contains(type)) {
                continue;
            }
            TypeContext context = TypeContext.build(type, usedBaseline, usedCanary, usedHistory, warnings);
            if (context == null) {
                continue;
            }
            if (type == ProfileType.CPU) {
                cpuUsed = context; // its CPU per second says how loaded the pods were, judged or not
                context.samplingDiffers = InputComparability.cpuPerRequestMiscounted(baseline, canary);
                context.otherSampler = InputComparability.cpuSamplers(baseline, canary);
            }
            boolean failType = config.failOnTypes().contains(type);
            String shortage = context.shortage(config);
            String leftOutIn = shortage == null ? null : leftOutByReaders(type, context, usedBaseline, usedCanary);
            if (leftOutIn != null) {
                // Not data too few to judge, but recordings of another kind (async-profiler's or the JDK's sampled
                // allocations give no alloc_objects): the type cannot be compared, and more of the same data would not
                // change that. The other types decide; the warnings say why this one is missing.
                qualities.add(context.quality(false, 0, null, null, null, null, null, List.of(String.format(Locale.ROOT,
                        Summaries.NOT_GIVEN + "the %s's recordings give no %s (dataQuality.warnings says why), so the other "
                                + "types decide; record both groups the same way to compare it", leftOutIn, type.id())),
                        warmupBaseline, warmupCanary));
                continue;
            }
            if (shortage != null) {
                String otherTypes = InputComparability.typeOnlyInOneGroup(type, usedBaseline, usedCanary);
                shortage = otherTypes == null ? shortage : shortage + otherTypes;
                qualities.add(context.quality(false, 0, null, null, null, null, null, List.of(shortage),
                        warmupBaseline, warmupCanary));
                failTypeInsufficient |= failType;
                continue;
            }
            TypeAnalysis analysis = new TypeAnalysis(context, config, learned, width, jitPrior);
            tests.addAll(analysis.run());
            contexts.put(type, context);
            context.analysis = analysis;
            NoiseModel.Source source = analysis.noiseKind();
            if (source != NoiseModel.Source.HISTORY
                    && (context.instances[0] < FIRM_PODS || context.instances[1] < FIRM_PODS)) {
                context.extraNotes.add(context.instances[0] + " baseline and " + context.instances[1] + " canary pod(s): "
                        + "each function's between-pod noise rests on few pods; history (earlier windows or other pods of the "
                        + "baseline version) or 3 or more pods per side give a firmer verdict");
            }
            if (context.requestsKnown) {
                context.extraNotes.add(costPerRequest(context));
            }
            double phi = Double.isNaN(analysis.overdispersion()) ? 1.0 : analysis.overdispersion();
            ProgramResemblance resemblance = ProgramResemblance.of(context, phi);
            // A leak profile's canary leak site is new by nature: a new hot path below, never a different program.
            if (resemblance.different() && !type.keptOnlyWhenLeaking()) {
                programFindings.add(resemblance.finding(context, failType));
            }
            failTypeJudged |= failType;
        }

        TypeContext.inferLoadFromCpu(contexts, cpuUsed);
        double[] q = qValues(tests, config);
        double meanWeight = meanWeight(tests, config);
        int functionTests = (int) tests.stream().filter(t -> t.measure() != Measure.TOTAL_PER_REQUEST
                && !Double.isNaN(t.pValue())).count();
        for (Map.Entry<ProfileType, TypeContext> entry : contexts.entrySet()) {
            TypeContext context = entry.getValue();
            TypeAnalysis analysis = context.analysis;
            Thresholds thresholds = config.thresholds();
            double mdc1 = analysis.minimumDetectableChange(0.01, selfWeight(entry.getKey(), 0.01, config) / meanWeight,
                    functionTests, thresholds);
            double mdc5 = analysis.minimumDetectableChange(0.05, selfWeight(entry.getKey(), 0.05, config) / meanWeight,
                    functionTests, thresholds);
            boolean failType = config.failOnTypes().contains(entry.getKey());
            // Not for a leak profile: a healthy baseline keeps a few blocks of the JVM's (recorded, qa48: 38 in 10
            // one-minute recordings of 2 pods), so no share of its could show a 75 % change, and that is not what a leak
            // is: a site the baseline lacks, which the new-hot-path test sees from a handful of samples (the same
            // recordings: a 0.73 MiB/min leak at q = 1e-9 with 61 canary samples).
            if (failType && !entry.getKey().keptOnlyWhenLeaking() && config.maxDetectableChange() != null
                    && !(mdc5 <= config.maxDetectableChange())) {
                underpowered = true;
                String more = "";
                if (context.samplesKnown) {
                    double scale = analysis.sampleScaleFor(config.maxDetectableChange(), 0.05,
                            selfWeight(entry.getKey(), 0.05, config) / meanWeight, functionTests, thresholds);
                    sampleScales.put(entry.getKey(), scale);
                    String samplesNeeded = Summaries.samplesNeeded(scale, context.groups[0], context.groups[1]);
                    more = samplesNeeded != null ? "; " + samplesNeeded + " would, with the same pods and noise"
                            : Double.isNaN(scale) ? "; more samples per pod alone would not: the between-pod noise of "
                            + "so few pods sets the limit" : "";
                }
                context.extraNotes.add(String.format(Locale.ROOT,
                        "these data cannot detect a change smaller than %s in a function at 5 %% of %s "
                                + "(maxDetectableChange: %s)%s", percent(mdc5), Summaries.label(entry.getKey()),
                        percent(config.maxDetectableChange()), more));
            }
            List<String> notes = new ArrayList<>(analysis.notes());
            notes.addAll(context.extraNotes);
            qualities.add(context.quality(true, analysis.testsRun(), nullable(analysis.betweenInstanceCv()),
                    nullable(analysis.overdispersion()), nullable(mdc1), nullable(mdc5), analysis.noiseSource(),
                    notes, warmupBaseline, warmupCanary));
        }
        qualities.sort(Comparator.comparing(TypeQuality::profileType));

        // The request mix (per-endpoint counts): a canary behind a header route or an A/B match serves another one.
        RequestMix mix = RequestMixCheck.of(usedBaseline, usedCanary);
        contexts.values().forEach(c -> c.requestMix = mix);
        boolean mixDiffers = mix != null && mix.differs();
        if (mixDiffers) {
            warnings.add(RequestMixCheck.warning(mix));
        }
        FindingBuilder.Built built = FindingBuilder.build(tests, q, contexts, config);
        if (!built.explained().isEmpty()) {
            // Background work and work reported apart were discoveries of the first pass; counted in the family they
            // would lower every other function's bar (Benjamini–Hochberg ranks), so the family is formed again
            // without them, and they keep their q-values.
            q = qValues(tests, config, built.explained(), q);
            built = FindingBuilder.build(tests, q, contexts, config);
        }
        List<Finding> functionFindings = built.findings();
        IncidentBuilder.Built incidents = IncidentBuilder.build(functionFindings, tests, q, contexts, config);
        incidents = new IncidentBuilder.Built(incidents.findings(),
                GcFollowsAllocation.apply(incidents.incidents(), config.frames()), incidents.costlessWrappers());
        // A canary that is another program leads: no incident of its functions says that.
        List<Finding> findings = new ArrayList<>(programFindings);
        findings.addAll(incidents.findings());
        boolean failed = findings.stream().anyMatch(Finding::failing);

        Result result;
        String summary;
        if (failed) {
            result = Result.FAIL;
            summary = Summaries.fail(programFindings, incidents.incidents(), findings);
        } else if (usedBaseline.isEmpty() || usedCanary.isEmpty()) {
            result = Result.INCONCLUSIVE;
            boolean noBaseline = usedBaseline.isEmpty();
            int given = noBaseline ? baseline.size() : canary.size();
            summary = "INCONCLUSIVE: the " + (noBaseline ? "baseline" : "canary") + " group has no usable observations"
                    + (!noBaseline && compiling.leftOut() > 0 ? ": every canary pod was"
                    + " still compiling its code (JVM warm-up) through its profiles, where code runs interpreted or"
                    + " partly compiled; judge a later window, once the canary's JIT has settled (dataQuality.warnings"
                    + " says how much of each pod was warm-up)"
                    : given > 0 ? String.format(Locale.ROOT, ": all %d of its observations fall within the warm-up"
                    + " (the first %d s of each pod's profiles, warmup), so none could be compared; judge a later"
                    + " window or shorten warmup", given, config.warmup().toSeconds()) : "") + ".";
        } else if (failTypeInsufficient || !failTypeJudged) {
            result = Result.INCONCLUSIVE;
            summary = Summaries.insufficient(qualities, config);
        } else if (riseUnderSevereShift(findings, contexts, config)) {
            result = Result.INCONCLUSIVE;
            double cpuRatio = contexts.values().stream().filter(c -> c.loadFromCpu).mapToDouble(c -> c.loadRatio)
                    .findFirst().orElse(Double.NaN);
            summary = !Double.isNaN(cpuRatio)
                    ? String.format(Locale.ROOT, "INCONCLUSIVE: the canary pods used %.0f %% of the baseline pods' CPU "
                    + "per second, a lighter load (or much less work), and shares rose as load alone can move them "
                    + "(fixed-rate work takes more of a lighter pod); judge it at a comparable load; request counts "
                    + "(requests.csv, Prometheus) would say how far apart the loads are (see the findings).",
                    cpuRatio * 100)
                    : "INCONCLUSIVE: the canary served a very different request rate from the baseline, and shares "
                    + "rose as load alone can move them; judge it at a comparable load (see the findings).";
        } else if (contexts.values().stream().anyMatch(c -> c.mixKeptRise)) {
            result = Result.INCONCLUSIVE;
            summary = "INCONCLUSIVE: the canary served another request mix than the baseline (" + RequestMixCheck.describe(mix)
                    + "), and shares rose as the mix alone moves them (each endpoint's code takes its endpoint's share of "
                    + "the work); judge the canary on the baseline's mix to compare its code (see the findings).";
        } else if (contexts.values().stream().anyMatch(c -> c.samplerKeptRise)) {
            result = Result.INCONCLUSIVE;
            String samplers = contexts.values().stream().filter(c -> c.samplerKeptRise).map(c -> c.otherSampler)
                    .findFirst().orElse("");
            summary = "INCONCLUSIVE: the baseline's and canary's CPU profiles were taken by different samplers ("
                    + samplers + "), and CPU shares rose as the sampler alone moves them; judge the canary against "
                    + "baseline pods recorded with the same profiler (see the findings).";
        } else if (!built.undecidedNewWork().isEmpty()) {
            result = Result.INCONCLUSIVE;
            summary = Summaries.undecidedNewWork(built.undecidedNewWork());
        } else if (!built.untold().isEmpty()) {
            result = Result.INCONCLUSIVE;
            summary = Summaries.untold(built.untold());
        } else if (underpowered) {
            result = Result.INCONCLUSIVE;
            Map<ProfileType, NoiseEvidence> evidence = new EnumMap<>(ProfileType.class);
            contexts.forEach((type, context) -> {
                if (context.analysis != null && context.analysis.noiseEvidence() != null) {
                    evidence.put(type, context.analysis.noiseEvidence());
                }
            });
            summary = Summaries.underpowered(qualities, config, sampleScales, largestMaterialRises(tests, config),
                    evidence);
        } else {
            result = Result.PASS;
            summary = Summaries.pass(findings, incidents.incidents(), incidents.costlessWrappers(), qualities, config);
        }
        if (mixDiffers && result == Result.PASS) {
            // No rise, but an endpoint the canary served less of hides its code's regressions: no PASS is claimed.
            result = Result.INCONCLUSIVE;
            summary = "INCONCLUSIVE: " + mixSaid(mix) + "; no material regression seen ("
                    + summary.replaceFirst("^PASS: ", "").replaceFirst("\\.$", "") + ").";
        } else if (mixDiffers && !summary.contains("another request mix")) {
            String base = summary.endsWith(".") ? summary.substring(0, summary.length() - 1) : summary;
            // The sentence on the bound only where a failing REGRESSION or cost-per-request row was held against it.
            summary = base + (result == Result.FAIL && findings.stream().anyMatch(RequestMixCheck::heldAgainstBound)
                    ? "; the canary served another request mix (" + RequestMixCheck.describe(mix) + "), and the failing "
                    + "rise is more than the mix alone moves any function's cost per request."
                    : result == Result.FAIL ? "; the canary served another request mix ("
                    + RequestMixCheck.describe(mix) + ")." : "; " + mixSaid(mix) + ".");
        }
        if (result != Result.FAIL) {
            summary = withUncomparedPerRequestRise(summary, contexts, config);
        }
        String samplerRise = contexts.values().stream().filter(c -> c.samplerKeptRise).map(c -> c.otherSampler)
                .findFirst().orElse(null);
        if (result == Result.INCONCLUSIVE && samplerRise != null && !summary.contains("different samplers")) {
            // Another reason led (too few allocation samples); the rise the sampler may have made is said too.
            String base = summary.endsWith(".") ? summary.substring(0, summary.length() - 1) : summary;
            summary = base + "; CPU shares rose as the sampler alone moves them, the groups' CPU profiles taken by "
                    + "different samplers (" + samplerRise + "): record both groups with the same profiler.";
        }
        if (result == Result.INCONCLUSIVE) {
            summary = summary + leftOutAsWarmUp(compiling.leftOut(), usedCanary.isEmpty());
        }
        if (!compiling.sustained().isEmpty()) {
            // JIT work is reported apart and cannot FAIL by default; a canary that keeps compiling past any warm-up
            // seen here is not passed silently, nor is it failed: an unchanged JVM at a light load compiled for 5 min.
            String said = Summaries.sustainedCompiling(compiling.sustained());
            if (result == Result.PASS) {
                result = Result.INCONCLUSIVE;
                summary = "INCONCLUSIVE: " + said + "; its code showed no material regression ("
                        + summary.replaceFirst("^PASS: ", "").replaceFirst("\\.$", "") + ")."
                        + leftOutAsWarmUp(compiling.leftOut(), usedCanary.isEmpty());
            } else {
                summary = summary + " " + Character.toUpperCase(said.charAt(0)) + said.substring(1) + ".";
            }
        }
        if (runtimeChange != null) {
            summary = withRuntimeChange(summary, runtimeChange, result);
        }
        if (collectorChange != null) {
            summary = withCollectorChange(summary, collectorChange, result);
        }
        int score = Scores.score(result, findings);
        DataQuality dataQuality = new DataQuality(qualities, warnings, List.of(), null, mix);
        Verdict verdict = new Verdict(null, result, result == Result.PASS, score, summary, findings, List.of(),
                dataQuality, null, FindingBuilder.hottest(tests, q, findings, HOTTEST_PER_TYPE, config.frames()),
                incidents.incidents());
        List<TypeAnalysis> analyses = contexts.values().stream().map(c -> c.analysis).toList();
        boolean narrowCredibleRise = result == Result.PASS && width != PriorWidth.NARROW
                && narrowCredibleRise(contexts.values(), config);
        boolean jitPriorUsed = analyses.stream().anyMatch(TypeAnalysis::jitPriorUsed);
        return new Judgement(verdict, narrowCredibleRise, jitPriorUsed, () -> {
            LearnedNoise taught = LearnedNoise.empty();
            for (TypeAnalysis analysis : analyses) {
                taught = taught.plus(analysis.taught());
            }
            return new LearnedNoise(taught.entries(), taught.intermittent(), taught.isEmpty() ? 0 : 1);
        });
    }

    /**
     * Whether the function tests with the narrow prior hold a credible rise (q within its threshold, weighted
     * Benjamini–Hochberg over those tests as the verdict's): a necessary condition for the narrow verdict to
     * FAIL, computed on the same data without judging again, so a PASS costs one judgement and the tests twice.
     */
    private static boolean narrowCredibleRise(Iterable<TypeContext> contexts, JudgeConfig config) {
        List<FunctionTest> narrow = new ArrayList<>();
        for (TypeContext context : contexts) {
            if (context.analysis.priorWidthMatters()) {
                narrow.addAll(context.analysis.functionTestsAtWidth(PriorWidth.NARROW));
            }
        }
        if (narrow.isEmpty()) {
            return false;
        }
        double[] q = qValues(narrow, config);
        for (int i = 0; i < q.length; i++) {
            FunctionTest test = narrow.get(i);
            if (q[i] <= test.thresholds().maxQValue() && test.difference() > 0) {
                return true;
            }
        }
        return false;
    }

    /**
     * {@link #judge(List, List, List, JudgeConfig)}, then the memory-growth check on the pods' heap after GC
     * ({@link MemoryVerdicts}): a canary whose heap grows credibly and materially faster than the
     * baseline's FAILs with a MEMORY_GROWTH finding, named where its live objects were allocated when
     * the observations include live-object profiles.
     *
     * @param heap   each pod's heap after GC (baseline, canary and earlier baseline windows); empty for none
     * @param memory when growth counts (the configuration file's {@code memoryGrowth})
     */
    public Verdict judge(List<Observation> baseline, List<Observation> canary, List<Observation> history,
                         HeapWindows heap, JudgeConfig config, MemoryGrowthConfig memory) {
        return judge(baseline, canary, history, heap, LearnedNoise.empty(), config, memory).verdict();
    }

    /** As {@link #judge(List, List, List, HeapWindows, JudgeConfig, MemoryGrowthConfig)}, with learned noise. */
    public Judgement judge(List<Observation> baseline, List<Observation> canary, List<Observation> history,
                           HeapWindows heap, LearnedNoise learned, JudgeConfig config, MemoryGrowthConfig memory) {
        Judgement judged = judge(baseline, canary, history, learned, config);
        return new Judgement(MemoryVerdicts.apply(judged.verdict(), heap, memory, baseline, canary, history,
                config.frames()), judged::taught);
    }

    /**
     * As {@link #judge(List, List, List, HeapWindows, LearnedNoise, JudgeConfig, MemoryGrowthConfig)}, the heap after GC
     * as the caller analysed it from the same observations, frames and {@code memory}, carrying the heap it analysed
     * ({@link MemoryVerdicts#analyseHeap}: the service analyses it first, to know whether to fetch the profiles over the
     * heap's window), the heap series being {@code measure} (client_golang's heap in use: a FAIL judged again from Go's
     * heap profiles, the baseline's from {@code baselineOverHeapWindow} when fetched, else from {@code baseline}), and a
     * failing Go heap's open connections judged from {@code canaryOverHeapWindow} (the canary's goroutine and live-bytes
     * profiles over the heap's window; empty: from {@code canary}, {@link MemoryVerdicts#apply}).
     */
    public Judgement judge(List<Observation> baseline, List<Observation> canary, List<Observation> history,
                           HeapMeasure measure, AnalysedHeap analysedHeap,
                           List<Observation> canaryOverHeapWindow, List<Observation> baselineOverHeapWindow,
                           LearnedNoise learned, JudgeConfig config, MemoryGrowthConfig memory) {
        Judgement judged = judge(baseline, canary, history, learned, config);
        return new Judgement(MemoryVerdicts.apply(judged.verdict(), measure, memory, baseline, canary, history,
                config.frames(), canaryOverHeapWindow, baselineOverHeapWindow, analysedHeap), judged::taught);
    }

    /**
     * q-values: weighted Benjamini–Hochberg over the function tests ({@link FdrWeights}); the total cost
     * per request of each type is a family of its own (plain BH over those few tests), so one test of
     * the whole cost is not drowned among hundreds of function tests (with ~970 tests at weight 1 a
     * +100 % rise per request was caught 2 times in 6).
     */
    static double[] qValues(List<FunctionTest> tests, JudgeConfig config) {
        return qValues(tests, config, Set.of(), null);
    }

    /**
     * As {@link #qValues(List, JudgeConfig)}, the function family without the {@code left} tests, which keep their
     * {@code earlier} q-values.
     */
    static double[] qValues(List<FunctionTest> tests, JudgeConfig config, Set<FunctionTest> left,
                            double[] earlier) {
        List<FunctionTest> functions = new ArrayList<>();
        List<Integer> functionIndex = new ArrayList<>();
        List<Integer> totalIndex = new ArrayList<>();
        double[] q = new double[tests.size()];
        for (int i = 0; i < tests.size(); i++) {
            if (tests.get(i).measure() == Measure.TOTAL_PER_REQUEST) {
                totalIndex.add(i);
            } else if (left.contains(tests.get(i))) {
                q[i] = earlier[i];
            } else {
                functions.add(tests.get(i));
                functionIndex.add(i);
            }
        }
        double[] weighted = FdrWeights.weighted(functions, config);
        double[] functionQ = BenjaminiHochberg.adjust(weighted);
        // Only a rise can fail the canary: in the family that decides, a fall is no discovery (p = 1, a valid and
        // conservative one-sided p-value), so functions that fell — a merge one baseline pod ran, every function
        // beside a JVM that doubled its GC — do not lower the bar for rises. Falls keep their two-sided q-values.
        double[] risesOnly = weighted.clone();
        for (int k = 0; k < risesOnly.length; k++) {
            if (!Double.isNaN(risesOnly[k]) && !(functions.get(k).difference() > 0)) {
                risesOnly[k] = 1.0;
            }
        }
        double[] riseQ = BenjaminiHochberg.adjust(risesOnly);
        for (int k = 0; k < functionQ.length; k++) {
            if (functions.get(k).difference() > 0) {
                functionQ[k] = riseQ[k];
            }
        }
        for (int k = 0; k < functionIndex.size(); k++) {
            q[functionIndex.get(k)] = functionQ[k];
        }
        double[] totalQ = BenjaminiHochberg.adjust(totalIndex.stream().mapToDouble(i -> tests.get(i).pValue()).toArray());
        for (int k = 0; k < totalIndex.size(); k++) {
            q[totalIndex.get(k)] = totalQ[k];
        }
        return q;
    }

    /** Mean unnormalised FDR weight of the function tests (what a weight is divided by). */
    static double meanWeight(List<FunctionTest> tests, JudgeConfig config) {
        double sum = 0;
        int n = 0;
        for (FunctionTest test : tests) {
            if (test.measure() != Measure.TOTAL_PER_REQUEST && !Double.isNaN(test.pValue())) {
                sum += FdrWeights.weight(test, config);
                n++;
            }
        }
        return n > 0 && sum > 0 ? sum / n : 1.0;
    }

    /** Unnormalised FDR weight of an application function's self test at {@code share}. */
    static double selfWeight(ProfileType type, double share, JudgeConfig config) {
        return FdrWeights.weight(new FunctionTest(type, "", Measure.SELF, share, share, 1.0, 0.5, 0, 0,
                config.thresholds()), config);
    }

    /** "CPU per request: baseline 412 µs, canary 433 µs (+5.1 %)", with the reason when it was not compared. */
    private static String costPerRequest(TypeContext context) {
        double[] means = TotalPerRequestTest.groupMeans(context.observations, context.units);
        String change = means[0] > 0 ? String.format(Locale.ROOT, " (%+.1f %%)", (means[1] / means[0] - 1) * 100) : "";
        if (context.type.countsSamples()) {
            return String.format(Locale.ROOT, "%s per request: %s (%s)%s", Summaries.label(context.type),
                    change.isEmpty() ? "n/a" : change.substring(2, change.length() - 1), Summaries.SAMPLED_COUNTS,
                    context.perRequest ? "" : " — not compared: the request rates differ too much");
        }
        return String.format(Locale.ROOT, "%s per request: baseline %s, canary %s%s%s%s",
                context.jsThreadBusyTime() ? Summaries.comparedPerRequestLabel(context.type)
                        : Summaries.perRequestLabel(context.type), Summaries.amount(means[0], context.unit),
                Summaries.amount(means[1], context.unit), change,
                context.jsThreadBusyTime() ? " (what its code ran, not a request's latency)"
                        : context.type == ProfileType.WALL ? " (every sampled thread's time, idle and waiting ones included:"
                        + " not a request's latency)" : "",
                !context.perRequest ? " — not compared: the request rates differ too much"
                        : context.samplingDiffers ? " — not compared: " + TypeContext.SAMPLING_DIFFERS
                        : !TypeAnalysis.comparesTotalPerRequest(context) ? " — not compared: a larger thread pool"
                        + " alone raises it; a request that waits longer shows in the functions it waits in" : "");
    }

    /**
     * What an INCONCLUSIVE summary adds when canary slices were left out as warm-up: " 3 canary slice(s) were left out
     * as JVM warm-up …", or nothing when none were (or no canary slice was judged at all, said elsewhere).
     */
    private static String leftOutAsWarmUp(int leftOut, boolean noCanaryJudged) {
        if (leftOut == 0 || noCanaryJudged) {
            return "";
        }
        return String.format(Locale.ROOT, " %d canary slice(s) were left out as JVM warm-up (the JIT still compiling:"
                + " dataQuality.warnings); a later window holds more of the canary's warm code.", leftOut);
    }

    /**
     * The summary with what changed in the JVM: a canary of the same code on another JDK, collector or flag FAILs or
     * passes on JDK and JVM frames, and the release engineer looking for the culprit in the code's diff finds none —
     * the summary says where to look.
     */
    static String withRuntimeChange(String summary, String runtimeChange, Result result) {
        String base = summary.endsWith(".") ? summary.substring(0, summary.length() - 1) : summary;
        return base + ". The canary ran on a different JVM (" + runtimeChange + ")"
                + (result == Result.FAIL ? ": what is named above may be the JVM's doing, not the application's code."
                : ".");
    }

    /**
     * The summary with the collector each group's JVMs ran, when they differ ({@link InputComparability#collectorChange}):
     * the same code on a node or CPU limit that makes the JVM choose another collector shows GC frames gone and new
     * (recorded qa28 canaries with one CPU: "the largest: JVM work (garbage collection): new hot path under
     * `DefNewGeneration::collect`"), and a release engineer reading only the summary would look for it in the code's
     * diff. It says where it comes from and that it is not the code. A FAIL is not cleared by it: the collector's write
     * barriers run inside the code's own frames, so code that stores references costs more under G1 than under Serial
     * (recorded qa28 pods of one code, Serial baseline beside G1 canary: `ProductCatalog.lookup`, an LRU cache, 17.8 % →
     * 22.0 % of CPU, FAIL at 3v3; its `LinkedHashMap.afterNodeAccess` 1.1–1.3 % → 3.9–4.5 %).
     */
    static String withCollectorChange(String summary, String collectorChange, Result result) {
        String base = summary.endsWith(".") ? summary.substring(0, summary.length() - 1) : summary;
        return base + ". The canary's JVMs ran another garbage collector (" + collectorChange + ", by their GC frames), "
                + "as the JVM chooses for a pod that sees fewer CPUs or less memory: its GC work differs for that reason, "
                + "not the application's code" + (result == Result.FAIL ? "; but its write barriers run inside the code's "
                + "own frames (G1's cost more than Serial's), so a rise named above in code that stores references may be "
                + "the collector's doing: judge the canary beside baseline pods with the same CPU and memory limits." : ".");
    }

    /**
     * A PASS or INCONCLUSIVE that says nothing of a material rise of the cost per request it could not compare (the
     * canary pods served a very different request rate) would read as "nothing rose": the summary says it, with the
     * rate. Load alone moves the figure then (recorded: +72 % at 18 % of the rate), so it decides nothing.
     */
    private static String withUncomparedPerRequestRise(String summary, Map<ProfileType, TypeContext> contexts,
                                                       JudgeConfig config) {
        List<String> rises = new ArrayList<>();
        for (TypeContext context : contexts.values()) {
            if (!context.requestsKnown || context.perRequest && !context.samplingDiffers
                    || !config.failOnTypes().contains(context.type)) {
                continue;
            }
            double[] means = TotalPerRequestTest.groupMeans(context.observations, context.units);
            if (means[0] > 0 && means[1] / means[0] - 1 >= config.thresholds().minRelativeChange()) {
                rises.add(String.format(Locale.ROOT, "%s per request %+.0f %%", Summaries.label(context.type),
                        (means[1] / means[0] - 1) * 100));
            }
        }
        if (rises.isEmpty()) {
            return summary;
        }
        String base = summary.endsWith(".") ? summary.substring(0, summary.length() - 1) : summary;
        if (contexts.values().stream().anyMatch(c -> c.requestsKnown && c.perRequest && c.samplingDiffers)) {
            // a uniform slowdown moves no share: a PASS that kept quiet about it read as "nothing rose" (review of qa39)
            return String.format(Locale.ROOT, "%s; %s not compared: the groups' CPU profiles were sampled differently"
                    + " (dataQuality.warnings), so samples × interval measure CPU differently on each side; record both"
                    + " groups with the same profiler settings to compare it.", base, String.join(", ", rises));
        }
        double rate = contexts.values().stream().filter(c -> c.requestsKnown && !c.perRequest)
                .mapToDouble(c -> c.requestRateRatio).findFirst().orElse(Double.NaN);
        return String.format(Locale.ROOT, "%s; %s not compared: the canary pods served %.0f %% of the baseline pods' "
                + "request rate, at which load alone moves costs per request.", base, String.join(", ", rises), rate * 100);
    }

    /** What a non-FAIL summary says of a mix that differs: what a PASS would hide. */
    private static String mixSaid(RequestMix mix) {
        double hidden = mix.largestRatio() == null || !(mix.smallestRatio() > 0) ? Double.POSITIVE_INFINITY
                : mix.largestRatio() / mix.smallestRatio();
        return "the canary served another request mix than the baseline (" + RequestMixCheck.describe(mix) + "), so a "
                + "regression in the code of an endpoint it served less of could hide in the mix (up to "
                + RequestMixCheck.times(hidden) + ")";
    }

    /** A credible, material share rise in a fail-on type that only a severe traffic shift kept from failing. */
    private static boolean riseUnderSevereShift(List<Finding> findings, Map<ProfileType, TypeContext> contexts,
                                                JudgeConfig config) {
        for (Finding f : findings) {
            TypeContext context = contexts.get(f.profileType());
            if (context != null && FindingBuilder.severeShift(context) && f.kind() == FindingKind.REGRESSION
                    && !f.failing() && !f.jvmInternal() && config.failOnTypes().contains(f.profileType())) {
                return true;
            }
        }
        return false;
    }

    /**
     * "canary" (or "baseline") when that group has no observation of {@code type} because the readers left the type
     * out of every one of its profiles by design ({@code Profile#leftOutTypes}: sample counts that are not object
     * counts), while the other group has some; null otherwise.
     */
    private static String leftOutByReaders(ProfileType type, TypeContext context, List<Observation> baseline,
                                           List<Observation> canary) {
        String[] names = {"baseline", "canary"};
        List<List<Observation>> groups = List.of(baseline, canary);
        for (int g = 0; g < 2; g++) {
            List<Observation> group = groups.get(g);
            if (context.groups[g].observations() == 0 && context.groups[1 - g].observations() > 0 && !group.isEmpty()
                    && group.stream().allMatch(o -> o.profile().leftOutTypes().containsKey(type))) {
                return names[g];
            }
        }
        return null;
    }

    private static boolean containsSame(List<Observation> list, Observation o) {
        for (Observation candidate : list) {
            if (candidate == o) {
                return true;
            }
        }
        return false;
    }

    private static Double nullable(double value) {
        return Double.isFinite(value) ? value : null;
    }

    /**
     * The largest rise of a function's own cost that the verdict admits it could miss, among the types that can fail
     * the canary — what an underpowered INCONCLUSIVE names instead of "no material regression seen": a function that
     * doubled at a fifth of the CPU is no regression "not seen" but one these pods cannot tell from their noise. Such
     * a rise is one the judge is required to resolve and these data could not: at least {@code maxDetectableChange}
     * in a function at 5 % or more of the baseline's total (the yardstick the summary quotes), and material under the
     * function's own rule. Per type: the summary quotes one type's yardstick and names that type's rise.
     */
    static Map<ProfileType, String> largestMaterialRises(List<FunctionTest> tests, JudgeConfig config) {
        Map<ProfileType, String> rises = new EnumMap<>(ProfileType.class);
        for (ProfileType type : config.failOnTypes()) {
            String rise = largestMaterialRise(tests.stream().filter(t -> t.type() == type).toList(), config);
            if (rise != null) {
                rises.put(type, rise);
            }
        }
        return rises;
    }

    /** {@link #largestMaterialRises} of one type's tests: the rise, or null. */
    static String largestMaterialRise(List<FunctionTest> tests, JudgeConfig config) {
        if (config.maxDetectableChange() == null) {
            return null;
        }
        FunctionTest ownCode = largestMaterialRise(tests, config, true);
        // Without an own-code rise, an application method whose cost with its callees rose as much (code whose cost
        // the JIT or the profiler charges to different frames in each JVM: JDK 25 virtual-thread pods named an
        // inlined loop's cost at AbstractPipeline.copyInto in some JVMs and forEachWithCancel in others, while
        // VirtualOrders.quote went 15 % -> 27 % with its callees).
        FunctionTest largest = ownCode != null ? ownCode : largestMaterialRise(tests, config, false);
        return largest == null ? null : String.format(Locale.ROOT, "`%s`%s rose %s (%s → %s of %s %s)",
                largest.function(), config.frames().classify(largest.function()) == FrameClass.APPLICATION
                        ? Summaries.enclosing(largest.function()) : "",
                "+" + percent(largest.relativeChange()), Summaries.share(largest.baselineShare()),
                Summaries.share(largest.canaryShare()), Summaries.label(largest.type()),
                ownCode != null ? "in its own code" : "with its callees");
    }

    /** The largest such rise of functions' own cost ({@code self}), or of application methods' cost with callees. */
    private static FunctionTest largestMaterialRise(List<FunctionTest> tests, JudgeConfig config, boolean self) {
        FunctionTest largest = null;
        for (FunctionTest t : tests) {
            if (t.measure() != (self ? Measure.SELF : Measure.INCLUSIVE) || !config.failOnTypes().contains(t.type())
                    || (self ? config.frames().classify(t.function()).reportedApart()
                    : config.frames().classify(t.function()) != FrameClass.APPLICATION)) {
                continue;
            }
            double rise = t.canaryShare() - t.baselineShare();
            if (!(t.baselineShare() >= UNDERPOWERED_YARDSTICK_SHARE)
                    || !(t.relativeChange() >= config.maxDetectableChange())
                    || !(t.relativeChange() >= t.thresholds().minRelativeChange())
                    || !(rise >= t.thresholds().minAbsoluteChange())) {
                continue;
            }
            if (largest == null || rise > largest.canaryShare() - largest.baselineShare()) {
                largest = t;
            }
        }
        return largest;
    }

    static String percent(double fraction) {
        double pct = fraction * 100;
        if (Math.abs(pct) >= 10) {
            return String.format(Locale.ROOT, "%.0f %%", pct);
        }
        return String.format(Locale.ROOT, "%.1f %%", pct);
    }

    /**
     * Recordings whose one request count covers all their slices ({@link RecordingRequests}) and of which warm-up
     * left some slices out: their requests in the judged slices are not known, so cost per request is not judged.
     * Said once, naming them, as it is not the data's fault but the warm-up window's.
     */
    private static Optional<String> partialRecordings(List<Observation> baseline, List<Observation> canary,
                                                                List<Observation> usedBaseline,
                                                                List<Observation> usedCanary) {
        List<Observation> given = new ArrayList<>(baseline);
        given.addAll(canary);
        List<Observation> used = new ArrayList<>(usedBaseline);
        used.addAll(usedCanary);
        Set<RecordingRequests> kept = RecordingRequests.complete(used);
        List<String> cut = RecordingRequests.complete(given).stream().filter(r -> !kept.contains(r))
                .map(RecordingRequests::recording).sorted().toList();
        if (cut.isEmpty()) {
            return Optional.empty();
        }
        return Optional.of("requests.csv counts requests per recording, and warm-up left out the first"
                + " slices of " + cut.size() + " sliced recording(s) (" + String.join(", ", cut.subList(0,
                Math.min(3, cut.size()))) + (cut.size() > 3 ? ", …" : "") + "): their requests in the judged slices"
                + " are not known, so cost per request is not judged");
    }

    /**
     * Drops observations that start within the warm-up window after their instance's first observation
     * (needs timestamps; observations without one are kept and the caveat noted).
     */
    private static List<Observation> excludeWarmup(List<Observation> observations, JudgeConfig config,
                                                   List<String> warnings, String group) {
        if (config.warmup().isZero()) {
            return observations;
        }
        long window = config.warmup().toNanos();
        Map<String, Long> firstStart = new HashMap<>();
        boolean missing = false;
        for (Observation o : observations) {
            long start = o.profile().startEpochNanos();
            if (start <= 0) {
                missing = true;
                continue;
            }
            firstStart.merge(o.instance(), start, Math::min);
        }
        List<Observation> kept = new ArrayList<>();
        for (Observation o : observations) {
            long start = o.profile().startEpochNanos();
            Long first = firstStart.get(o.instance());
            if (start > 0 && first != null && start - first < window) {
                continue;
            }
            kept.add(o);
        }
        if (missing) {
            warnings.add("some " + group + " profiles carry no timestamp: the warm-up window could not be applied to them");
        }
        if (kept.size() < observations.size()) {
            warnings.add((observations.size() - kept.size()) + " " + group + " observation(s) in the first "
                    + config.warmup().toSeconds() + " s of their pod excluded as warm-up");
        }
        return kept;
    }

    static int callPathsPerType() {
        return CALL_PATHS_PER_TYPE;
    }

    static Set<FindingKind> failingKinds() {
        return Set.of(FindingKind.REGRESSION, FindingKind.NEW_HOT_PATH, FindingKind.COST_PER_REQUEST,
                FindingKind.DIFFERENT_PROGRAM);
    }
}
