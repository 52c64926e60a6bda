package io.canaryjudge.judge.memory;

import io.canaryjudge.judge.TrafficShift;
import io.canaryjudge.profile.ProfileType;
import io.canaryjudge.profile.heap.HeapSeries;
import io.canaryjudge.verdict.MemoryQuality;
import io.canaryjudge.verdict.PodHeapSummary.HeapPoint;
import io.canaryjudge.verdict.PodHeapSummary;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import org.apache.commons.math3.distribution.TDistribution;

/**
 * Does the canary's heap after GC grow faster than the baseline's? A deterministic function of the
 * heap series and the configuration: no I/O, no clock.
 *
 * <ol>
 *   <li>Each pod's window is thinned to its lowest point per minute ({@link HeapEnvelope}) and a
 *       Theil–Sen line fitted: the pod's slope, bytes per hour (per 1,000 requests when every pod's
 *       request rate is known, so a canary pod serving less traffic is not mistaken for a slower leak).</li>
 *   <li>The baseline's level and the between-pod spread of slopes come from the baseline pods and
 *       the history (earlier windows of the baseline version): slopes of one JVM's heap after GC
 *       scatter with its collections far more than the points' own fit says, so the spread between
 *       pods and windows is the honest noise. It is moderated towards a prior
 *       ({@link MemoryGrowthConfig#priorSlopeSpreadMiBPerHour()} plus
 *       {@link MemoryGrowthConfig#PRIOR_RELATIVE_SPREAD} of the baseline's slope, worth
 *       {@link MemoryGrowthConfig#PRIOR_WEIGHT} pods), as limma moderates a gene's variance (Smyth 2004),
 *       and never taken below what the reference's own slopes show: three pods that happen to agree
 *       must not make a small difference credible, nor a prior hide a noisy baseline.</li>
 *   <li>The canary's mean slope is compared with the baseline's by a one-sided t test with
 *       the moderated spread: MEMORY_GROWTH when p ≤ {@code maxPValue} <em>and</em> the excess is
 *       at least {@code minSlopeMiBPerHour}, and so is the canary's own slope (a shrinking baseline does not
 *       make a flat canary grow).</li>
 *   <li><b>Young canaries</b>: a new JVM's heap fills while caches warm. When a canary pod is younger
 *       than the warm-up and the history holds at least two windows of baseline pods at the same age
 *       (e.g. the baseline pods' own first minutes), the canary is compared with the baseline version
 *       at that age; otherwise the canary's first {@code warmup} after its JVM started is left out,
 *       and the verdict says so.</li>
 * </ol>
 * A bigger but flat heap is not growth: only slopes are compared, never levels.
 */
public final class MemoryGrowthAnalysis {
    static final double MIB = 1024.0 * 1024.0;
    static final double HOUR_MILLIS = 3_600_000.0;
    /** History at the same age must cover this fraction of the canary pods' ages. */
    static final double SAME_AGE_COVERAGE = 0.8;
    /** Power of the minimum detectable growth. */
    static final double POWER = 0.8;
    /** Theil–Sen's asymptotic efficiency relative to least squares under normal scatter (Sen 1968). */
    private static final double THEIL_SEN_EFFICIENCY = 0.91;
    /**
     * Points a live-set pod ({@link PodHeap#liveSet()}) needs in its window when {@code minPoints} asks more: each point
     * is already the live set after an old-generation collection, as the troughs a saw-tooth heap is fitted through
     * ({@link SawTooth#MIN_TROUGHS}), and Micrometer's live data size changes only at such collections — in the
     * saw-tooth recording's baseline pods (a marking cycle every ~3.3 min) 2 or 3 times in most 15-minute windows, so
     * four were seldom there and a leak the series showed plainly went "not judged" (docs/EVALUATION.md "Saw-tooth
     * heaps in 15 minutes (qa49)"). The pod's points must still span {@code minSpan}.
     */
    static final int LIVE_SET_MIN_POINTS = 3;
    /**
     * A canary pod serving less than this fraction of a baseline pod's requests per second is lighter: the band the
     * profile comparison calls a traffic shift ({@link TrafficShift#BAND}, docs/EVALUATION.md "Canaries at another
     * load").
     */
    static final double LIGHTER_CANARY = TrafficShift.BAND;
    /**
     * A canary collecting this many times less often than the baseline is said to collect seldom when it has too few
     * heap points: the recorded canary with twice the baseline's heap collected 2.0 times less often; pods of one JVM
     * configuration differ by far less (the recorded G1 baseline pods' intervals 2.36-2.41 min).
     */
    static final double SELDOM = 1.5;
    /**
     * The least share of a growing canary's excess growth (bytes per second) the named frame must hold in live bytes per
     * second beyond the baseline's ({@link #unexplained}). A quarter: a leak's site holds the whole growth and more
     * (sampling noise of a few KB/s aside); warming caches beside it may add to the growth.
     */
    static final double SITE_MIN_SHARE_OF_GROWTH = 0.25;
    /** How the reason a canary is too young to judge ({@link #tooYoung}) begins, after "memory growth not judged: ". */
    private static final String TOO_YOUNG = "the canary pods are ";

    private MemoryGrowthAnalysis() {
    }

    /** How the baseline's level was chosen. */
    enum Reference {
        /** Baseline pods and history, all past warm-up: the canary pods are old too. */
        CURRENT,
        /** History windows of baseline pods at the canary pods' age. */
        SAME_AGE,
        /** The canary pods are young and no history covers their age: their warm-up is left out. */
        WARMUP_EXCLUDED
    }

    /**
     * Where live-object profiles say the canary's extra live objects were allocated, against the
     * baseline the heap was compared with: its current pods, or its history at the canary's age.
     */
    @FunctionalInterface
    public interface SiteFinder {
        /**
         * @param sameAge    whether the canary was compared with the baseline's history at its age (then
         *                   the site is named against the history's live profiles)
         * @param keepAfter  per canary pod whose warm-up was left out, the time (Unix epoch milliseconds)
         *                   from which its live profiles count; pods not in it count whole
         * @return the site, or null without live-object profiles
         */
        LeakSite find(boolean sameAge, Map<String, Long> keepAfter);

        SiteFinder NONE = (sameAge, keepAfter) -> null;

        /**
         * This finder answering each question once: the heap after GC and the live data size beside it ask the same
         * (the same pods' JVM starts give the same warm-up), and each answer walks every live-object stack.
         */
        default SiteFinder once() {
            Map<List<Object>, LeakSite> found = new HashMap<>();
            return (sameAge, keepAfter) -> {
                List<Object> question = List.of(sameAge, Map.copyOf(keepAfter));
                if (!found.containsKey(question)) {
                    found.put(question, find(sameAge, keepAfter));
                }
                return found.get(question);
            };
        }
    }

    /** {@link #analyse(HeapWindows, MemoryGrowthConfig, SiteFinder)} with one site whatever the reference. */
    public static MemoryGrowthResult analyse(HeapWindows windows, MemoryGrowthConfig config, LeakSite site) {
        return analyse(windows, config, (sameAge, keepAfter) -> site);
    }

    /**
     * @param finder names the allocation site once the reference is chosen
     * @return the outcome, a finding when the canary grows, and the data-quality entry
     */
    public static MemoryGrowthResult analyse(HeapWindows windows, MemoryGrowthConfig config, SiteFinder finder) {
        return analyse(windows, config, finder, LoadEstimate.NONE);
    }

    /**
     * @param load the canary's load as its allocation profiles say it: said in the verdict when it reads lighter and
     *             the pods' request rates are unknown (no requests.csv, no request query); ignored when they are known
     */
    public static MemoryGrowthResult analyse(HeapWindows windows, MemoryGrowthConfig config, SiteFinder finder,
                                             LoadEstimate load) {
        return withUnlikeJvms(analyseHeapOrLive(windows, config, finder, load), windows);
    }

    /** {@code result} with {@link UnlikeJvms}' note last, when the groups ran other collectors or heap sizes (qa63). */
    private static MemoryGrowthResult withUnlikeJvms(MemoryGrowthResult result, HeapWindows windows) {
        String unlike = result.quality() == null ? null : UnlikeJvms.note(windows.baseline(), windows.canary());
        if (unlike == null) {
            return result;
        }
        List<String> notes = new ArrayList<>(result.quality().notes());
        notes.add(unlike);
        return withNotes(result, notes, Integer.MAX_VALUE);
    }

    private static MemoryGrowthResult analyseHeapOrLive(HeapWindows windows, MemoryGrowthConfig config,
                                                        SiteFinder finder, LoadEstimate load) {
        SiteFinder sites = finder.once();
        MemoryGrowthResult heap = analyseHeap(windows, config, sites, load);
        HeapWindows live = windows.liveData();
        if (live == null || heap.quality() == null
                || heap.outcome() != MemoryOutcome.UNRESOLVED && heap.outcome() != MemoryOutcome.NOT_JUDGED) {
            return heap;
        }
        // The heap after GC could not resolve growth (most often a saw-tooth whose troughs the window holds too few
        // of): the pods' live set, where they export it, is further evidence of the same thing, judged by the same
        // rules. Only then, so a canary has one chance to fail, not two (docs/EVALUATION.md "(qa52)").
        String heapWhy = heap.quality().notes().isEmpty() ? "memory growth not judged" : heap.quality().notes().get(0);
        if (live.baseline().isEmpty() && live.canary().isEmpty()) {
            return withNotes(heap, List.of(heapWhy + "; the pods export no live data size (Micrometer's"
                    + " jvm_gc_live_data_size_bytes) that could resolve it instead"), 1);
        }
        MemoryGrowthResult fromLive = analyseHeap(live, config, sites, load);
        if (fromLive.quality() == null
                || fromLive.outcome() != MemoryOutcome.GROWTH && fromLive.outcome() != MemoryOutcome.NO_GROWTH) {
            String liveWhy = fromLive.quality() == null || fromLive.quality().notes().isEmpty() ? "too few points"
                    : fromLive.quality().notes().get(0).replaceFirst("^memory growth not (judged|resolved): ", "");
            boolean sameReason = liveWhy.startsWith(TOO_YOUNG) && heapWhy.contains(TOO_YOUNG);
            return withNotes(heap, List.of(heapWhy + "; nor could the pods' live data size (jvm_gc_live_data_size_bytes,"
                    + " the old generation after each collection that shrank it)"
                    + (sameReason ? ", for the same reason" : ": " + liveWhy)), 1);
        }
        List<String> notes = new ArrayList<>();
        notes.add("judged from the pods' live data size (jvm_gc_live_data_size_bytes: the old generation after each"
                + " collection that shrank it, the live set), because their heap after GC could not resolve growth: "
                + heapWhy.replaceFirst("^memory growth not (judged|resolved): ", ""));
        notes.addAll(fromLive.quality().notes());
        MemoryGrowthResult judged = withNotes(fromLive, notes, 0);
        return new MemoryGrowthResult(judged.outcome(), judged.finding(), judged.site(), judged.quality(), true,
                judged.judgedAfter());
    }

    /** {@code result} with its notes replaced by {@code first}, then its own from index {@code skip} on. */
    private static MemoryGrowthResult withNotes(MemoryGrowthResult result, List<String> first, int skip) {
        MemoryQuality q = result.quality();
        List<String> notes = new ArrayList<>(first);
        notes.addAll(q.notes().subList(Math.min(skip, q.notes().size()), q.notes().size()));
        MemoryQuality quality = new MemoryQuality(q.judged(), q.unit(), q.baselinePods(), q.canaryPods(),
                q.referenceSlopes(), q.baselineSlope(), q.canarySlope(), q.slopeSpread(), q.minimumDetectableGrowth(),
                q.reference(), q.pods(), notes);
        return result.withQuality(quality);
    }

    private static MemoryGrowthResult analyseHeap(HeapWindows windows, MemoryGrowthConfig config, SiteFinder sites,
                                                  LoadEstimate load) {
        if (!config.enabled() || windows.isEmpty()) {
            return MemoryGrowthResult.NONE;
        }
        List<String> notes = new ArrayList<>();
        long warmupMillis = config.warmup().toMillis();
        // Pods whose recordings say which collections took in the whole heap: their points after those show the live
        // set, and no drop needs to be guessed an old-generation collection (ZGC and Shenandoah collect the whole
        // heap every cycle, generational ZGC in each major collection, so their drops are the live set moving).
        HeapWindows given = windows;
        windows = new HeapWindows(wholeHeap(given.baseline(), config), wholeHeap(given.canary(), config),
                wholeHeap(given.history(), config));
        int pods = given.baseline().size() + given.canary().size();
        int wholeHeapPods = 0;
        for (int i = 0; i < given.baseline().size(); i++) {
            wholeHeapPods += windows.baseline().get(i) != given.baseline().get(i) ? 1 : 0;
        }
        for (int i = 0; i < given.canary().size(); i++) {
            wholeHeapPods += windows.canary().get(i) != given.canary().get(i) ? 1 : 0;
        }
        if (wholeHeapPods > 0) {
            notes.add(String.format(Locale.ROOT, "heap after GC of %d of %d pods taken only after the collections their"
                    + " recordings name as collecting the whole heap (full, major or concurrent whole-heap cycles): those"
                    + " show the live set, young collections also the garbage promoted since", wholeHeapPods, pods));
        }

        // Young canaries: the ages the canary pods' points cover.
        double youngest = Double.POSITIVE_INFINITY;
        double ageFrom = Double.POSITIVE_INFINITY;
        double ageTo = Double.NEGATIVE_INFINITY;
        boolean unknownAge = false;
        for (PodHeap pod : windows.canary()) {
            HeapSeries heap = pod.heap();
            if (heap.isEmpty()) {
                continue;
            }
            if (heap.jvmStartMillis() < 0) {
                unknownAge = true;
                continue;
            }
            double first = heap.timestampMillis(0) - heap.jvmStartMillis();
            youngest = Math.min(youngest, first);
            ageFrom = Math.min(ageFrom, first);
            ageTo = Math.max(ageTo, heap.timestampMillis(heap.size() - 1) - heap.jvmStartMillis());
        }
        if (unknownAge) {
            notes.add("the JVM start of some canary pods is unknown: their heap was used from the window's start"
                    + " (a warming cache in a young pod could look like growth)");
        }
        // A canary serving a fraction of a baseline pod's requests (a weighted router's 10 %) fills its request-driven
        // caches as much slower: at 35 minutes a 10 % canary has served what a baseline pod serves in 3.5, and per 1,000
        // requests its warming cache grew 4-6 times as fast as the baseline pods' at the same age (an A/A canary failed
        // 3 of 11 30-minute windows; docs/EVALUATION.md "Memory growth behind a weighted router (qa56)"). Its warm-up is
        // counted in requests: the warm-up at its traffic, and never against baseline windows of the same age, which
        // served more. Without request counts the allocation profiles' bytes per second say a canary may be lighter
        // (LoadEstimate, docs/EVALUATION.md "A canary's load without request counts (qa59)"): said, never acted on. A
        // canary at full traffic whose code allocates less per request (a memoising cache, the commonest leak) reads as
        // light too, and counting its warm-up at that load would leave its leak unjudged for the whole canary; per hour,
        // a light canary's warming caches grow slower than the baseline pods' did (no false FAIL in qa56's 444 A/A cases).
        double lighter = lighterRatio(windows);
        LoadEstimate estimated = Double.isNaN(lighter) && Double.isNaN(requestRatio(windows)) && load.lighter()
                ? load : null;
        long canaryWarmupMillis = Double.isNaN(lighter) ? warmupMillis : Math.round(warmupMillis / lighter);
        boolean young = youngest < canaryWarmupMillis;

        // Saw-tooth: when old-generation collections show in the heap of at least two windows, only
        // their troughs show the live set, and every pod's slope is fitted through its troughs.
        SawTooth sawTooth = SawTooth.of(windows);
        if (sawTooth.present()) {
            notes.add(sawTooth.describe());
        }

        Reference reference = Reference.CURRENT;
        List<PodSlope> referenceSlopes = new ArrayList<>();
        List<PodSlope> canarySlopes = new ArrayList<>();
        List<PodSlope> others = new ArrayList<>();
        if (young && !Double.isNaN(lighter)) {
            reference = Reference.WARMUP_EXCLUDED;
            notes.add(String.format(Locale.ROOT, "canary pods are %s old and served %s: their first %s after JVM start (the"
                            + " %s warm-up at their traffic) were left out, and baseline windows of their age, which served"
                            + " more requests, were not used", ages(ageFrom, ageTo), share(lighter, null),
                    minutes(canaryWarmupMillis), minutes(warmupMillis)));
        } else if (young) {
            List<PodSlope> sameAge = new ArrayList<>();
            int currentBaseline = 0; // same-age windows that are the current baseline pods' own: as young as the canary
            for (PodHeap pod : concat(windows.history(), windows.baseline())) {
                if (pod.heap().jvmStartMillis() < 0 || !covers(pod.heap(), ageFrom, ageTo)) {
                    continue;
                }
                long start = pod.heap().jvmStartMillis();
                PodSlope slope = slope(pod, "history", start + (long) ageFrom, start + (long) ageTo, config, sawTooth);
                sameAge.add(slope);
                if (slope.usable() && windows.baseline().stream().anyMatch(b -> b == pod)) {
                    currentBaseline++;
                }
            }
            long usable = sameAge.stream().filter(PodSlope::usable).count();
            if (usable >= 2) {
                reference = Reference.SAME_AGE;
                referenceSlopes.addAll(sameAge);
                for (PodHeap pod : windows.canary()) {
                    canarySlopes.add(slope(pod, "canary", Long.MIN_VALUE, Long.MAX_VALUE, config, sawTooth));
                }
                if (currentBaseline == usable) {
                    // Pods started together (a benchmark, or a test run): no baseline pod is older, none is history.
                    notes.add(String.format(Locale.ROOT, "canary pods are %s old, and the baseline pods were as young:"
                            + " compared with the %d baseline pod(s) over the same ages", ages(ageFrom, ageTo), usable));
                } else if (currentBaseline > 0) {
                    notes.add(String.format(Locale.ROOT, "canary pods are %s old: compared with %d window(s) of baseline"
                            + " pods at the same age (%d from history, %d the baseline pods' own), not with older ones",
                            ages(ageFrom, ageTo), usable, usable - currentBaseline, currentBaseline));
                } else {
                    notes.add(String.format(Locale.ROOT, "canary pods are %s old: compared with %d window(s) of baseline"
                            + " pods at the same age (history), not with the older baseline pods", ages(ageFrom, ageTo),
                            usable));
                }
            } else {
                reference = Reference.WARMUP_EXCLUDED;
                notes.add(String.format(Locale.ROOT, "canary pods are %s old and no baseline history covers that age:"
                                + " their first %s after JVM start were left out as warm-up", ages(ageFrom, ageTo),
                        minutes(warmupMillis)));
            }
        }
        if (reference != Reference.SAME_AGE) {
            for (PodHeap pod : windows.canary()) {
                canarySlopes.add(slope(pod, "canary", afterWarmup(pod, canaryWarmupMillis), Long.MAX_VALUE, config, sawTooth));
            }
            for (PodHeap pod : windows.baseline()) {
                referenceSlopes.add(slope(pod, "baseline", afterWarmup(pod, warmupMillis), Long.MAX_VALUE, config, sawTooth));
            }
            for (PodHeap pod : windows.history()) {
                referenceSlopes.add(slope(pod, "history", afterWarmup(pod, warmupMillis), Long.MAX_VALUE, config, sawTooth));
            }
        } else {
            for (PodHeap pod : windows.baseline()) {
                others.add(slope(pod, "baseline", Long.MIN_VALUE, Long.MAX_VALUE, config, sawTooth));
            }
        }

        Map<String, Long> keepAfter = new HashMap<>();
        if (reference != Reference.SAME_AGE) {
            for (PodHeap pod : windows.canary()) {
                if (pod.heap().jvmStartMillis() >= 0) {
                    keepAfter.put(pod.instance(), pod.heap().jvmStartMillis() + canaryWarmupMillis);
                }
            }
        }
        LeakSite site = sites.find(reference == Reference.SAME_AGE, keepAfter);
        List<PodSlope> canary = canarySlopes.stream().filter(PodSlope::usable).toList();
        List<PodSlope> ref = referenceSlopes.stream().filter(PodSlope::usable).toList();
        int baselinePods = (int) referenceSlopes.stream().filter(s -> s.usable() && s.group().equals("baseline")).count();
        List<PodSlope> all = new ArrayList<>(canarySlopes);
        all.addAll(referenceSlopes);
        all.addAll(others);
        for (PodSlope s : all) {
            if (!s.usable() && !s.group().equals("history")) {
                notes.add(s.group() + " pod " + s.instance() + ": " + s.why());
            }
        }
        String unknownSpread = "no baseline slope";
        boolean powerGate = config.maxDetectableGrowthMiBPerHour() > 0;
        // Canary pods without old-generation collections of their own whose heap after GC, each minute's lowest
        // point, does not rise by minSlope: garbage piles up between old collections, it does not vanish, so their
        // live set cannot grow faster than that, and growth needs the canary's own slope to reach minSlope. (A heap
        // near its limit collects every few seconds in drops too small to tell from noise: the recorded
        // bigger-but-flat canaries, 1.5 MiB every 20 s.)
        List<TheilSen> canaryWindows = sawTooth.present() && canary.isEmpty()
                ? canarySlopes.stream().map(c -> fit(c.window())).toList() : List.of();
        if (!canaryWindows.isEmpty() && flatThroughEveryPoint(canarySlopes, canaryWindows, config)) {
            double flat = canaryWindows.stream().mapToDouble(TheilSen::slope).average().orElse(Double.NaN);
            notes.add(0, String.format(Locale.ROOT, "no abnormal heap growth: the canary pods show no old-generation"
                    + " collection of their own, but their heap after GC (each minute's lowest point) grows %.1f MiB/h,"
                    + " surely less than %.0f MiB/h, so their live set cannot grow faster", flat / MIB, config.minSlopeMiBPerHour()));
            Double baselineLevel = ref.isEmpty() ? null : mean(ref.stream().mapToDouble(PodSlope::slope).toArray());
            return new MemoryGrowthResult(MemoryOutcome.NO_GROWTH, null, site,
                    quality(true, "bytes per hour", baselinePods, canarySlopes.size(), ref.size(), baselineLevel, flat,
                            null, null, "not needed: the canary's own heap does not grow materially", all, notes),
                    false, keepAfter);
        }
        // A slope through a few troughs scatters with what each old collection left behind, far beyond the
        // prior (which describes slopes through every point): saw-tooth slopes are compared with the
        // reference's own spread only, so at least two reference slopes are needed.
        long longest = windows.canary().stream().mapToLong(pod -> pod.heap().isEmpty() ? 0
                : pod.heap().timestampMillis(pod.heap().size() - 1) - pod.heap().timestampMillis(0)).max().orElse(0);
        // A window shorter than the check's minimum span is never judged, whatever its collections: said as too short
        // below, not as a saw-tooth a longer window would resolve (a 10-second benchmark run was "INCONCLUSIVE: a
        // 0-minute window of a saw-tooth heap cannot resolve ...").
        boolean tooShort = longest < config.minSpan().toMillis();
        // Canary pods so young that their warm-up leaves less than minSpan of heap: no window, however long, resolves
        // them before they are older, and "judge a window of at least 60 min" (the saw-tooth's advice) read as if a
        // longer memoryGrowth.window would — a canary 16 minutes old has no earlier heap (docs/EVALUATION.md "(qa52)").
        // (A window shorter than minSpan is said to be too short: no age would make it long enough.)
        String tooYoung = reference == Reference.WARMUP_EXCLUDED && canary.isEmpty() && !unknownAge && !tooShort
                && ageTo < canaryWarmupMillis + config.minSpan().toMillis()
                ? tooYoung(ageFrom, ageTo, canaryWarmupMillis, config, sawTooth) : null;
        if (sawTooth.present() && !tooShort && (canary.isEmpty() || ref.size() < 2)) {
            notes.add(0, tooYoung != null ? tooYoung : sawTooth.unresolved(canary.isEmpty() ? "canary" : "baseline", config));
            return new MemoryGrowthResult(powerGate ? MemoryOutcome.UNRESOLVED : MemoryOutcome.NOT_JUDGED, null, site,
                    quality(false, "bytes per hour", baselinePods, canary.size(), ref.size(), null, null, null, null,
                            unknownSpread, all, notes), false, keepAfter);
        }
        // (Not the window's length: a lighter canary's heap spans little of a window because it collects seldom; the
        // baseline pods' heap says how long the window is.)
        long baselineSpan = windows.baseline().stream().mapToLong(pod -> pod.heap().isEmpty() ? 0
                : pod.heap().timestampMillis(pod.heap().size() - 1) - pod.heap().timestampMillis(0)).max().orElse(0);
        String lighterWhy = canary.isEmpty() && !Double.isNaN(lighter) && !ref.isEmpty() && !unknownAge
                && baselineSpan >= config.minSpan().toMillis()
                ? lighterCanary(lighter, ref, canarySlopes, ageTo, canaryWarmupMillis, config) : null;
        if (lighterWhy != null) {
            // A lighter canary is young in requests for hours (210 min at 10 % of the traffic), and a leak grows its heap
            // as much slower. Not judged, as a young canary at full traffic is, saying the load and when it can be: an
            // INCONCLUSIVE would hold every weighted rollout step (Argo's setWeight, Flagger's stepWeight) for hours
            // (qa56; review).
            notes.add(0, "memory growth not judged: " + lighterWhy);
            return new MemoryGrowthResult(MemoryOutcome.NOT_JUDGED, null, site,
                    quality(false, "bytes per hour", baselinePods, canary.size(), ref.size(), null, null, null, null,
                            unknownSpread, all, notes), false, keepAfter);
        }
        if (canary.isEmpty() || ref.isEmpty()) {
            // Windows shorter than the check needs can never be judged, however many collections they hold: said
            // as such, not as too few heap points (which read as if the GC or the recording were at fault).
            // A canary collecting far less often than the baseline (a larger heap or young generation: the recorded
            // canary with twice the baseline's -Xmx collected every 4.8 min beside baseline pods every 2.4) has too
            // few points in a window the baseline's fill: said so, with the window that would hold enough, not as a
            // window too short or a recording at fault (docs/EVALUATION.md "(qa57)").
            String seldom = canary.isEmpty() && tooYoung == null && baselineSpan >= config.minSpan().toMillis()
                    ? seldomCollected(windows, config) : null;
            String why = !canary.isEmpty() ? "no baseline pod has enough heap points after GC to compare with"
                    : tooYoung != null ? tooYoung.replaceFirst("^memory growth not judged: ", "")
                    : tooShort
                    ? "the canary pods' heap after GC covers at most " + minutes(Math.rint(longest / 6_000.0) * 6_000)
                    + " of each pod, at least " + minutes(config.minSpan().toMillis()) + " needed"
                    + (seldom == null ? "" : ": " + seldom)
                    : "no canary pod has enough heap points after GC (at least " + config.minPoints() + " minutes with a"
                    + " collection, over " + minutes(config.minSpan().toMillis()) + ")" + (seldom == null ? "" : ": " + seldom);
            notes.add(0, "memory growth not judged: " + why);
            return new MemoryGrowthResult(MemoryOutcome.NOT_JUDGED, null, site,
                    quality(false, "bytes per hour", baselinePods, canary.size(), ref.size(), null, null, null, null,
                            unknownSpread, all, notes), false, keepAfter);
        }

        if (estimated != null) {
            notes.add(String.format(Locale.ROOT, "judged per hour: the canary pods may have served %s, so a leak"
                    + " retaining bytes per request would grow their heap about %.0f times slower than at a baseline pod's"
                    + " load, and fixed-rate work (timers, the metrics scrape) takes more of their live set; or their code"
                    + " allocates less per request. Request counts (requests.csv, or Prometheus' request query) would tell",
                    share(estimated.ratio(), estimated), 1 / estimated.ratio()));
        }
        boolean perRequest = all.stream().filter(PodSlope::usable)
                .allMatch(s -> s.requestsPerSecond() != null && s.requestsPerSecond() > 0);
        double[] c = values(canary, perRequest);
        double[] r = values(ref, perRequest);
        double referenceRate = perRequest ? mean(ref.stream().mapToDouble(PodSlope::requestsPerSecond).toArray()) : 1;
        // bytes per hour → bytes per 1,000 requests at the baseline's request rate
        double unitScale = perRequest ? 1000 / (referenceRate * 3600) : 1;
        double priorAbsolute = config.priorSlopeSpreadMiBPerHour() * MIB * unitScale;
        double minExcess = config.minSlopeMiBPerHour() * MIB * unitScale;

        double cMean = mean(c);
        double rMean = mean(r);
        double prior = Math.hypot(priorAbsolute, MemoryGrowthConfig.PRIOR_RELATIVE_SPREAD * rMean);
        int k = r.length;
        // The reference's spread moderated towards the prior (worth PRIOR_WEIGHT pods, as limma moderates a
        // gene's variance), but never below what the reference's own slopes show: moderation alone let
        // simulated saw-tooth heaps, whose 15-minute slopes scatter far more than the prior, fail 5 % of
        // A/A canaries (docs/EVALUATION.md). With the own spread larger, its own degrees of freedom.
        double d0 = MemoryGrowthConfig.PRIOR_WEIGHT;
        double own = k > 1 ? sampleVariance(r) : 0;
        double moderated = (d0 * prior * prior + (k - 1) * own) / (d0 + k - 1);
        boolean ownWins = k > 1 && own > moderated;
        double variance = ownWins ? own : moderated;
        double df = ownWins ? k - 1 : d0 + k - 1;
        double spread = Math.sqrt(variance);
        double se = spread * Math.sqrt(1.0 / c.length + 1.0 / k);
        double baselineSe = spread * Math.sqrt(1.0 / k);
        if (sawTooth.present()) {
            // A slope through 2 troughs scatters far more than one through 6: each pod's slope is weighted by
            // its troughs' spread in time (Σ(t − t̄)², the precision of a line through them), and the
            // reference's own weighted spread, k − 1 degrees of freedom, is the noise (no prior).
            double[] cw = precisions(canary);
            double[] rw = precisions(ref);
            cMean = weightedMean(c, cw);
            rMean = weightedMean(r, rw);
            double perUnitPrecision = 0;
            for (int i = 0; i < k; i++) {
                perUnitPrecision += rw[i] * (r[i] - rMean) * (r[i] - rMean);
            }
            perUnitPrecision /= k - 1;
            df = k - 1;
            spread = Math.sqrt(perUnitPrecision / mean(rw));
            se = Math.sqrt(perUnitPrecision * (1 / sum(cw) + 1 / sum(rw)));
            baselineSe = Math.sqrt(perUnitPrecision / sum(rw));
        } else {
            // The reference's spread is of slopes over its pods' spans; a canary whose warm-up was left out (or
            // that started late in the window) fits its slope to fewer minutes, so its slope scatters more than
            // that spread shows — on simulated young canaries with a noisy heap, 2 % of A/A canaries failed
            // without this (docs/EVALUATION.md).
            se = Math.sqrt(se * se + shorterSpanVariance(canary, ref, perRequest));
        }
        double excess = cMean - rMean;
        TDistribution t = new TDistribution(null, df);
        double p = 1 - t.cumulativeProbability(excess / se);
        double halfWidth = t.inverseCumulativeProbability(0.975) * se;
        double detectable = Math.max(minExcess,
                (t.inverseCumulativeProbability(1 - config.maxPValue()) + t.inverseCumulativeProbability(POWER)) * se);
        // A baseline past its warm-up whose own heap after GC surely rises by minSlope, with no old-generation
        // collection seen: between old collections the heap after young collections holds the garbage promoted
        // since the last one, so its slope is promotion (or the stable version's own growth), and a canary that
        // promotes more — a cache turning over, objects kept a little longer — cannot be told from one that
        // retains more. (Same-age references rise with a warming cache, live data: not this case.)
        if (!sawTooth.present() && reference != Reference.SAME_AGE
                && rMean - t.inverseCumulativeProbability(1 - config.maxPValue()) * baselineSe >= minExcess) {
            notes.add(0, String.format(Locale.ROOT, "memory growth not judged: the baseline's own heap after GC rises"
                            + " %.0f MiB/h with no old-generation collection in the window: it holds garbage promoted to"
                            + " the old generation (or the stable version grows too), which such a window cannot tell from"
                            + " retained objects (canary %.0f MiB/h); judge a window that holds old-generation collections"
                            + " (memoryGrowth.window), or compare live-object profiles (live_bytes)",
                    rMean / unitScale / MIB, cMean / unitScale / MIB));
            return new MemoryGrowthResult(powerGate ? MemoryOutcome.UNRESOLVED : MemoryOutcome.NOT_JUDGED, null, site,
                    quality(false, perRequest ? "bytes per 1000 requests" : "bytes per hour", baselinePods,
                            canary.size(), k, rMean, cMean, spread, null, "not compared: the baseline's heap after GC"
                                    + " rises with promoted garbage", all, notes), false, keepAfter);
        }
        // Material growth: the canary grows at least minSlope faster than the baseline and at least minSlope
        // itself. A baseline that shrinks over the window (its pods in lockstep through a collection of old
        // garbage, a cache evicted) does not make a flat canary grow: on the saw-tooth recording, young A/A
        // canaries at about +9 MiB/h (a point a minute from Prometheus) failed beside baseline pods at about −25 MiB/h.
        boolean growth = p <= config.maxPValue() && excess >= minExcess && cMean >= minExcess;
        // Consistent with the profile comparison's maxDetectableChange: no growth seen, but none of the
        // configured size could have been seen either, is INCONCLUSIVE with the reason, not a pass.
        boolean unresolved = !growth && powerGate && detectable > config.maxDetectableGrowthMiBPerHour() * MIB * unitScale;
        if (unresolved) {
            notes.add(0, String.format(Locale.ROOT, "memory growth not resolved: no growth seen, but these heaps could only"
                            + " detect growth %.0f MiB/h faster than the baseline's (maxDetectableGrowthMiBPerHour: %.0f)%s",
                    detectable / unitScale / MIB, config.maxDetectableGrowthMiBPerHour(),
                    sawTooth.present() ? "; " + sawTooth.remedy(config, detectable / (config.maxDetectableGrowthMiBPerHour() * MIB * unitScale)) : "; more pods, or history (earlier baseline"
                            + " windows), narrow the spread"));
        }

        String unit = perRequest ? "bytes per 1000 requests" : "bytes per hour";
        String referenceText = referenceText(reference, baselinePods, k - baselinePods, df);
        MemoryQuality quality = quality(true, unit, baselinePods, canary.size(), k, rMean, cMean, spread, detectable,
                referenceText, all, notes);
        // the canary's share of a baseline pod's traffic, said in the finding when the loads differ (qa56)
        double share = perRequest ? mean(canary.stream().mapToDouble(PodSlope::requestsPerSecond).toArray()) / referenceRate
                : Double.NaN;
        // The canary's growth beyond the baseline's in bytes per second at its own traffic: what a site must hold.
        double excessPerSecond = (cMean - rMean) / unitScale * (perRequest ? share : 1) / 3600;
        String noSite = growth ? unexplained(site, excessPerSecond) : null;
        LeakSite named = noSite == null ? site : null;
        GrowthFigures figures = new GrowthFigures(cMean / unitScale, rMean / unitScale, cMean, rMean, perRequest,
                p, excess - halfWidth, excess + halfWidth, t.inverseCumulativeProbability(0.975) * baselineSe, growth, share,
                noSite);
        return new MemoryGrowthResult(growth ? MemoryOutcome.GROWTH
                : unresolved ? MemoryOutcome.UNRESOLVED : MemoryOutcome.NO_GROWTH,
                MemoryFindings.finding(figures, named, config), named, quality, false, keepAfter);
    }

    /**
     * Why the live-object profiles name no site of a growing canary, or null when {@code site} may be named: the site
     * the shares point to (for a rise in library code, the library frame that rose) holds under
     * {@value #SITE_MIN_SHARE_OF_GROWTH} of the canary's excess growth, in live bytes per second, beyond what a baseline
     * observation held there. Every byte a leak keeps was allocated and is still live
     * at the end of the recording that sampled it, so a leak's site holds at least the growth there (the recorded new
     * sites: {@code SessionRegistry.register} at its whole allocation rate). A leak in a cache or registry the baseline
     * has too (an LRU or an expiry that broke) shows no more there: one-minute live profiles count objects not yet
     * collected, and with collections minutes apart the baseline's evicted entries count as much as the canary's kept
     * ones (qa66: {@code IdempotencyKeys.remember} 9-13 KB/s in baseline and leaking pods alike), so whichever frame's
     * share moved most by chance (the metrics scrape's) was named. A site the profiles cannot tell is not named.
     */
    static String unexplained(LeakSite site, double excessPerSecond) {
        if (site != null && !site.told()) {
            return untold(site);
        }
        if (site == null || site.profileType() != ProfileType.LIVE_BYTES || Double.isNaN(site.risePerSecond())
                || !(excessPerSecond > 0) || site.risePerSecond() >= SITE_MIN_SHARE_OF_GROWTH * excessPerSecond) {
            return null;
        }
        // A rise at or under zero is said as "no more", its figure unsigned: "held -6.2 KB/s" read as a negative rate.
        double rise = site.risePerSecond() / 1000;
        String held = rise > 0
                ? String.format(Locale.ROOT, "held %.1f KB/s of live bytes more than the most a baseline pod held", rise)
                : String.format(Locale.ROOT, "held no more live bytes than the baseline pods (%.1f KB/s less than the"
                        + " most a baseline pod held)", -rise);
        return String.format(Locale.ROOT, MemoryFindings.NO_SITE + ": under `%s`, where the shares point, the canary"
                        + " pods %s, under a quarter of the growth (%.1f KB/s at the canary's traffic); retained objects"
                        + " allocated where the baseline's profiles hold as many live ones (a cache or registry the"
                        + " baseline has too, whose bound or expiry broke) do not show in one-minute live profiles: compare"
                        + " a heap histogram or dump of a canary pod with a baseline pod's",
                site.function(), held, excessPerSecond / 1000);
    }

    /**
     * Why counts of sampled live objects name no site (qa78, {@link LeakSites#MIN_COUNT_RISE}): the frames looked at, each
     * with the canary's share against the baseline pods' range and how many times the noise it stands above their mean.
     */
    private static String untold(LeakSite site) {
        StringBuilder candidates = new StringBuilder();
        for (LeakSite.Candidate c : site.untold()) {
            candidates.append(candidates.isEmpty() ? "" : ", ").append(String.format(Locale.ROOT,
                    "`%s` %.0f %% of the canary's against %.0f-%.0f %% in the baseline pods (%.1f times the noise)",
                    c.function(), 100 * c.canaryShare(), 100 * c.baselineLow(), 100 * c.baselineHigh(), c.noises()));
        }
        return String.format(Locale.ROOT, MemoryFindings.NO_SITE + ": no frame's share of the sampled live objects stands"
                        + " out of the baseline pods' spread (%.0f times it, never less than a recording's sampling noise):"
                        + " %s%s; a few hundred sampled objects per recording cannot tell which of these holds the growth"
                        + " (a cache or registry the baseline has too, whose bound or expiry broke, shows as many live"
                        + " objects there): compare a heap histogram or dump of a canary pod with a baseline pod's",
                LeakSites.MIN_COUNT_RISE, candidates,
                site.oldObjects() != null ? "; the JDK's old-object ages name none either" : "");
    }

    /**
     * The numbers a finding is written from.
     *
     * @param canaryPerHour     canary mean slope, bytes per hour (at the baseline's rate when per request)
     * @param baselinePerHour   baseline mean slope, bytes per hour
     * @param canary            canary mean slope in the compared unit
     * @param baseline          baseline mean slope in the compared unit
     * @param perRequest        whether the compared unit is bytes per 1,000 requests
     * @param pValue            one-sided p-value of the excess
     * @param ciLow             lower end of the 95 % interval of the excess, compared unit
     * @param ciHigh            upper end
     * @param baselineHalfWidth half-width of the 95 % interval of the baseline's mean slope, compared unit: a
     *                          baseline within it of zero has no growth a relative change could be taken of
     * @param growth            credible and material
     * @param load              the canary pods' request rate over the baseline's (per request only; NaN otherwise)
     * @param noSite            why the live-object profiles name no site though they exist ({@link #unexplained}); null
     *                          otherwise
     */
    record GrowthFigures(double canaryPerHour, double baselinePerHour, double canary, double baseline,
                         boolean perRequest, double pValue, double ciLow, double ciHigh, double baselineHalfWidth,
                         boolean growth, double load, String noSite) {
    }

    private static String referenceText(Reference reference, int baselinePods, int historyWindows, double df) {
        String from = switch (reference) {
            case SAME_AGE -> historyWindows + " baseline window(s) at the canary pods' age";
            case CURRENT, WARMUP_EXCLUDED -> baselinePods + " baseline pod(s)"
                    + (historyWindows > 0 ? " and " + historyWindows + " earlier baseline window(s)" : "");
        };
        return String.format(Locale.ROOT, "%s; their spread moderated towards the prior, never below their own"
                + " (%.0f degrees of freedom)", from, df);
    }

    /**
     * The pods with their heap after whole-heap collections only, as live set ({@link PodHeap#liveSet()}), where their
     * recordings mark such collections ({@link HeapSeries#wholeHeap()}) as most of the pod's collections, on at least
     * {@code minPoints} minutes over {@code minSpan}; the others as given. Most: a collector that collects the whole
     * heap in most cycles (ZGC; generational ZGC in a small heap, 187 of 196 collections major in a 17-minute
     * recording) shows the live set in its points, and a drop among them is the live set moving, not an old collection
     * to look through. Where whole-heap collections are rare (Serial's and Parallel's full collections, 3–11 in 17
     * minutes), they are the troughs of a saw-tooth, which {@link OldCollections} finds with every point's timing; their
     * few points alone would start minutes after the others, short of the same-age comparison.
     */
    private static List<PodHeap> wholeHeap(List<PodHeap> pods, MemoryGrowthConfig config) {
        List<PodHeap> out = new ArrayList<>();
        for (PodHeap pod : pods) {
            HeapSeries whole = pod.liveSet() ? null : pod.heap().afterWholeHeapCollections();
            if (whole != null && 2 * whole.size() <= pod.heap().size()) {
                whole = null;
            }
            List<HeapPoint> minutes = whole == null || whole.isEmpty() ? List.of()
                    : HeapEnvelope.lowestPerMinute(whole, whole.timestampMillis(0), Long.MAX_VALUE);
            boolean enough = minutes.size() >= config.minPoints() && span(minutes) >= config.minSpan().toMillis();
            out.add(enough ? new PodHeap(pod.instance(), whole, pod.requestsPerSecond(), true) : pod);
        }
        return out;
    }

    /**
     * Why canary pods younger than warm-up plus {@code minSpan} at the window's end are not judged, and the age at which
     * they can be: warm-up plus {@code minSpan}, for a saw-tooth heap plus {@link SawTooth#SUGGESTED_TROUGHS} of its
     * old-generation cycles when that is longer.
     */
    private static String tooYoung(double ageFrom, double ageTo, long warmupMillis, MemoryGrowthConfig config,
                                   SawTooth sawTooth) {
        double span = config.minSpan().toMillis() / 60_000.0;
        if (sawTooth.present() && !Double.isNaN(sawTooth.cycleMinutes())) {
            span = Math.max(span, SawTooth.SUGGESTED_TROUGHS * sawTooth.cycleMinutes());
        }
        double needMinutes = warmupMillis / 60_000.0 + span;
        return String.format(Locale.ROOT, "memory growth not judged: " + TOO_YOUNG + "%s old, and a JVM's first %s"
                        + " are left out as warm-up (no baseline history covers that age), which leaves no canary pod the"
                        + " %s of heap after GC the check needs%s; the canary can be judged in a window ending %.0f min or"
                        + " more after its pods started (a later analysis; a longer memoryGrowth.window adds nothing"
                        + " before that)", ages(ageFrom, ageTo), minutes(warmupMillis), minutes(config.minSpan().toMillis()),
                sawTooth.present() ? " (their heap is a saw-tooth: about " + SawTooth.SUGGESTED_TROUGHS
                        + " old-generation collections per pod past the warm-up)" : "", Math.ceil(needMinutes));
    }

    /** Whether the pod's points cover at least {@link #SAME_AGE_COVERAGE} of the ages [from, to]. */
    private static boolean covers(HeapSeries heap, double from, double to) {
        if (heap.isEmpty()) {
            return false;
        }
        double first = heap.timestampMillis(0) - heap.jvmStartMillis();
        double last = heap.timestampMillis(heap.size() - 1) - heap.jvmStartMillis();
        double overlap = Math.min(last, to) - Math.max(first, from);
        return to > from && overlap >= SAME_AGE_COVERAGE * (to - from);
    }

    /** First time of the pod past its warm-up; the window's start when its JVM start is unknown. */
    private static long afterWarmup(PodHeap pod, long warmupMillis) {
        long start = pod.heap().jvmStartMillis();
        return start < 0 ? Long.MIN_VALUE : start + warmupMillis;
    }

    private static PodSlope slope(PodHeap pod, String group, long from, long to, MemoryGrowthConfig config,
                                  SawTooth sawTooth) {
        HeapSeries heap = pod.heap();
        if (sawTooth.present() && !pod.liveSet()) {
            return troughSlope(pod, group, heap.isEmpty() ? List.of() : OldCollections.troughs(heap, from, to), config,
                    heap.isEmpty() ? List.of() : HeapEnvelope.lowestPerMinute(heap, Math.max(from, heap.timestampMillis(0)), to));
        }
        List<HeapPoint> points = heap.isEmpty() ? List.of()
                : HeapEnvelope.lowestPerMinute(heap, Math.max(from, heap.timestampMillis(0)), to);
        TheilSen fit = fit(points);
        double age = heap.jvmStartMillis() < 0 || points.isEmpty() ? Double.NaN
                : (points.get(0).timestampMillis() - heap.jvmStartMillis()) / 60_000.0;
        long span = span(points);
        String why = null;
        if (heap.isEmpty()) {
            why = pod.unusablePoints() > 0 ? "no heap data (" + heap.source() + " gave " + pod.unusablePoints()
                    + " point(s), none a heap size: NaN, infinite or negative)"
                    : "no heap data (no heap after GC was given for it)";
        } else if (points.size() < minPoints(pod, config)) {
            why = points.size() + " minute(s) with a heap point after GC" + (from > Long.MIN_VALUE ? " in its window" : "")
                    + ", at least " + minPoints(pod, config) + " needed";
        } else if (span < config.minSpan().toMillis()) {
            why = "its heap points span " + minutes(span) + ", at least " + minutes(config.minSpan().toMillis()) + " needed";
        } else if (!Double.isFinite(fit.slope())) {
            why = "no slope could be fitted";
        }
        return new PodSlope(pod.instance(), group, points, fit, age, pod.requestsPerSecond(), why == null, why);
    }

    /**
     * The canary pods' request rate over the baseline pods' when every pod with heap data has one and the canary's is
     * below {@link #LIGHTER_CANARY} of the baseline's; NaN otherwise (same load, heavier, or rates unknown).
     */
    static double lighterRatio(HeapWindows windows) {
        double ratio = requestRatio(windows);
        return ratio < LIGHTER_CANARY ? ratio : Double.NaN;
    }

    /** The canary pods' request rate over the baseline pods' when every pod with heap data has one; NaN otherwise. */
    private static double requestRatio(HeapWindows windows) {
        // Every canary pod, with heap points or none: a 10 % canary may show no collection in 15 minutes.
        List<PodHeap> canary = windows.canary();
        List<PodHeap> baseline = windows.baseline().stream().filter(p -> !p.heap().isEmpty()).toList();
        if (canary.isEmpty() || baseline.isEmpty()
                || !concat(canary, baseline).stream().allMatch(p -> p.requestsPerSecond() != null && p.requestsPerSecond() > 0)) {
            return Double.NaN;
        }
        return mean(canary.stream().mapToDouble(PodHeap::requestsPerSecond).toArray())
                / mean(baseline.stream().mapToDouble(PodHeap::requestsPerSecond).toArray());
    }

    /**
     * "25 % of a baseline pod's requests", or, estimated from allocation ({@code estimated} not null), "about 25 % …"
     * with what it rests on.
     */
    private static String share(double ratio, LoadEstimate estimated) {
        return estimated == null ? String.format(Locale.ROOT, "%.0f %% of a baseline pod's requests", 100 * ratio)
                : String.format(Locale.ROOT, "about %.0f %% of a baseline pod's requests (no request counts: the"
                        + " median of %d allocation sites' bytes per second was %.0f %% of a baseline pod's; in all they"
                        + " allocated %.1f vs %.1f MiB/s in the allocation profiles)", 100 * ratio, estimated.sites(),
                100 * ratio, estimated.canary() / MIB, estimated.baseline() / MIB);
    }

    /**
     * Why lighter canary pods ({@link #lighterRatio}) could not be judged: still warming in requests, or too few
     * collections in the window. The reference slopes are the usable baseline ones (their request rates known).
     */
    private static String lighterCanary(double ratio, List<PodSlope> ref, List<PodSlope> canarySlopes, double ageTo,
                                        long canaryWarmupMillis, MemoryGrowthConfig config) {
        double referenceRate = mean(ref.stream().mapToDouble(PodSlope::requestsPerSecond).toArray());
        String load = String.format(Locale.ROOT, "the canary pods served %.0f %% of a baseline pod's requests (%.1f vs"
                + " %.1f per second)", 100 * ratio, ratio * referenceRate, referenceRate);
        boolean warming = Double.isFinite(ageTo) && ageTo < canaryWarmupMillis + config.minSpan().toMillis();
        int most = canarySlopes.stream().mapToInt(s -> s.points().size()).max().orElse(0);
        String why = warming
                ? String.format(Locale.ROOT, ": in their first %s what a baseline pod serves in %s, so caches filled per"
                        + " request are still warming (the %s warm-up lasts %s at their traffic) and no canary pod has the"
                        + " %s of heap after GC past it the check needs", minutes(ageTo), minutes(ageTo * ratio),
                minutes(config.warmup().toMillis()), minutes(canaryWarmupMillis), minutes(config.minSpan().toMillis()))
                : String.format(Locale.ROOT, ", and their heap was collected too seldom to fit a slope (at most %d minute(s)"
                        + " with a heap point after GC)", most);
        String remedy = warming ? String.format(Locale.ROOT, "in a window ending %.0f min or more after its pods started",
                Math.ceil((canaryWarmupMillis + config.minSpan().toMillis()) / 60_000.0))
                : "over a longer window (memoryGrowth.window)";
        return load + why + String.format(Locale.ROOT, "; a leak retaining bytes per request grows their heap %.0f times"
                + " slower than at the baseline's traffic: judge the canary at a larger weight, or %s", 1 / ratio, remedy);
    }

    /**
     * Why canary pods have too few heap points where the baseline pods have enough, when they collected at least
     * {@link #SELDOM} times less often: both groups' mean interval between collections in the window and the window
     * that would hold {@code minPoints} collections over {@code minSpan} at the canary's; null otherwise.
     */
    static String seldomCollected(HeapWindows windows, MemoryGrowthConfig config) {
        double canary = meanInterval(windows.canary());
        double baseline = meanInterval(windows.baseline());
        if (!(canary >= SELDOM * baseline)) {
            return null; // unknown, or about as often: not the reason
        }
        // minPoints points spanning minSpan, wherever the first collection falls: one interval more than they span
        double need = Math.max(config.minSpan().toMillis(), (config.minPoints() - 1) * canary) + canary;
        return String.format(Locale.ROOT, "they collected once every %.1f min, the baseline pods every %.1f min (a larger"
                        + " heap or young generation collects less often, as does a pod allocating less: the groups' JVMs"
                        + " differ in heap size or collector, or the canary serves less load or allocates less per request),"
                        + " so a window of at least %.0f min is needed to judge them (memoryGrowth.window)",
                canary / 60_000.0, baseline / 60_000.0, Math.ceil(need / 60_000.0));
    }

    /**
     * Pooled mean time between successive heap points of the pods (ms): their spans over their intervals; NaN when no
     * pod has two points.
     */
    private static double meanInterval(List<PodHeap> pods) {
        double span = 0;
        int intervals = 0;
        for (PodHeap pod : pods) {
            HeapSeries heap = pod.heap();
            if (heap.size() >= 2) {
                span += heap.timestampMillis(heap.size() - 1) - heap.timestampMillis(0);
                intervals += heap.size() - 1;
            }
        }
        return intervals == 0 ? Double.NaN : span / intervals;
    }

    /** Points the pod's window needs: {@code minPoints}, at most {@link #LIVE_SET_MIN_POINTS} for a live-set series. */
    private static int minPoints(PodHeap pod, MemoryGrowthConfig config) {
        return pod.liveSet() ? Math.min(config.minPoints(), LIVE_SET_MIN_POINTS) : config.minPoints();
    }

    /**
     * The Theil–Sen line through heap points, bytes per hour, with Sen's 95 % interval (independent points
     * assumed); a NaN slope for fewer than two points.
     */
    private static TheilSen fit(List<HeapPoint> points) {
        double[] x = new double[points.size()];
        double[] y = new double[points.size()];
        for (int i = 0; i < x.length; i++) {
            x[i] = (points.get(i).timestampMillis() - points.get(0).timestampMillis()) / HOUR_MILLIS;
            y[i] = points.get(i).bytes();
        }
        return x.length >= 2 ? TheilSen.fit(x, y, 0.95) : new TheilSen(Double.NaN, Double.NaN, Double.NaN, Double.NaN, x.length);
    }

    /**
     * Whether every pod's whole window, enough of it, rises surely less than minSlope: the upper end of Sen's 95 %
     * interval through each minute's lowest point ({@code fits}, one per pod) below it.
     */
    private static boolean flatThroughEveryPoint(List<PodSlope> pods, List<TheilSen> fits, MemoryGrowthConfig config) {
        for (int i = 0; i < pods.size(); i++) {
            List<HeapPoint> window = pods.get(i).window();
            if (window.size() < config.minPoints() || span(window) < config.minSpan().toMillis()
                    || !(fits.get(i).ciHigh() < config.minSlopeMiBPerHour() * MIB)) {
                return false;
            }
        }
        return true;
    }

    /** Milliseconds from the first of {@code points} to the last; 0 for fewer than two. */
    private static long span(List<HeapPoint> points) {
        return points.size() < 2 ? 0 : points.get(points.size() - 1).timestampMillis() - points.get(0).timestampMillis();
    }

    /** A saw-tooth pod's slope: through the troughs after its old-generation collections (the live set). */
    private static PodSlope troughSlope(PodHeap pod, String group, List<HeapPoint> troughs, MemoryGrowthConfig config,
                                        List<HeapPoint> window) {
        TheilSen fit = fit(troughs);
        HeapSeries heap = pod.heap();
        double age = heap.jvmStartMillis() < 0 || troughs.isEmpty() ? Double.NaN
                : (troughs.get(0).timestampMillis() - heap.jvmStartMillis()) / 60_000.0;
        long span = span(troughs);
        long windowSpan = span(window);
        String why = null;
        if (windowSpan < config.minSpan().toMillis()) {
            why = "its heap points span " + minutes(windowSpan) + ", at least " + minutes(config.minSpan().toMillis())
                    + " needed";
        } else if (troughs.size() < SawTooth.MIN_TROUGHS) {
            why = troughs.size() + " old-generation collection(s) in its window; in a saw-tooth heap only they show the"
                    + " live set, at least " + SawTooth.MIN_TROUGHS + " needed";
        } else if (span < SawTooth.MIN_TROUGH_SPAN_MILLIS) {
            why = "its old-generation collections span " + minutes(span) + ", at least "
                    + minutes(SawTooth.MIN_TROUGH_SPAN_MILLIS) + " needed";
        } else if (!Double.isFinite(fit.slope())) {
            why = "no slope could be fitted";
        }
        return new PodSlope(pod.instance(), group, troughs, fit, age, pod.requestsPerSecond(), why == null, why, window);
    }

    private static MemoryQuality quality(boolean judged, String unit, int baselinePods, int canaryPods, int referenceSlopes,
                                         Double baseline, Double canary, Double spread, Double detectable,
                                         String reference, List<PodSlope> slopes, List<String> notes) {
        List<PodHeapSummary> pods = new ArrayList<>();
        for (PodSlope s : slopes) {
            Double slope = Double.isFinite(s.slope()) ? s.slope() : null;
            Double perRequest = Double.isFinite(s.slopePerThousandRequests()) ? s.slopePerThousandRequests() : null;
            pods.add(new PodHeapSummary(s.instance(), s.group(), slope, finite(s.fit().ciLow()), finite(s.fit().ciHigh()),
                    perRequest, Double.isFinite(s.ageMinutes()) ? s.ageMinutes() : null, s.usable(), s.points(),
                    s.window()));
        }
        return new MemoryQuality(judged, unit, baselinePods, canaryPods, referenceSlopes, baseline, canary, spread,
                detectable, reference, pods, notes);
    }

    private static Double finite(double value) {
        return Double.isFinite(value) ? value : null;
    }

    private static double[] values(List<PodSlope> slopes, boolean perRequest) {
        return slopes.stream().mapToDouble(s -> perRequest ? s.slopePerThousandRequests() : s.slope()).toArray();
    }

    /**
     * What the canary mean's variance lacks when its pods' slopes rest on shorter spans than the reference's: the
     * scatter of heap points around each pod's line (the larger of the groups' mean residual variances)
     * times how much more 1/Σ(t − t̄)² the canary pods have on average than the reference pods, over the canary
     * pods; 0 when their spans are as long. In the slopes' unit squared (bytes/h, or per 1,000 requests).
     * A lower bound: heap points after GC are not independent, so their slopes scatter more than this says.
     */
    static double shorterSpanVariance(List<PodSlope> canary, List<PodSlope> ref, boolean perRequest) {
        double[] canaryPrecision = precisions(canary);
        double[] refPrecision = precisions(ref);
        double canaryInverse = 0;
        double refInverse = 0;
        for (int i = 0; i < canary.size(); i++) {
            canaryInverse += 1 / (canaryPrecision[i] * unitSquared(canary.get(i), perRequest));
        }
        for (int i = 0; i < ref.size(); i++) {
            refInverse += 1 / (refPrecision[i] * unitSquared(ref.get(i), perRequest));
        }
        double more = canaryInverse / canary.size() - refInverse / ref.size();
        if (!(more > 0)) {
            return 0;
        }
        double scatter = Math.max(meanResidualVariance(canary), meanResidualVariance(ref));
        return Double.isFinite(scatter) ? scatter * more / canary.size() : 0;
    }

    /** (bytes per hour → the slopes' unit)⁻²: 1 per hour, (requests per second × 3.6)² per 1,000 requests. */
    private static double unitSquared(PodSlope s, boolean perRequest) {
        double perThousand = perRequest ? s.requestsPerSecond() * 3600 / 1000 : 1;
        return perThousand * perThousand;
    }

    /**
     * Mean over pods of the scatter of heap points around the pod's line: Σ residual² / (n − 2), bytes², divided
     * by the Theil–Sen line's efficiency relative to least squares under normal scatter (0.91, Sen 1968), so that
     * σ² / Σ(t − t̄)² is the variance of its slope. Pods with fewer than 3 points are left out; NaN when none remain.
     */
    private static double meanResidualVariance(List<PodSlope> slopes) {
        double sum = 0;
        int n = 0;
        for (PodSlope s : slopes) {
            List<HeapPoint> points = s.points();
            if (points.size() < 3) {
                continue;
            }
            long first = points.get(0).timestampMillis();
            double squares = 0;
            for (HeapPoint point : points) {
                double x = (point.timestampMillis() - first) / HOUR_MILLIS;
                double residual = point.bytes() - (s.fit().intercept() + s.fit().slope() * x);
                squares += residual * residual;
            }
            sum += squares / (points.size() - 2) / THEIL_SEN_EFFICIENCY;
            n++;
        }
        return n == 0 ? Double.NaN : sum / n;
    }

    /** Per slope: Σ(t − t̄)² of the points it was fitted to, hours²; its variance is proportional to the inverse. */
    private static double[] precisions(List<PodSlope> slopes) {
        double[] out = new double[slopes.size()];
        for (int i = 0; i < out.length; i++) {
            List<HeapPoint> points = slopes.get(i).points();
            double m = 0;
            for (HeapPoint point : points) {
                m += point.timestampMillis() / HOUR_MILLIS;
            }
            m /= points.size();
            for (HeapPoint point : points) {
                double d = point.timestampMillis() / HOUR_MILLIS - m;
                out[i] += d * d;
            }
        }
        return out;
    }

    private static double weightedMean(double[] values, double[] weights) {
        double sum = 0;
        for (int i = 0; i < values.length; i++) {
            sum += weights[i] * values[i];
        }
        return sum / sum(weights);
    }

    private static double sum(double[] values) {
        double sum = 0;
        for (double v : values) {
            sum += v;
        }
        return sum;
    }

    static double mean(double[] values) {
        double sum = 0;
        for (double v : values) {
            sum += v;
        }
        return sum / values.length;
    }

    static double sampleVariance(double[] values) {
        double m = mean(values);
        double sum = 0;
        for (double v : values) {
            sum += (v - m) * (v - m);
        }
        return sum / (values.length - 1);
    }

    private static List<PodHeap> concat(List<PodHeap> a, List<PodHeap> b) {
        List<PodHeap> all = new ArrayList<>(a);
        all.addAll(b);
        return all;
    }

    static String minutes(double millis) {
        double m = millis / 60_000.0;
        return m == Math.rint(m) ? String.format(Locale.ROOT, "%.0f min", m) : String.format(Locale.ROOT, "%.1f min", m);
    }

    private static String ages(double fromMillis, double toMillis) {
        String from = String.format(Locale.ROOT, "%.0f", fromMillis / 60_000.0);
        String to = String.format(Locale.ROOT, "%.0f", toMillis / 60_000.0);
        return from.equals(to) ? from + " min" : from + " to " + to + " min"; // not "1 to 1 min"
    }
}
