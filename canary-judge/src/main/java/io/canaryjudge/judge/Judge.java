package io.canaryjudge.judge;

import io.canaryjudge.judge.memory.HeapWindows;
import io.canaryjudge.judge.memory.MemoryGrowthConfig;
import io.canaryjudge.judge.memory.MemoryVerdicts;
import io.canaryjudge.profile.FunctionTotals;
import io.canaryjudge.profile.Profile;
import io.canaryjudge.profile.ProfileType;
import io.canaryjudge.verdict.DataQuality;
import io.canaryjudge.verdict.Finding;
import io.canaryjudge.verdict.FindingKind;
import io.canaryjudge.verdict.GroupQuality;
import io.canaryjudge.verdict.Measure;
import io.canaryjudge.verdict.Result;
import io.canaryjudge.verdict.TypeQuality;
import io.canaryjudge.verdict.Verdict;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.EnumMap;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Set;

/**
 * Compares baseline and canary observations and returns a verdict. A deterministic function of
 * its arguments: no I/O, no clock, no Spring. The verdict's id is left null for the caller to assign.
 *
 * <p>Per judged profile type, {@link TypeAnalysis} tests every material function (self and inclusive
 * share, or cost per request when request counts are known); q-values are Benjamini–Hochberg across
 * all tests of the verdict; a finding FAILs the canary only when it is credible (q) <em>and</em>
 * material (relative and absolute change), in a fail-on type, and not JVM-internal work.
 */
public final class Judge {
    /** Canary pods serving under this fraction (or over its inverse) of the baseline's request rate. */
    static final double TRAFFIC_SHIFT = 0.8;
    /** Function name of COST_PER_REQUEST findings. */
    public static final String TOTAL = "<total>";
    private static final int CALL_PATHS_PER_TYPE = 40;
    /** Functions per judged type in {@link Verdict#hottest()}. */
    private static final int HOTTEST_PER_TYPE = 8;

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
        List<String> warnings = new ArrayList<>();
        List<Observation> usedBaseline = excludeWarmup(baseline, config, warnings, "baseline");
        List<Observation> usedCanary = excludeWarmup(canary, config, warnings, "canary");
        int warmupBaseline = baseline.size() - usedBaseline.size();
        int warmupCanary = canary.size() - usedCanary.size();

        List<TypeQuality> qualities = new ArrayList<>();
        List<FunctionTest> tests = new ArrayList<>();
        Map<ProfileType, TypeContext> contexts = new EnumMap<>(ProfileType.class);
        boolean failTypeInsufficient = false;
        boolean failTypeJudged = false;
        boolean underpowered = false;

        for (ProfileType type : ProfileType.values()) {
            if (!config.judgedTypes().contains(type)) {
                continue;
            }
            TypeContext context = TypeContext.build(type, usedBaseline, usedCanary);
            if (context == null) {
                continue;
            }
            boolean failType = config.failOnTypes().contains(type);
            List<String> notes = new ArrayList<>();
            String shortage = context.shortage(config);
            if (shortage != null) {
                notes.add(shortage);
                qualities.add(context.quality(false, 0, null, null, null, null, notes, warmupBaseline, warmupCanary));
                failTypeInsufficient |= failType;
                continue;
            }
            TypeAnalysis analysis = new TypeAnalysis(type, context.observations, context.functionNames,
                    context.instances, config, context.perRequest);
            List<FunctionTest> typeTests = analysis.run();
            tests.addAll(typeTests);
            contexts.put(type, context);
            context.analysis = analysis;
            if (context.instances[0] < 3 || context.instances[1] < 3) {
                context.extraNotes.add(context.instances[0] + " baseline and " + context.instances[1] + " canary pod(s): "
                        + "between-JVM noise is estimated from few pods"
                        + (analysis.betweenInstanceFromPrior() ? " (assumed)" : " and the bulk of functions")
                        + "; 3 or more pods per side give a firmer verdict");
            }
            if (context.perRequest) {
                context.extraNotes.add("request counts known for every observation: total cost per request compared too");
            }
            failTypeJudged |= failType;
        }

        double[] q = BenjaminiHochberg.adjust(weightedPValues(tests));
        for (Map.Entry<ProfileType, TypeContext> entry : contexts.entrySet()) {
            TypeContext context = entry.getValue();
            TypeAnalysis analysis = context.analysis;
            Thresholds thresholds = config.thresholds();
            int totalTests = tests.size();
            double mdc1 = analysis.minimumDetectableChange(0.01, totalTests, thresholds);
            double mdc5 = analysis.minimumDetectableChange(0.05, totalTests, thresholds);
            boolean failType = config.failOnTypes().contains(entry.getKey());
            if (failType && config.maxDetectableChange() != null && !(mdc5 <= config.maxDetectableChange())) {
                underpowered = true;
                context.extraNotes.add(String.format(Locale.ROOT,
                        "these data cannot detect a change smaller than %s in a function at 5 %% of %s "
                                + "(the service asks for %s)", percent(mdc5), entry.getKey().id(),
                        percent(config.maxDetectableChange())));
            }
            List<String> notes = new ArrayList<>(analysis.notes());
            notes.addAll(context.extraNotes);
            qualities.add(context.quality(true, analysis.testsRun(), nullable(analysis.betweenInstanceCv()),
                    nullable(analysis.overdispersion()), nullable(mdc1), nullable(mdc5), notes,
                    warmupBaseline, warmupCanary));
        }
        qualities.sort(Comparator.comparing(TypeQuality::profileType));

        List<Finding> findings = FindingBuilder.build(tests, q, contexts, config);
        IncidentBuilder.Built incidents = IncidentBuilder.build(findings, tests, q, contexts, config);
        findings = incidents.findings();
        boolean failed = findings.stream().anyMatch(Finding::failing);

        Result result;
        String summary;
        if (failed) {
            result = Result.FAIL;
            summary = Summaries.fail(incidents.incidents(), findings);
        } else if (usedBaseline.isEmpty() || usedCanary.isEmpty()) {
            result = Result.INCONCLUSIVE;
            summary = "INCONCLUSIVE: the " + (usedBaseline.isEmpty() ? "baseline" : "canary")
                    + " group has no usable observations.";
        } else if (failTypeInsufficient || !failTypeJudged) {
            result = Result.INCONCLUSIVE;
            summary = Summaries.insufficient(qualities, config);
        } else if (underpowered) {
            result = Result.INCONCLUSIVE;
            summary = Summaries.underpowered(qualities, config);
        } else {
            result = Result.PASS;
            summary = Summaries.pass(findings, incidents.incidents(), qualities, config);
        }
        int score = Scores.score(result, findings);
        DataQuality dataQuality = new DataQuality(qualities, warnings, List.of());
        return new Verdict(null, result, result == Result.PASS, score, summary, findings, List.of(), dataQuality,
                null, FindingBuilder.hottest(tests, q, findings, HOTTEST_PER_TYPE, config.frames()),
                incidents.incidents());
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
        return MemoryVerdicts.apply(judge(baseline, canary, history, config), heap, memory, baseline, canary, history,
                config.frames());
    }

    /** Weight of an inclusive test in the false-discovery budget; self tests get the rest (mean weight 1). */
    static final double INCLUSIVE_WEIGHT = 0.5;

    /**
     * p-values divided by their weights for a weighted Benjamini–Hochberg procedure (Genovese,
     * Roeder &amp; Wasserman 2006, Biometrika 93:509; FDR control holds when the weights average 1).
     * A function's own (self) cost is where a change to its code lands; inclusive tests back them up
     * for changes spread over many small callees, and they are strongly correlated with the self
     * tests of those callees. So inclusive tests get half a share of the FDR budget and self tests
     * the rest (about 1.4 each with ~150 self and ~120 inclusive tests): measured in
     * docs/EVALUATION.md, the key example's detection at d = 1 rose from 94 % with A/A unchanged.
     */
    private static double[] weightedPValues(List<FunctionTest> tests) {
        int self = 0;
        int inclusive = 0;
        for (FunctionTest test : tests) {
            if (Double.isNaN(test.pValue())) {
                continue;
            }
            if (test.measure() == Measure.SELF) {
                self++;
            } else if (test.measure() == Measure.INCLUSIVE) {
                inclusive++;
            }
        }
        double selfWeight = self == 0 ? 1.0 : (self + inclusive - INCLUSIVE_WEIGHT * inclusive) / self;
        double[] weighted = new double[tests.size()];
        for (int i = 0; i < tests.size(); i++) {
            FunctionTest test = tests.get(i);
            double weight = switch (test.measure()) {
                case SELF -> selfWeight;
                case INCLUSIVE -> inclusive > 0 && self > 0 ? INCLUSIVE_WEIGHT : 1.0;
                default -> 1.0;
            };
            weighted[i] = Math.min(1.0, test.pValue() / weight);
        }
        return weighted;
    }

    private static Double nullable(double value) {
        return Double.isFinite(value) ? value : null;
    }

    static String percent(double fraction) {
        double pct = fraction * 100;
        if (Math.abs(pct) >= 10) {
            return String.format(Locale.ROOT, "%.0f %%", pct);
        }
        return String.format(Locale.ROOT, "%.1f %%", pct);
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

    /** The observations of one type in both groups, on one shared function table. */
    static final class TypeContext {
        final ProfileType type;
        final List<TypedObservation> observations;
        final String[] functionNames;
        /** Index of each name in {@link #functionNames}. */
        final Map<String, Integer> functionIds;
        final int[] instances;
        final boolean perRequest;
        final GroupQuality[] groups = new GroupQuality[2];
        final List<String> extraNotes = new ArrayList<>();
        TypeAnalysis analysis;
        /**
         * Canary pods' request rate over the baseline pods' (mean per pod, requests per second);
         * NaN unless request counts and profile durations are known for every observation.
         */
        double requestRateRatio = Double.NaN;
        /** Canary pods' total value per second over the baseline pods' (e.g. CPU used per second); NaN when unknown. */
        double totalPerSecondRatio = Double.NaN;

        private TypeContext(ProfileType type, List<TypedObservation> observations, String[] functionNames,
                            Map<String, Integer> functionIds, int[] instances, boolean perRequest) {
            this.type = type;
            this.observations = observations;
            this.functionIds = functionIds;
            this.functionNames = functionNames;
            this.instances = instances;
            this.perRequest = perRequest;
        }

        /** Null when neither group has this type. */
        static TypeContext build(ProfileType type, List<Observation> baseline, List<Observation> canary) {
            Map<String, Integer> functionIds = new HashMap<>();
            List<String> names = new ArrayList<>();
            List<TypedObservation> typed = new ArrayList<>();
            int[] instances = new int[2];
            boolean allRequests = true;
            long[] samples = new long[2];
            boolean[] samplesKnown = {true, true};
            double[] totals = new double[2];
            int[] counts = new int[2];
            List<List<Observation>> groups = List.of(baseline, canary);
            for (int g = 0; g < 2; g++) {
                Map<String, Integer> instanceIds = new LinkedHashMap<>();
                for (Observation o : groups.get(g)) {
                    Profile profile = o.profile();
                    int column = profile.sampleTypeIndex(type);
                    if (column < 0) {
                        continue;
                    }
                    FunctionTotals totals0 = profile.functionTotals(column);
                    if (totals0.total() <= 0) {
                        continue;
                    }
                    int instance = instanceIds.computeIfAbsent(o.instance(), k -> instanceIds.size());
                    int[] globalIds = new int[profile.functionCount()];
                    for (int f = 0; f < globalIds.length; f++) {
                        String name = profile.functionName(f);
                        Integer id = functionIds.get(name);
                        if (id == null) {
                            id = names.size();
                            functionIds.put(name, id);
                            names.add(name);
                        }
                        globalIds[f] = id;
                    }
                    long sampleCount = profile.sampleCount(column);
                    double estimatedSamples = sampleCount > 0 ? sampleCount : estimateSamples(profile, column);
                    if (sampleCount <= 0) {
                        samplesKnown[g] = false;
                    }
                    samples[g] += Math.round(estimatedSamples);
                    totals[g] += totals0.total();
                    counts[g]++;
                    allRequests &= o.requests() != null && o.requests() > 0;
                    typed.add(new TypedObservation(g, instance, profile, totals0, globalIds, estimatedSamples,
                            o.requests()));
                }
                instances[g] = instanceIds.size();
            }
            if (typed.isEmpty()) {
                return null;
            }
            boolean requestsKnown = allRequests && counts[0] > 0 && counts[1] > 0;
            double rateRatio = requestsKnown ? requestRateRatio(typed, instances) : Double.NaN;
            // Per-request costs are only comparable between pods serving similar request rates: at a
            // much lower rate fixed costs spread over fewer requests and caches run cold (recorded
            // here: same code at 18 % of the baseline's rate cost +72 % CPU per request). Then the
            // composition-normalised shares are compared instead.
            boolean shifted = rateRatio < TRAFFIC_SHIFT || rateRatio > 1 / TRAFFIC_SHIFT;
            TypeContext context = new TypeContext(type, typed, names.toArray(String[]::new), functionIds, instances,
                    requestsKnown && !shifted);
            context.requestRateRatio = rateRatio;
            context.totalPerSecondRatio = perSecondRatio(typed, instances, false);
            if (shifted) {
                context.extraNotes.add(String.format(Locale.ROOT, "canary pods served %.0f %% of the baseline pods' "
                        + "request rate: per-request costs are not comparable at such different loads, so shares "
                        + "(normalised for composition) were compared", rateRatio * 100));
            }
            for (int g = 0; g < 2; g++) {
                context.groups[g] = new GroupQuality(instances[g], counts[g], 0, samplesKnown[g] ? samples[g] : samples[g],
                        totals[g]);
            }
            return context;
        }

        private static double requestRateRatio(List<TypedObservation> typed, int[] instances) {
            return perSecondRatio(typed, instances, true);
        }

        /** Mean per pod of requests (or total value) per second, canary over baseline; NaN when unknown. */
        private static double perSecondRatio(List<TypedObservation> typed, int[] instances, boolean countRequests) {
            double[][] requests = {new double[instances[0]], new double[instances[1]]};
            double[][] seconds = {new double[instances[0]], new double[instances[1]]};
            for (TypedObservation o : typed) {
                long duration = o.profile.durationNanos();
                if (duration <= 0 || (countRequests && o.requests == null)) {
                    return Double.NaN;
                }
                requests[o.group][o.instance] += countRequests ? o.requests : o.total;
                seconds[o.group][o.instance] += duration / 1e9;
            }
            double[] rate = new double[2];
            for (int g = 0; g < 2; g++) {
                for (int i = 0; i < instances[g]; i++) {
                    rate[g] += requests[g][i] / seconds[g][i] / instances[g];
                }
            }
            return rate[0] > 0 ? rate[1] / rate[0] : Double.NaN;
        }

        /**
         * Samples behind a column when the producer does not say: total over the smallest positive
         * stack value (one sample's weight for fixed-interval sampling).
         */
        private static double estimateSamples(Profile profile, int column) {
            long min = Long.MAX_VALUE;
            long total = 0;
            for (int s = 0; s < profile.stackCount(); s++) {
                long v = profile.value(s, column);
                if (v > 0) {
                    min = Math.min(min, v);
                    total += v;
                }
            }
            return min == Long.MAX_VALUE ? 0 : (double) total / min;
        }

        /** Why this type cannot be judged, or null when it can. */
        String shortage(JudgeConfig config) {
            String[] groupNames = {"baseline", "canary"};
            for (int g = 0; g < 2; g++) {
                GroupQuality q = groups[g];
                if (q.observations() == 0) {
                    return "the " + groupNames[g] + " has no " + type.id() + " data";
                }
                if (q.instances() < config.minInstancesPerGroup()) {
                    return String.format(Locale.ROOT, "the %s has %d pod(s) with %s data; at least %d needed",
                            groupNames[g], q.instances(), type.id(), config.minInstancesPerGroup());
                }
                if (q.observations() < config.minObservationsPerGroup()) {
                    return String.format(Locale.ROOT, "the %s has %d %s observation(s); at least %d needed",
                            groupNames[g], q.observations(), type.id(), config.minObservationsPerGroup());
                }
                if (q.samples() < config.minSamplesPerGroup()) {
                    return String.format(Locale.ROOT, "the %s has %d %s samples; at least %d needed",
                            groupNames[g], q.samples(), type.id(), config.minSamplesPerGroup());
                }
            }
            return null;
        }

        TypeQuality quality(boolean judged, int tests, Double cv, Double phi, Double mdc1, Double mdc5,
                            List<String> notes, int warmupBaseline, int warmupCanary) {
            GroupQuality b = groups[0];
            GroupQuality c = groups[1];
            return new TypeQuality(type, judged,
                    new GroupQuality(b.instances(), b.observations(), warmupBaseline, b.samples(), b.total()),
                    new GroupQuality(c.instances(), c.observations(), warmupCanary, c.samples(), c.total()),
                    tests, cv, phi, mdc1, mdc5, notes);
        }

        List<TypedObservation> group(int g) {
            return observations.stream().filter(o -> o.group == g).toList();
        }
    }

    static int callPathsPerType() {
        return CALL_PATHS_PER_TYPE;
    }

    static Set<FindingKind> failingKinds() {
        return Set.of(FindingKind.REGRESSION, FindingKind.NEW_HOT_PATH, FindingKind.COST_PER_REQUEST);
    }
}
