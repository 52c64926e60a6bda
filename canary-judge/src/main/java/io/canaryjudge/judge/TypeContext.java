package io.canaryjudge.judge;

import io.canaryjudge.profile.FunctionTotals;
import io.canaryjudge.profile.Profile;
import io.canaryjudge.profile.ProfileFormat;
import io.canaryjudge.profile.ProfileType;
import io.canaryjudge.profile.SampleType;
import io.canaryjudge.profile.SamplingSetting;
import io.canaryjudge.profile.pprof.EffectiveSamples;
import io.canaryjudge.profile.pprof.PprofSampleTypes;
import io.canaryjudge.verdict.GroupQuality;
import io.canaryjudge.verdict.TypeQuality;
import java.math.BigDecimal;
import java.math.RoundingMode;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.Comparator;
import java.util.EnumMap;
import java.util.EnumSet;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Set;
import java.util.TreeSet;

/**
 * The observations of one type in both groups and in the history, on one shared function table,
 * with the units (pods, history windows) they form.
 */
final class TypeContext {
    /**
     * Said once after the too-few-observations reasons ("… observation(s); at least 2 needed"): one profile per pod is
     * the plainest CLI call, so how to judge it, and where its cost is measured.
     */
    // no slice length here: the hint must be true whatever --slice was given (it recommended --slice 10s to a user
    // whose 10 s recordings had just been cut with it)
    static final String TOO_FEW_OBSERVATIONS_REMEDY = "give each pod several time slices (a directory of slices, or"
            + " a JFR recording cut by `compare --slice` into slices shorter than the recording; record longer if it"
            + " is no longer than the slice), or set minObservationsPerGroup: 1 to judge one profile per pod"
            + " (docs/EVALUATION.md \"How profiles are cut\")";

    /**
     * Canary pods serving under this fraction (or over its inverse) of the baseline's request rate
     * have shifted traffic: per-request costs are not comparable then.
     */
    static final double TRAFFIC_SHIFT = TrafficShift.BAND;

    final ProfileType type;
    /** Baseline and canary observations first (in group order), history after. */
    final List<TypedObservation> observations;
    final String[] functionNames;
    /** Index of each name in {@link #functionNames}. */
    final Map<String, Integer> functionIds;
    /** Pods per group: [baseline, canary]. */
    final int[] instances;
    final Units units;
    final boolean perRequest;
    /** Request counts known for every baseline and canary observation (perhaps at shifted rates). */
    final boolean requestsKnown;
    /** Sample counts known for every baseline and canary observation. */
    final boolean samplesKnown;
    final GroupQuality[] groups = new GroupQuality[2];
    /** Formats of the baseline and canary observations without a sample count: what the note on it names. */
    final Set<ProfileFormat> samplesUnknownIn = EnumSet.noneOf(ProfileFormat.class);
    final List<String> extraNotes = new ArrayList<>();
    /**
     * The unit of the baseline's and canary's values: the type's own, or {@code samples} where the inputs held
     * sample counts (collapsed cpu and wall; readers convert every other input to the type's unit); both, joined by
     * "and", when the inputs mix them.
     */
    String unit;
    TypeAnalysis analysis;
    /**
     * Canary pods' request rate over the baseline pods' (mean per pod, requests per second);
     * NaN unless request counts and profile durations are known for every observation.
     */
    double requestRateRatio = Double.NaN;
    /** Canary pods' total value per second over the baseline pods' (e.g. CPU used per second); NaN when unknown. */
    double totalPerSecondRatio = Double.NaN;
    /**
     * The canary pods' request rate is outside [{@link #TRAFFIC_SHIFT}, 1 / {@code TRAFFIC_SHIFT}] of the baseline
     * pods' and the counts are served traffic: per-request costs are not compared, share rises that a load change
     * explains are not failed. Never for a closed loop's counts ({@link Observation#closedLoop}).
     */
    boolean trafficShifted;
    /**
     * The canary pods' load over the baseline pods' that {@link #trafficShifted} rests on: {@link #requestRateRatio},
     * or, without request counts, the CPU used per second ({@link #loadFromCpu}); NaN when neither says.
     */
    double loadRatio = Double.NaN;
    /** {@link #loadRatio} is the canary pods' CPU per second over the baseline pods' (no request counts). */
    boolean loadFromCpu;
    /** Every baseline and canary observation's counts are a closed loop's ({@code --load closed}). */
    boolean closedLoop;
    /**
     * The groups' CPU profiles declare different sampling ({@link InputComparability#cpuSampling}): samples × the declared
     * interval is not the same measure of CPU on both sides, so neither CPU per request nor CPU per second is compared
     * between them, only shares. async-profiler's {@code itimer} fires at most once per kernel tick a process runs in
     * (4 ms at HZ=250): recorded pods of one build at {@code interval=500us} read 94.8 µs of CPU per request, at
     * {@code interval=5ms} 694 µs (qa39), and the canary FAILed on "CPU per request +632 %"; a JDK's
     * {@code jdk.ExecutionSample} counts only threads in Java code, perf_events' {@code event=cpu} every thread's CPU.
     */
    boolean samplingDiffers;
    /**
     * The groups' CPU profiles were taken by different kinds of sampler (async-profiler against the JDK's own, {@link
     * InputComparability#cpuSamplers}): "async-profiler event=itimer in the baseline, JDK method sampling in the canary";
     * null when they were not or do not say. Shares then differ without a code change ({@link FindingBuilder}).
     */
    String otherSampler;
    /** A CPU rise that would have failed was reported, not failed, for {@link #otherSampler}. */
    boolean samplerKeptRise;
    /** The groups' request mix from per-endpoint counts ({@link RequestMixCheck}); null when not known. */
    io.canaryjudge.verdict.RequestMix requestMix;
    /** A rise that would have failed was reported, not failed, as the request mix explains it. */
    boolean mixKeptRise;
    /** Why {@link #samplingDiffers} keeps CPU per request and per second uncompared, for notes and summaries. */
    static final String SAMPLING_DIFFERS = "the groups' cpu profiles were sampled differently (dataQuality.warnings), "
            + "and samples × interval measures CPU differently per setup (an itimer interval below the kernel's tick "
            + "fires once a tick, so it undercounts), so only shares are compared";

    private TypeContext(ProfileType type, List<TypedObservation> observations, String[] functionNames,
                        Map<String, Integer> functionIds, int[] instances, Units units, boolean requestsKnown,
                        boolean perRequest, boolean samplesKnown) {
        this.type = type;
        this.observations = observations;
        this.functionIds = functionIds;
        this.functionNames = functionNames;
        this.instances = instances;
        this.units = units;
        this.requestsKnown = requestsKnown;
        this.perRequest = perRequest;
        this.samplesKnown = samplesKnown;
    }

    /**
     * Null when neither group has this type.
     *
     * @param warnings receives one line per group with profiles that hold no data of this type
     */
    static TypeContext build(ProfileType type, List<Observation> baseline, List<Observation> canary,
                             List<Observation> history, List<String> warnings) {
        Map<String, Integer> functionIds = new HashMap<>();
        List<String> names = new ArrayList<>();
        List<TypedObservation> typed = new ArrayList<>();
        int[] instances = new int[3];
        boolean allRequests = true;
        boolean closedLoop = true;
        long[] samples = new long[2];
        boolean samplesKnown = true;
        Set<ProfileFormat> samplesUnknownIn = EnumSet.noneOf(ProfileFormat.class);
        double[] totals = new double[2];
        int[] counts = new int[2];
        Set<String> valueUnits = new TreeSet<>();
        List<List<Observation>> groups = List.of(baseline, canary, history);
        Set<RecordingRequests> completeRecordings = RecordingRequests.complete(
                groups.stream().flatMap(List::stream).toList());
        List<Map<String, Integer>> instanceIds = new ArrayList<>();
        String[] groupNames = {"baseline", "canary", "history"};
        CountedSampleSize counted = CountedSampleSize.of(type, groups);
        int[] estimatedCounts = new int[3];
        for (int g = 0; g < 3; g++) {
            Map<String, Integer> ids = new LinkedHashMap<>();
            instanceIds.add(ids);
            List<String> empty = new ArrayList<>();
            Map<String, Double> podSamples = new LinkedHashMap<>();
            Map<String, Integer> snapshots = inUseSnapshots(type, groups.get(g));
            for (Observation o : groups.get(g)) {
                Profile profile = o.profile();
                int column = profile.sampleTypeIndex(type);
                if (column < 0) {
                    continue;
                }
                FunctionTotals columnTotals = profile.functionTotals(column);
                if (columnTotals.total() <= 0) {
                    empty.add(emptyProfileName(profile, groups.get(g)));
                    continue;
                }
                int instance = ids.computeIfAbsent(o.instance(), k -> ids.size());
                int[] globalIds = new int[profile.functionCount()];
                for (int f = 0; f < globalIds.length; f++) {
                    globalIds[f] = functionIds.computeIfAbsent(profile.functionName(f), name -> {
                        names.add(name);
                        return names.size() - 1;
                    });
                }
                long sampleCount = profile.sampleCount(column);
                // A time profile without its count beside counted ones (a Pyroscope wall slice whose samples/count query
                // failed) takes the fewest samples the counted ones allow: its time over its smallest value would read
                // V8's measured nanoseconds as far more samples than were taken, understating its noise.
                double fromCounted = sampleCount > 0 || o.valuePerSample() != null ? Double.NaN
                        : counted.estimate(o.instance(), profile.format(), columnTotals.total());
                // A time profile whose count was asked and not read (the count's caveat) is never read as its time
                // over its smallest value: at most one sample per stack, (Σv)²/Σv², bounds it from below whether or
                // not counted slices give an estimate, and the fewer wins, so noise may only be overstated (fxk: with
                // every count query failing, qa96's baseline read 154,235 samples against its files' 24,280).
                double unreadBound = sampleCount <= 0 && o.valuePerSample() == null
                        && (type == ProfileType.CPU || type == ProfileType.WALL) && profile.caveats().containsKey(type)
                        ? EffectiveSamples.fewestPossible(profile, column) : Double.NaN;
                double sampleEstimate = sampleCount > 0 ? sampleCount
                        : o.valuePerSample() != null ? columnTotals.total() / o.valuePerSample()
                        : unreadBound > 0 ? (fromCounted > 0 ? Math.min(fromCounted, unreadBound) : unreadBound)
                        : fromCounted > 0 ? fromCounted
                        : timeSamples(type, profile, column);
                estimatedCounts[g] += fromCounted > 0 ? 1 : 0;
                if (!(sampleEstimate > 0)) {
                    sampleEstimate = counted.estimate(o.instance(), profile.format(), columnTotals.total());
                    estimatedCounts[g] += sampleEstimate > 0 ? 1 : 0;
                }
                if (sampleEstimate > 0 && inUse(profile, column)) {
                    sampleEstimate /= snapshots.getOrDefault(o.instance(), 1);
                }
                if (g < 2) {
                    samplesKnown &= sampleEstimate > 0;
                    if (!(sampleEstimate > 0)) {
                        samplesUnknownIn.add(profile.format());
                    }
                    samples[g] += sampleEstimate > 0 ? Math.round(sampleEstimate) : 0;
                    podSamples.merge(o.instance(), sampleEstimate > 0 ? sampleEstimate : 0, Double::sum);
                    totals[g] += columnTotals.total();
                    counts[g]++;
                    valueUnits.add(valueUnit(type, profile.sampleTypes().get(column).unit()));
                }
                RecordingRequests recording = completeRecordings.contains(o.recordingRequests())
                        ? o.recordingRequests() : null;
                TypedObservation t = new TypedObservation(g, instance, profile, columnTotals, globalIds, sampleEstimate,
                        o.requests(), recording);
                if (g < 2) {
                    allRequests &= t.requestsCounted();
                    closedLoop &= o.closedLoop();
                }
                typed.add(t);
            }
            instances[g] = ids.size();
            if (g < 2 && samplesKnown) {
                smallPods(groupNames[g], type, podSamples, warnings);
            }
            if (!empty.isEmpty()) {
                warnings.add(String.format(Locale.ROOT, "%d %s profile(s) hold no %s samples and were left out: %s",
                        empty.size(), groupNames[g], type.id(), String.join(", ", empty.subList(0, Math.min(3,
                                empty.size()))) + (empty.size() > 3 ? ", …" : "")));
            }
        }
        if (counts[0] + counts[1] == 0) {
            return null;
        }
        int estimated = estimatedCounts[0] + estimatedCounts[1] + estimatedCounts[2];
        Units units = units(typed, instances, instanceIds);
        boolean requestsKnown = allRequests && counts[0] > 0 && counts[1] > 0;
        int[] podCounts = {instances[0], instances[1]};
        double rateRatio = requestsKnown ? perSecondRatio(typed, podCounts, true) : Double.NaN;
        // Per-request costs are only comparable between pods serving similar request rates: at a
        // much lower rate fixed costs spread over fewer requests and caches run cold (recorded
        // here: same code at 18 % of the baseline's rate cost +72 % CPU per request). Then the
        // composition-normalised shares are compared instead.
        boolean outsideBand = rateRatio < TRAFFIC_SHIFT || rateRatio > 1 / TRAFFIC_SHIFT;
        // A closed loop (a benchmark) completes as many operations as it can: a canary's lower rate is its own
        // slowness, which is what cost per operation measures, not a traffic shift.
        boolean shifted = outsideBand && !closedLoop;
        TypeContext context = new TypeContext(type, typed, names.toArray(String[]::new), functionIds, podCounts,
                units, requestsKnown, requestsKnown && !shifted, samplesKnown);
        context.requestRateRatio = rateRatio;
        context.unit = valueUnits.isEmpty() ? type.unit() : String.join(" and ", valueUnits);
        context.samplesUnknownIn.addAll(samplesUnknownIn);
        if (estimated > 0) {
            context.extraNotes.add(String.format(Locale.ROOT, "the sample counts of %d of %d %s profile(s) were not "
                    + "given (the source could not say, or did not answer in time), while the others' were: they were "
                    + "estimated from the same pod's other profiles (else the group's) at the largest %s per sample "
                    + "seen there, which can only overstate their sampling noise", estimated, typed.size(), type.id(),
                    type.unit()));
        }
        context.totalPerSecondRatio = perSecondRatio(typed, podCounts, false);
        context.trafficShifted = shifted;
        context.loadRatio = rateRatio;
        context.closedLoop = closedLoop && counts[0] + counts[1] > 0;
        if (outsideBand && closedLoop) {
            context.extraNotes.add(String.format(Locale.ROOT, "canary pods completed %.0f %% of the baseline pods' "
                    + "operations per second: the counts are a closed loop's (--load closed), so the lower rate is the "
                    + "canary's own speed and costs per operation were compared", rateRatio * 100));
        }
        if (shifted) {
            context.extraNotes.add(String.format(Locale.ROOT, "canary pods served %.0f %% of the baseline pods' "
                    + "request rate: per-request costs are not comparable at such different loads, so shares "
                    + "(normalised for composition) were compared", rateRatio * 100));
        }
        for (int g = 0; g < 2; g++) {
            context.groups[g] = new GroupQuality(instances[g], counts[g], 0, samplesKnown ? samples[g] : -1, totals[g]);
        }
        return context;
    }

    /**
     * Without request counts, a canary whose pods used far less CPU per second than the baseline pods served a lighter
     * load (a router's weight, uneven balancing), or did much less work: either way fixed-rate work (schedulers, metric
     * scrapes, timers, GC of an idle heap, the JIT) takes a larger share of its smaller total without any code change
     * (recorded, qa27: one A/A canary at a fifth of a baseline pod's arrival rate used 43 % of its CPU per second, and
     * a cache refreshed every 250 ms rose from 8 % to 21 % of allocated bytes). So every type is judged as under a
     * severe traffic shift ({@link FindingBuilder#severeShift}): share rises are reported, not failed, and new hot paths
     * still fail. The CPU ratio is not taken for the load ratio: it lies between the load ratio and 1 (fixed costs do
     * not fall with the load), so it cannot say how far apart the loads were. Only the lighter side: a canary using
     * more CPU per second may be slower code serving the same load, which must still fail, and a heavier pod's fixed
     * costs lose share. Not for a closed loop ({@code --load closed}) nor when request counts say what the load was.
     * The cost: a canary whose code got much cheaper overall (under 80 % of the CPU at the same load) has its other
     * functions' rises reported too, INCONCLUSIVE instead of FAIL.
     *
     * @param cpu the CPU type's context whether or not it could be judged: a canary with too few CPU samples to compare
     *            functions still shows how little CPU it used (recorded, qa27: itimer canaries at a fifth and a tenth of
     *            the load kept 648 and 457 samples, and their allocation profiles FAILed on the cache refresh)
     */
    static void inferLoadFromCpu(Map<ProfileType, TypeContext> contexts, TypeContext cpu) {
        if (cpu == null || cpu.requestsKnown || cpu.closedLoop || cpu.samplingDiffers
                || contexts.values().stream().anyMatch(c -> c.requestsKnown || c.closedLoop)) {
            return;
        }
        double ratio = cpu.totalPerSecondRatio;
        if (!(ratio > 0) || ratio >= TRAFFIC_SHIFT) {
            return;
        }
        for (TypeContext context : contexts.values()) {
            context.trafficShifted = true;
            context.loadRatio = ratio;
            context.loadFromCpu = true;
            context.extraNotes.add(String.format(Locale.ROOT, "canary pods used %.0f %% of the baseline pods' CPU per "
                    + "second and no request counts say why: a lighter load (a router's weight, uneven balancing) gives "
                    + "fixed-rate work a larger share and code the JIT compiles later, so share rises were reported, not "
                    + "failed (new hot paths still fail); request counts (requests.csv, Prometheus) would tell load from "
                    + "code", ratio * 100));
        }
    }

    /**
     * A pod with under a tenth of the samples of its group's other pods' median (a pod started late, one that served a
     * fraction of the traffic) counts as much as any other in the group's mean share and cost per request, and its few
     * samples widen the spread learned between pods: recorded (qa42), a canary pod of 17-25 requests beside pods of
     * 800-1,950 moved the A/A canary's CPU per request +35 to +183 % and the summary asked for more pods. The warning
     * names it, once per pod (the first type that shows it).
     */
    static final double SMALL_POD_FRACTION = 0.1;

    /**
     * Whether a column is a heap profile's in-use part by what its pprof name maps to, not by the name
     * ({@link PprofSampleTypes#heapSnapshot}: {@code inuse_space}, {@code inuse_objects} from Go's runtime and
     * async-profiler, {@code space}, {@code objects} from {@code @datadog/pprof}; not the JFR reader's live columns nor
     * Pyroscope's {@code live/count}): a snapshot of the sampled objects alive when it was written, not of what happened in the
     * slice. Two snapshots of one process share every sampled object that outlived the time between them (V8's shop
     * heap: the same 512 KiB samples of connection, socket and timer objects in all seven of a pod's one-minute
     * uploads), so their counts do not add up to independent samples.
     */
    static boolean inUse(Profile profile, int column) {
        if (column < 0) {
            return false;
        }
        SampleType sampleType = profile.sampleTypes().get(column);
        return PprofSampleTypes.heapSnapshot(sampleType.type(), sampleType.unit());
    }

    /**
     * Per instance of one group: how many of its observations are in-use snapshots of {@code type} ({@link #inUse}).
     * Each snapshot's sample count is divided by it, so a pod's snapshots together count as one snapshot's samples:
     * the most they can be worth when every sampled object lived through all of them, which overstates sampling noise
     * when objects come and go, never understates it.
     */
    private static Map<String, Integer> inUseSnapshots(ProfileType type, List<Observation> group) {
        Map<String, Integer> snapshots = new HashMap<>();
        for (Observation o : group) {
            int column = o.profile().sampleTypeIndex(type);
            if (inUse(o.profile(), column) && o.profile().total(column) > 0) {
                snapshots.merge(o.instance(), 1, Integer::sum);
            }
        }
        return snapshots;
    }

    private static void smallPods(String group, ProfileType type, Map<String, Double> podSamples,
                                  List<String> warnings) {
        if (podSamples.size() < 2) {
            return;
        }
        for (Map.Entry<String, Double> pod : podSamples.entrySet()) {
            // the other pods' median: with two pods, the other pod
            double[] sorted = podSamples.entrySet().stream().filter(e -> !e.getKey().equals(pod.getKey()))
                    .mapToDouble(Map.Entry::getValue).sorted().toArray();
            int n = sorted.length;
            double median = n % 2 == 1 ? sorted[n / 2] : 0.5 * (sorted[n / 2 - 1] + sorted[n / 2]);
            String prefix = group + " pod " + pod.getKey() + " holds under a tenth of the samples";
            if (pod.getValue() < SMALL_POD_FRACTION * median
                    && warnings.stream().noneMatch(w -> w.startsWith(prefix))) {
                warnings.add(String.format(Locale.ROOT, "%s of the other %s pods' median (%s: %,.0f against %,.0f): a "
                        + "group's shares and cost per request are the mean of its pods, each counting alike, so this "
                        + "pod (started late, or served a fraction of the traffic) weighs as much as any other and its "
                        + "few samples widen the spread learned between pods; a later window, or the group without it, "
                        + "compares more firmly", prefix, group, type.id(), pod.getValue(), median));
            }
        }
    }

    /** The unit of a column's values: {@code samples} as a reader said, else the type's own (readers convert to it). */
    private static String valueUnit(ProfileType type, String columnUnit) {
        return "samples".equals(columnUnit) ? "samples" : type.unit();
    }

    /**
     * A profile left out for holding no data of the type, in words: its source, and which slice when the same file
     * gave the group several ("…/b1/window.jfr.gz (the slice 50–60 s into it)"): its other slices were kept.
     */
    private static String emptyProfileName(Profile profile, List<Observation> group) {
        long first = Long.MAX_VALUE;
        int slices = 0;
        for (Observation other : group) {
            if (other.profile().source().equals(profile.source())) {
                slices++;
                first = Math.min(first, other.profile().startEpochNanos());
            }
        }
        if (slices < 2 || profile.durationNanos() <= 0) {
            return profile.source();
        }
        double from = (profile.startEpochNanos() - first) / 1e9;
        double to = from + profile.durationNanos() / 1e9;
        return String.format(Locale.ROOT, "%s (the slice %s–%s s into it)", profile.source(), seconds(from), seconds(to));
    }

    /** Seconds for a message: whole when whole, else to the millisecond ("50", "60.074"). */
    private static String seconds(double value) {
        return BigDecimal.valueOf(value).setScale(3, RoundingMode.HALF_UP).stripTrailingZeros().toPlainString();
    }

    /**
     * Why sample counts are unknown, for each input kind that lacks them: collapsed files hold values
     * without counts unless {@code --value-per-sample} says what a sample stands for; a pprof profile (or a
     * recording) may hold no sample or count column for the type.
     */
    String samplesUnknownReason() {
        List<String> reasons = new ArrayList<>();
        for (ProfileFormat format : samplesUnknownIn) {
            reasons.add(switch (format) {
                case COLLAPSED -> "collapsed input without a sample value (--value-per-sample)";
                case PPROF -> "pprof profiles without a sample or count column for " + type.id();
                case JFR -> "JFR recordings without " + type.id() + " events counted";
                case GZIP -> "gzipped profiles without a sample count for " + type.id();
            });
        }
        return reasons.isEmpty() ? "no sample count for " + type.id() : String.join("; ", reasons);
    }

    /**
     * Current pods are one unit each; a history instance's observations, in time order, are cut into
     * windows of as many slices as a current baseline pod holds (the median), counted back from its
     * latest — so instances observed over the same earlier windows line up. A leftover run shorter
     * than half a window joins the earliest full one.
     */
    private static Units units(List<TypedObservation> typed, int[] instances, List<Map<String, Integer>> instanceIds) {
        int pb = instances[0];
        int pc = instances[1];
        int[] baselineSlices = new int[pb];
        for (TypedObservation o : typed) {
            if (o.group == TypedObservation.BASELINE) {
                baselineSlices[o.instance]++;
            }
        }
        int windowSize = Math.max(1, (int) Math.round(median(Arrays.stream(baselineSlices).asDoubleStream().toArray())));
        List<Integer> group = new ArrayList<>();
        List<Integer> jvm = new ArrayList<>();
        List<Integer> window = new ArrayList<>();
        List<Integer> slices = new ArrayList<>();
        for (int p = 0; p < pb + pc; p++) {
            group.add(p < pb ? TypedObservation.BASELINE : TypedObservation.CANARY);
            jvm.add(p);
            window.add(p < pb ? 0 : 1);
            slices.add(0);
        }
        for (TypedObservation o : typed) {
            if (o.group != TypedObservation.HISTORY) {
                o.unit = o.group == TypedObservation.BASELINE ? o.instance : pb + o.instance;
                slices.set(o.unit, slices.get(o.unit) + 1);
            }
        }
        Map<String, Integer> baselineNames = instanceIds.get(0);
        int nextJvm = pb + pc;
        int sharedJvms = 0;
        int historyWindows = 0;
        for (Map.Entry<String, Integer> instance : instanceIds.get(2).entrySet()) {
            List<TypedObservation> own = new ArrayList<>();
            for (TypedObservation o : typed) {
                if (o.group == TypedObservation.HISTORY && o.instance == instance.getValue()) {
                    own.add(o);
                }
            }
            if (own.stream().allMatch(o -> o.profile.startEpochNanos() > 0)) {
                own.sort(Comparator.comparingLong(o -> o.profile.startEpochNanos()));
            }
            Integer shared = baselineNames.get(instance.getKey());
            int jvmId = shared != null ? shared : nextJvm++;
            sharedJvms += shared != null ? 1 : 0;
            int end = own.size();
            int windowIndex = 1;
            while (end > 0) {
                int start = Math.max(0, end - windowSize);
                if (start > 0 && start < (windowSize + 1) / 2) {
                    start = 0; // a short leftover joins the earliest window
                }
                int unit = group.size();
                group.add(TypedObservation.HISTORY);
                jvm.add(jvmId);
                window.add(1 + windowIndex);
                slices.add(end - start);
                for (int i = start; i < end; i++) {
                    own.get(i).unit = unit;
                }
                historyWindows++;
                windowIndex++;
                end = start;
            }
        }
        // History windows that only one unit has cannot be compared across JVMs: they form one group together.
        int units = group.size();
        int maxWindow = Math.max(1, window.stream().mapToInt(Integer::intValue).max().orElse(1));
        int[] perWindow = new int[maxWindow + 1];
        for (int w : window) {
            perWindow[w]++;
        }
        int[] renumber = new int[maxWindow + 1];
        Arrays.fill(renumber, -1);
        renumber[0] = 0;
        renumber[1] = 1;
        int next = 2;
        int alone = -1;
        for (int w = 2; w <= maxWindow; w++) {
            if (perWindow[w] >= 2) {
                renumber[w] = next++;
            } else if (perWindow[w] == 1) {
                if (alone < 0) {
                    alone = next++;
                }
                renumber[w] = alone;
            }
        }
        int[] windowIds = new int[units];
        for (int u = 0; u < units; u++) {
            windowIds[u] = renumber[window.get(u)];
        }
        return new Units(pb, pc, group.stream().mapToInt(Integer::intValue).toArray(),
                jvm.stream().mapToInt(Integer::intValue).toArray(), windowIds,
                slices.stream().mapToInt(Integer::intValue).toArray(), Math.max(2, next), instances[2], historyWindows,
                sharedJvms);
    }

    /**
     * Samples behind a CPU or wall-clock column that does not carry its count (Pyroscope's pprof):
     * time-sampled profiles give every sample the same interval, so every stack value is a multiple of
     * it and the greatest common divisor of the values is the interval (the smallest value when the
     * values are not exact multiples). NaN for other types: an allocation sample's weight varies with
     * what it caught, so no value says how many samples there were.
     */
    static double timeSamples(ProfileType type, Profile profile, int column) {
        if (type != ProfileType.CPU && type != ProfileType.WALL) {
            return Double.NaN;
        }
        long gcd = 0;
        long min = Long.MAX_VALUE;
        long total = 0;
        for (int s = 0; s < profile.stackCount(); s++) {
            long v = profile.value(s, column);
            if (v > 0) {
                gcd = SamplingSetting.commonDivisor(gcd, v);
                min = Math.min(min, v);
                total += v;
            }
        }
        if (total <= 0) {
            return Double.NaN;
        }
        long interval = gcd > 1 ? gcd : min;
        return (double) total / interval;
    }

    /**
     * Mean per pod of requests (or total value) per second, canary over baseline; NaN when unknown. A count
     * of a whole recording cut into slices counts once for its pod ({@link RecordingRequests}).
     */
    private static double perSecondRatio(List<TypedObservation> typed, int[] instances, boolean countRequests) {
        List<TypedObservation> current = typed.stream().filter(o -> o.group != TypedObservation.HISTORY).toList();
        double[] requests = new double[instances[0] + instances[1]];
        double[] seconds = new double[requests.length];
        for (TypedObservation o : current) {
            long duration = o.profile.durationNanos();
            if (duration <= 0) {
                return Double.NaN;
            }
            int pod = podIndex(o, instances);
            requests[pod] += countRequests ? 0 : o.total;
            seconds[pod] += duration / 1e9;
        }
        if (countRequests) {
            requests = RecordingRequests.perUnit(current, requests.length, o -> podIndex(o, instances),
                    o -> o.requests, o -> o.recording);
        }
        double[] rate = new double[2];
        for (int pod = 0; pod < requests.length; pod++) {
            int g = pod < instances[0] ? 0 : 1;
            rate[g] += requests[pod] / seconds[pod] / instances[g];
        }
        return rate[0] > 0 ? rate[1] / rate[0] : Double.NaN;
    }

    private static int podIndex(TypedObservation o, int[] instances) {
        return o.group == TypedObservation.BASELINE ? o.instance : instances[0] + o.instance;
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
            // A lock profile records an event only when a thread waited: a group observed for its slices that waited
            // rarely measured little contention, which is what a contention regression is compared against, not too
            // little data. The floor is for sampled types (cpu, wall, allocations), where few samples mean little seen.
            // (Recorded: a healthy baseline's 3 pods gave 755-1,100 lock events a minute, so a canary whose new
            // synchronized section waited 20,000 times was "not judged" and, with lock_delay in failOnTypes, every
            // A/A was INCONCLUSIVE: docs/EVALUATION.md "Canaries that block".)
            // So is a native leak profile: each sample is a block still allocated at the end of its recording, and a
            // healthy JVM keeps few (recorded, qa48: 38 in 10 one-minute recordings of 2 pods at nativemem=64 KiB).
            if (samplesKnown && !eventDriven(type) && !type.keptOnlyWhenLeaking()
                    && q.samples() < config.minSamplesPerGroup()) {
                return String.format(Locale.ROOT, "the %s has %d %s samples; at least %d needed",
                        groupNames[g], q.samples(), type.id(), config.minSamplesPerGroup());
            }
        }
        return null;
    }

    /**
     * Whether this is wall time of Node's one JavaScript thread: every baseline and canary profile Node's
     * ({@link NodeBusyWall#node}). {@code @datadog/pprof} samples that thread only, so a function's wall a second is the
     * fraction of the time the thread ran it, not a count of threads.
     */
    boolean nodeJsThread() {
        if (type != ProfileType.WALL) {
            return false;
        }
        if (nodeJsThread == null) {
            boolean node = !current().isEmpty();
            for (TypedObservation o : current()) {
                node &= NodeBusyWall.node(o.profile);
            }
            nodeJsThread = node;
        }
        return nodeJsThread;
    }

    /** {@link #nodeJsThread()}, once asked. */
    private Boolean nodeJsThread;

    /**
     * Whether this wall is the busy time of Node's one JavaScript thread: {@link #nodeJsThread()} and no idle frame
     * carrying wall time ({@link NodeBusyWall#idleWall}). Then a pod's wall per request is what its code ran per request,
     * a cost like CPU per request: no pool of threads to grow, no waiting counted (qa86).
     */
    boolean jsThreadBusyTime() {
        if (jsThreadBusyTime == null) {
            boolean busy = nodeJsThread();
            for (TypedObservation o : current()) {
                busy = busy && !NodeBusyWall.idleWall(o.profile);
            }
            jsThreadBusyTime = busy;
        }
        return jsThreadBusyTime;
    }

    /** {@link #jsThreadBusyTime()}, once asked (a scan of every profile's frames). */
    private Boolean jsThreadBusyTime;

    /**
     * A function's value with its callees per second of profile, the mean over each group's pods {baseline, canary}:
     * for wall time the threads in it on average, for lock wait the time waited a second, for lock contentions the
     * waits a second. Null when a profile does not say how long it ran. The shares a verdict compares say where the
     * time went; this says how much, in units a release engineer reads ("12 ms of lock wait a second").
     */
    double[] perSecondPerPod(int function) {
        Map<Integer, double[]> pods = new LinkedHashMap<>();
        for (TypedObservation o : current()) {
            long nanos = o.profile.durationNanos();
            if (nanos <= 0) {
                return null;
            }
            double[] pod = pods.computeIfAbsent(o.group * 1_000_000 + o.instance, k -> new double[3]);
            pod[0] = o.group;
            pod[1] += o.value(function, false);
            pod[2] += nanos / 1e9;
        }
        double[] sum = new double[2];
        int[] count = new int[2];
        for (double[] pod : pods.values()) {
            int g = (int) pod[0];
            sum[g] += pod[1] / pod[2];
            count[g]++;
        }
        return count[0] == 0 || count[1] == 0 ? null : new double[] {sum[0] / count[0], sum[1] / count[1]};
    }

    /**
     * A function's value with its callees per request, the mean over each group's pods {baseline, canary} (a pod's
     * value over its served requests, {@link RecordingRequests}): how much a change costs each request, in the
     * profile's unit (CPU time, bytes allocated). Null when requests are not counted or the canary serves another
     * rate than the baseline (fixed costs spread over other counts: not comparable per request). A negative
     * {@code function} means the whole profile (every function's cost).
     */
    double[] perRequestPerPod(int function) {
        if (!perRequest || samplingDiffers) {
            return null;
        }
        List<TypedObservation> current = current();
        double[] value = new double[instances[0] + instances[1]];
        for (TypedObservation o : current) {
            value[podIndex(o, instances)] += function < 0 ? o.total : o.value(function, false);
        }
        double[] requests = RecordingRequests.perUnit(current, value.length, o -> podIndex(o, instances),
                o -> o.requests, o -> o.recording);
        double[] sum = new double[2];
        int[] count = new int[2];
        for (int pod = 0; pod < value.length; pod++) {
            if (requests[pod] > 0) {
                int g = pod < instances[0] ? 0 : 1;
                sum[g] += value[pod] / requests[pod];
                count[g]++;
            }
        }
        return count[0] == 0 || count[1] == 0 ? null : new double[] {sum[0] / count[0], sum[1] / count[1]};
    }

    /** Types whose events happen only when a thread waits (lock contention), not at a sampling rate. */
    static boolean eventDriven(ProfileType type) {
        return type == ProfileType.LOCK_DELAY || type == ProfileType.LOCK_COUNT;
    }

    TypeQuality quality(boolean judged, int tests, Double cv, Double phi, Double mdc1, Double mdc5, String noiseSource,
                        List<String> notes, int warmupBaseline, int warmupCanary) {
        GroupQuality b = groups[0];
        GroupQuality c = groups[1];
        return new TypeQuality(type, judged,
                new GroupQuality(b.instances(), b.observations(), warmupBaseline, b.samples(), b.total()),
                new GroupQuality(c.instances(), c.observations(), warmupCanary, c.samples(), c.total()),
                tests, cv, phi, mdc1, mdc5, notes, noiseSource, unit);
    }

    /** The current observations of one group (baseline 0, canary 1). */
    List<TypedObservation> group(int g) {
        return observations.stream().filter(o -> o.group == g).toList();
    }

    /** Baseline and canary observations, without the history (which only teaches noise, never a level). */
    List<TypedObservation> current() {
        return observations.stream().filter(o -> o.group != TypedObservation.HISTORY).toList();
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

    /**
     * What one counted sample of a type stands for where some profiles say their sample counts and others do not:
     * the profiles of one source normally all do or all do not, but a source can fail to say for a few (Pyroscope
     * gives allocation counts by a separate query per slice, which can time out or be refused while the bytes
     * arrived). Without this, one such slice switched the whole type to the model without counts and changed the
     * verdict without a word (an A/A through the service: PASS, or INCONCLUSIVE with a minimum detectable change
     * of 10^31 %). A missing count is estimated as the profile's total over the largest value per sample among the
     * same instance's counted profiles, else among all counted profiles of the same format: the largest value per
     * sample gives the fewest samples, so the sampling noise can be overstated but not understated.
     *
     * @param byInstance the largest value per counted sample of each instance (the type's unit per sample)
     * @param byFormat   the largest value per counted sample over all instances, per input format
     */
    record CountedSampleSize(Map<String, Double> byInstance, Map<ProfileFormat, Double> byFormat) {
        static CountedSampleSize of(ProfileType type, List<List<Observation>> groups) {
            Map<String, Double> byInstance = new HashMap<>();
            Map<ProfileFormat, Double> byFormat = new EnumMap<>(ProfileFormat.class);
            for (List<Observation> group : groups) {
                for (Observation o : group) {
                    int column = o.profile().sampleTypeIndex(type);
                    long count = column < 0 ? 0 : o.profile().sampleCount(column);
                    if (count <= 0 || o.valuePerSample() != null) {
                        continue;
                    }
                    double total = o.profile().total(column);
                    if (total > 0) {
                        byInstance.merge(o.instance(), total / count, Math::max);
                        byFormat.merge(o.profile().format(), total / count, Math::max);
                    }
                }
            }
            return new CountedSampleSize(byInstance, byFormat);
        }

        /** The estimated sample count of a profile holding {@code total} of the type; NaN when nothing was counted. */
        double estimate(String instance, ProfileFormat format, double total) {
            Double perSample = byInstance.getOrDefault(instance, byFormat.get(format));
            return perSample == null || !(total > 0) ? Double.NaN : Math.max(1, total / perSample);
        }
    }
}
