package io.canaryjudge.judge.memory;

import io.canaryjudge.judge.Observation;
import io.canaryjudge.profile.Profile;
import io.canaryjudge.profile.ProfileType;
import io.canaryjudge.profile.heap.HeapSeries;
import io.canaryjudge.verdict.MemoryQuality;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Locale;
import java.util.TreeMap;

/**
 * A Go service's heap judged from its heap profiles when client_golang's lowest scrape FAILs
 * ({@link HeapMeasure#GO_HEAP_IN_USE}). Go's heap profile ({@code inuse_space}) gives the live bytes as of the last
 * completed collection, sampled once per 512 KiB allocated on average and scaled back: the live set, what a heap after
 * GC is meant to be. client_golang 1.14 on Go 1.19 exports no such series ({@code /gc/heap/live:bytes} came with Go
 * 1.21); its {@code go_memstats_heap_alloc_bytes} at the lowest scrape of a minute also holds what was allocated since
 * the last collection, which grows with the heap goal (live heap × (1 + GOGC/100)). Measured (docs/EVALUATION.md "Go
 * heap from the live set (qa91)"): qa88's unchanged gRPC r1 (10 → 200 connections) rose +99 MiB an hour in the scrape
 * series, +69 in its profiles, and qa87's HTTP/2 leak l1 +81 against the +41 it keeps; {@code go_memstats_next_gc_bytes}
 * halved rose +89 for r1 (the goal counts goroutine stacks too, and has a 4 MiB floor), so it was not used.
 * <p>
 * Acts only on a heap that FAILs, and only when every baseline and canary pod has at least {@link #MIN_PROFILES} timed
 * heap profiles: then baseline and canary are judged from the same measure, as live-set points (every point, no
 * saw-tooth), without the history windows (their earlier profiles are not fetched: the reference spread is the
 * baseline pods' own). A live series that cannot resolve growth (too few points,
 * too noisy) leaves the scrape series' FAIL standing. Baseline and canary profiles are summed alike wherever a source
 * merges several uploads into one slice, so their slopes scale alike; the material threshold does not scale with them,
 * which can keep a FAIL, never excuse one.
 */
final class GoLiveHeap {
    /** Heap profiles per pod the live series needs: as many as the connections' rise is fitted from. */
    static final int MIN_PROFILES = ConnectionGoroutines.MIN_PROFILES;

    private GoLiveHeap() {
    }

    /**
     * What the heap is judged from: the windows and their analysis.
     *
     * @param heap   the windows the rest of the memory check (the connections' rule) works on
     * @param result their analysis
     * @param note   why the heap profiles judged it, with both series' slopes; null when the heap is judged as given
     */
    record Judged(HeapWindows heap, MemoryGrowthResult result, String note) {
        /**
         * {@code judged}, the result the rest of the memory check made from {@link #result}, with {@link #note} after
         * the first note when that check added one (the connections' rule says what it took off first), else first.
         */
        MemoryGrowthResult noted(MemoryGrowthResult judged) {
            if (note == null || judged.quality() == null) {
                return judged;
            }
            MemoryQuality q = judged.quality();
            List<String> notes = new ArrayList<>(q.notes());
            notes.add(judged == result || notes.isEmpty() ? 0 : 1, note);
            MemoryQuality quality = new MemoryQuality(q.judged(), q.unit(), q.baselinePods(), q.canaryPods(),
                    q.referenceSlopes(), q.baselineSlope(), q.canarySlope(), q.slopeSpread(),
                    q.minimumDetectableGrowth(), q.reference(), q.pods(), notes);
            return judged.withQuality(quality);
        }
    }

    /**
     * {@code heap} and {@code result} as they are, unless {@code measure} is client_golang's heap in use, {@code result}
     * FAILs on the heap after GC, every pod has its heap profiles and the profiles' live series resolves growth: then
     * the live series and its analysis, with a note that says both series' canary slopes.
     *
     * @param baseline the baseline's observations (their heap profiles)
     * @param canary   the canary's observations over the heap's window when fetched, else over the analysis window
     */
    static Judged judged(MemoryGrowthResult result, HeapWindows heap, HeapMeasure measure, List<Observation> baseline,
                         List<Observation> canary, MemoryGrowthConfig config, MemoryGrowthAnalysis.SiteFinder sites,
                         LoadEstimate load) {
        Judged asGiven = new Judged(heap, result, null);
        if (measure != HeapMeasure.GO_HEAP_IN_USE || !ConnectionHeap.failsForConnections(result)) {
            return asGiven;
        }
        List<PodHeap> liveBaseline = live(heap.baseline(), baseline);
        List<PodHeap> liveCanary = live(heap.canary(), canary);
        if (liveBaseline == null || liveCanary == null || liveBaseline.isEmpty() || liveCanary.isEmpty()) {
            return asGiven;
        }
        HeapWindows live = new HeapWindows(liveBaseline, liveCanary, List.of(), heap.areas());
        MemoryGrowthResult judged = MemoryGrowthAnalysis.analyse(live, config, sites, load);
        if (judged.quality() == null || (judged.outcome() != MemoryOutcome.GROWTH
                && judged.outcome() != MemoryOutcome.NO_GROWTH)) {
            return asGiven;
        }
        return new Judged(live, judged, note(result, judged, liveCanary));
    }

    /**
     * Each pod of {@code pods} as its heap profiles' live bytes over time (a live-set series); null when a pod has fewer
     * than {@link #MIN_PROFILES} of them.
     */
    static List<PodHeap> live(List<PodHeap> pods, List<Observation> observations) {
        List<PodHeap> out = new ArrayList<>();
        for (PodHeap pod : pods) {
            TreeMap<Long, Long> points = new TreeMap<>(); // end of the profile, Unix epoch ms → live bytes
            for (Observation o : observations) {
                Profile profile = o.profile();
                int column = profile.sampleTypeIndex(ProfileType.LIVE_BYTES);
                if (!o.instance().equals(pod.instance()) || column < 0 || profile.startEpochNanos() <= 0) {
                    continue;
                }
                long millis = (profile.startEpochNanos() + Math.max(0, profile.durationNanos())) / 1_000_000;
                points.put(millis, profile.total(column));
            }
            if (points.size() < MIN_PROFILES) {
                return null;
            }
            long[] times = points.keySet().stream().mapToLong(Long::longValue).toArray();
            long[] bytes = points.values().stream().mapToLong(Long::longValue).toArray();
            boolean[] whole = new boolean[times.length];
            Arrays.fill(whole, true); // every Go cycle marks the whole heap: the profile holds no promoted garbage
            HeapSeries series = new HeapSeries("Go heap profiles (inuse_space, as of each last collection)",
                    pod.heap().jvmStartMillis(), times, bytes, whole, pod.heap().jvmPid(), pod.heap().settings());
            out.add(new PodHeap(pod.instance(), series, pod.requestsPerSecond(), true, 0));
        }
        return out;
    }

    private static String note(MemoryGrowthResult scraped, MemoryGrowthResult live, List<PodHeap> liveCanary) {
        int profiles = liveCanary.stream().mapToInt(p -> p.heap().size()).min().orElse(0);
        return String.format(Locale.ROOT, "the heap after GC judged from Go's heap profiles (the live bytes as of each"
                        + " last collection, at least %d per pod): client_golang's lowest heap in use a minute also holds"
                        + " what was allocated since the last collection, which grows with the heap goal (%s; the"
                        + " profiles: %s)", profiles, slopes(scraped.quality()), slopes(live.quality()));
    }

    private static String slopes(MemoryQuality q) {
        if (q == null || q.canarySlope() == null || q.baselineSlope() == null) {
            return "no slope";
        }
        String per = q.unit().endsWith("requests") ? "1,000 requests" : "hour";
        return "canary " + MemoryFindings.signed(q.canarySlope()) + ", baseline " + MemoryFindings.signed(q.baselineSlope())
                + " per " + per;
    }
}
