package io.canaryjudge.judge.memory;

import static org.assertj.core.api.Assertions.assertThat;

import io.canaryjudge.profile.heap.HeapSeries;
import io.canaryjudge.verdict.DataQuality;
import io.canaryjudge.verdict.PodHeapSummary.HeapPoint;
import io.canaryjudge.verdict.Result;
import io.canaryjudge.verdict.Verdict;
import java.io.IOException;
import java.io.InputStream;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;
import java.util.SplittableRandom;
import org.junit.jupiter.api.Test;

/**
 * Saw-tooth heaps: old-generation collections found ({@link OldCollections}), slopes fitted through
 * their troughs, and a window too short to resolve the live set's growth answered as such.
 */
class SawToothTest {
    static final long MINUTE = 60_000;
    static final double MIB = 1024.0 * 1024.0;
    /** Windows start an hour after the JVMs did: past the 20-minute warm-up. */
    static final double WINDOW_START_MINUTES = 60;

    /**
     * A G1-like heap after GC from {@code WINDOW_START_MINUTES} for {@code windowMinutes}: a young
     * collection every 0.5–1.1 minutes; the live set grows {@code liveMiBPerMin}; promoted garbage piles
     * up at {@code promotedMiBPerMin} and an old collection every {@code cycleMinutes} (phase drawn) leaves
     * 0–3 MiB of it; 0.3 MiB of noise per point.
     */
    static PodHeap pod(String name, double liveMiBPerMin, double promotedMiBPerMin, double cycleMinutes,
                       double windowMinutes, long seed) {
        SplittableRandom random = new SplittableRandom(seed);
        double phase = random.nextDouble() * cycleMinutes;
        List<long[]> points = new ArrayList<>();
        int cycle = -1;
        double residue = 0;
        for (double t = WINDOW_START_MINUTES + random.nextDouble(); t < WINDOW_START_MINUTES + windowMinutes;
             t += 0.5 + 0.6 * random.nextDouble()) {
            int c = (int) Math.floor((t + phase) / cycleMinutes);
            if (c != cycle) {
                cycle = c;
                residue = 3 * random.nextDouble();
            }
            double sinceOld = (t + phase) - c * cycleMinutes;
            double mib = 100 + liveMiBPerMin * t + residue + promotedMiBPerMin * sinceOld + 0.3 * random.nextGaussian();
            points.add(new long[] {(long) (t * MINUTE), (long) (mib * MIB)});
        }
        return new PodHeap(name, new HeapSeries(name, 0, points.stream().mapToLong(p -> p[0]).toArray(),
                points.stream().mapToLong(p -> p[1]).toArray()));
    }

    static HeapSeries series(double[] minutes, double[] mib) {
        long[] t = new long[minutes.length];
        long[] b = new long[minutes.length];
        for (int i = 0; i < t.length; i++) {
            t[i] = (long) (minutes[i] * MINUTE);
            b[i] = (long) (mib[i] * MIB);
        }
        return new HeapSeries("test", 0, t, b);
    }

    @Test
    void troughsAreTheLowPointsAfterEachOldCollection() {
        // Rising 1 MiB per point, an old collection after minutes 10 and 20 (the second in two steps).
        double[] minutes = new double[30];
        double[] mib = new double[30];
        for (int i = 0; i < 30; i++) {
            minutes[i] = i;
            mib[i] = 100 + (i % 10) + (i >= 20 ? 0.5 : 0);
        }
        mib[20] = 106; // the first mixed collection of the second cycle, then the second one
        List<HeapPoint> troughs = OldCollections.troughs(series(minutes, mib), Long.MIN_VALUE, Long.MAX_VALUE);
        assertThat(troughs).extracting(HeapPoint::timestampMillis).containsExactly(10 * MINUTE, 21 * MINUTE);
        assertThat(troughs).extracting(HeapPoint::bytes).containsExactly((long) (100 * MIB), (long) (101.5 * MIB));
    }

    /**
     * A heap near its limit marks every 2 minutes (4 points): each cycle is its own trough, though the next
     * drop comes within {@link OldCollections#SAME_CYCLE_MILLIS} (the heap rose in between). The recorded
     * leaking pods' cycles, ~2 minutes apart, were once chained into one.
     */
    @Test
    void cyclesEveryFewPointsAreEachFound() {
        double[] minutes = new double[40];
        double[] mib = new double[40];
        for (int i = 0; i < 40; i++) {
            minutes[i] = i * 0.5;
            // live set +0.8 MiB/min; 2 MiB of garbage promoted per point, all of it collected every 4th point
            mib[i] = 100 + 0.8 * minutes[i] + 2 * (i % 4) + (i % 3 == 0 ? 0.2 : -0.1);
        }
        List<HeapPoint> troughs = OldCollections.troughs(series(minutes, mib), Long.MIN_VALUE, Long.MAX_VALUE);
        // a drop at every 4th point; the last point of a window cannot show one that lasts
        assertThat(troughs).extracting(HeapPoint::timestampMillis)
                .containsExactlyElementsOf(java.util.stream.IntStream.iterate(4, i -> i < 39, i -> i + 4)
                        .mapToObj(i -> (long) (minutes[i] * MINUTE)).toList());
    }

    @Test
    void aHumongousSpikeOrACacheFillingUpIsNotAnOldCollection() {
        double[] minutes = new double[20];
        double[] spike = new double[20];
        double[] filling = new double[20];
        for (int i = 0; i < 20; i++) {
            // uneven intervals: a slowing fill falls behind any one rate without ever falling
            minutes[i] = i * 1.3 + (i % 3 == 0 ? 0.9 : 0);
            spike[i] = 100 + 0.5 * i;
            filling[i] = 100 + 40 * (1 - Math.exp(-minutes[i] / 6));
        }
        spike[8] += 25; // a humongous object alive at one collection
        assertThat(OldCollections.troughs(series(minutes, spike), Long.MIN_VALUE, Long.MAX_VALUE)).isEmpty();
        assertThat(OldCollections.troughs(series(minutes, filling), Long.MIN_VALUE, Long.MAX_VALUE)).isEmpty();
    }

    @Test
    void aDipThatComesBackAtOnceIsNotAnOldCollection() {
        // One point a minute of per-pool minima summed: the survivor space caught empty and the old
        // generation not yet grown reads 6 MiB low for one minute (as the recorded Prometheus series did).
        double[] minutes = new double[15];
        double[] dip = new double[15];
        double[] drop = new double[15];
        for (int i = 0; i < 15; i++) {
            minutes[i] = i;
            dip[i] = 100 + 0.5 * i - (i == 7 ? 6 : 0);
            drop[i] = 100 + 0.5 * i - (i >= 7 ? 6 : 0);
        }
        assertThat(OldCollections.troughs(series(minutes, dip), Long.MIN_VALUE, Long.MAX_VALUE)).isEmpty();
        assertThat(OldCollections.troughs(series(minutes, drop), Long.MIN_VALUE, Long.MAX_VALUE))
                .extracting(HeapPoint::timestampMillis).containsExactly(7 * MINUTE);
    }

    @Test
    void recordedG1HeapsWithoutOldCollectionsHaveNoTroughs() throws IOException {
        for (String pod : List.of("baseline-1", "aa-2", "leak-audit-3", "slow-cache-1", "bigger-flat-1")) {
            assertThat(OldCollections.troughs(recorded(pod), Long.MIN_VALUE, Long.MAX_VALUE)).as(pod).isEmpty();
        }
    }

    @Test
    void moreGarbagePromotedIsNotALeak() {
        // The canary's teeth are four times as steep (more short-lived garbage promoted), its live set as
        // flat as the baseline's: through every point it would grow ~100 MiB/h faster.
        MemoryGrowthResult result = analyse(0, 2.0, 0.5, 10, 60, MemoryGrowthConfig.DEFAULTS);
        assertThat(result.outcome()).isEqualTo(MemoryOutcome.NO_GROWTH);
        assertThat(result.quality().notes()).anyMatch(n -> n.startsWith("saw-tooth heap: old-generation collections"));
    }

    /**
     * No old-generation collection in a 15-minute window (one every 1,000 minutes) while every pod promotes
     * garbage: the baseline's heap after GC climbs 4.5 MiB/min (270 MiB/h, as a ParallelGC service whose
     * medium-lived objects die in the old generation), a canary whose bounded cache turns over promotes 7.4. Its
     * heap after GC grows ~170 MiB/h faster with a flat live set: not judged, saying why. The same canary growth
     * beside a flat baseline (nothing promoted) is a leak and FAILs.
     */
    @Test
    void moreGarbagePromotedWithoutOldCollectionsIsNotJudgedAsALeak() {
        MemoryGrowthResult promoting = analyse(0, 7.4, 4.5, 1_000, 15, MemoryGrowthConfig.DEFAULTS);
        assertThat(promoting.outcome()).isEqualTo(MemoryOutcome.UNRESOLVED);
        assertThat(promoting.finding()).isNull();
        assertThat(promoting.quality().notes().get(0)).startsWith("memory growth not judged: the baseline's own heap"
                + " after GC rises ").contains("with no old-generation collection in the window");

        MemoryGrowthResult leak = analyse(2.9, 0, 0, 1_000, 15, MemoryGrowthConfig.DEFAULTS);
        assertThat(leak.outcome()).isEqualTo(MemoryOutcome.GROWTH);
    }

    /**
     * The verdict shows a saw-tooth pod as it is: the troughs its slope was fitted through, and beside them every
     * minute's lowest point of the window (the teeth), so the report can draw the saw-tooth.
     */
    @Test
    void eachSawToothPodCarriesItsWholeWindowBesideItsTroughs() {
        MemoryGrowthResult result = analyse(0.7, 1.0, 1.0, 10, 60, MemoryGrowthConfig.DEFAULTS);
        assertThat(result.quality().pods()).isNotEmpty().allSatisfy(pod -> {
            assertThat(pod.windowPoints()).hasSizeGreaterThan(2 * pod.points().size());
            long highestTrough = pod.points().stream().mapToLong(HeapPoint::bytes).max().orElseThrow();
            long highestTooth = pod.windowPoints().stream().mapToLong(HeapPoint::bytes).max().orElseThrow();
            assertThat(highestTooth - highestTrough).as(pod.instance()).isGreaterThan((long) (4 * MIB));
        });
        // A heap without old collections is its own window: nothing extra.
        MemoryGrowthResult flat = analyse(0.7, 0, 1.0, 1_000, 60, MemoryGrowthConfig.DEFAULTS);
        assertThat(flat.quality().pods()).allSatisfy(pod -> assertThat(pod.windowPoints()).isEmpty());
    }

    /**
     * Micrometer's live data size: one value per old-generation collection (every 3–5 minutes), already the live
     * set. A cache that fills for 12 minutes and is evicted at once makes lasting drops in it — the live set
     * shrinking, not promoted garbage — so the slope goes through every point: a 0.7 MiB/min leak beside such a
     * cache FAILs in a 45-minute window. Read as a heap after any collection, the drops would pass for
     * old-generation collections and the slope would rest on the few points after them.
     */
    @Test
    void aLiveSetSeriesIsFittedThroughEveryPointNotItsDrops() {
        List<PodHeap> baseline = new ArrayList<>();
        List<PodHeap> canary = new ArrayList<>();
        List<PodHeap> baselineAsHeap = new ArrayList<>();
        List<PodHeap> canaryAsHeap = new ArrayList<>();
        for (int i = 0; i < 3; i++) {
            HeapSeries b = liveData(0, 45, 40 + i);
            HeapSeries c = liveData(0.7, 45, 50 + i);
            baseline.add(new PodHeap("baseline-" + i, b, null, true));
            canary.add(new PodHeap("canary-" + i, c, null, true));
            baselineAsHeap.add(new PodHeap("baseline-" + i, b));
            canaryAsHeap.add(new PodHeap("canary-" + i, c));
        }
        MemoryGrowthResult live = MemoryGrowthAnalysis.analyse(new HeapWindows(baseline, canary, List.of()),
                MemoryGrowthConfig.DEFAULTS, MemoryGrowthAnalysis.SiteFinder.NONE);
        assertThat(live.outcome()).as(live.quality().notes().toString()).isEqualTo(MemoryOutcome.GROWTH);
        assertThat(live.quality().canarySlope() / MIB).isBetween(30.0, 55.0);
        assertThat(live.quality().notes()).noneMatch(n -> n.startsWith("saw-tooth heap"));

        MemoryGrowthResult asHeap = MemoryGrowthAnalysis.analyse(new HeapWindows(baselineAsHeap, canaryAsHeap, List.of()),
                MemoryGrowthConfig.DEFAULTS, MemoryGrowthAnalysis.SiteFinder.NONE);
        assertThat(asHeap.quality().notes()).anyMatch(n -> n.startsWith("saw-tooth heap"));
    }

    /** A live data size series: a value every 3–5 minutes; a cache fills 0 → 8 MiB over 12 minutes, then is evicted. */
    private static HeapSeries liveData(double leakMiBPerMin, double windowMinutes, long seed) {
        SplittableRandom random = new SplittableRandom(seed);
        double phase = random.nextDouble() * 12;
        List<long[]> points = new ArrayList<>();
        for (double t = WINDOW_START_MINUTES + random.nextDouble() * 3; t < WINDOW_START_MINUTES + windowMinutes;
             t += 3 + 2 * random.nextDouble()) {
            double cache = 8 * (((t + phase) % 12) / 12);
            double mib = 150 + leakMiBPerMin * t + cache + 0.2 * random.nextGaussian();
            points.add(new long[] {(long) (t * MINUTE), (long) (mib * MIB)});
        }
        return new HeapSeries("live", 0, points.stream().mapToLong(p -> p[0]).toArray(),
                points.stream().mapToLong(p -> p[1]).toArray());
    }

    @Test
    void aLeakShowsInTheTroughs() {
        MemoryGrowthResult result = analyse(0.7, 1.0, 1.0, 10, 60, MemoryGrowthConfig.DEFAULTS);
        assertThat(result.outcome()).isEqualTo(MemoryOutcome.GROWTH);
        assertThat(result.quality().canarySlope() / MIB).isBetween(30.0, 55.0);
    }

    /**
     * A heap near its limit, as the recorded bigger-but-flat canaries: a collection every 20 s drops 1.5 MiB, too
     * little to tell from the noise, so no old-generation collection shows. Beside a saw-tooth baseline its slope
     * through the troughs cannot be had, but its heap through every point shows that its live set does not grow
     * materially: no growth, not unresolved. The same heap with a 0.7 MiB/min leak stays unresolved.
     */
    @Test
    void aCanaryWhoseHeapIsFlatThroughEveryPointIsNotGrowingBesideASawToothBaseline() {
        List<PodHeap> baseline = new ArrayList<>();
        List<PodHeap> flat = new ArrayList<>();
        List<PodHeap> leaking = new ArrayList<>();
        for (int i = 0; i < 3; i++) {
            baseline.add(pod("baseline-" + i, 0, 1.6, 3.3, 15, 30 + i));
            flat.add(finelyToothed("canary-" + i, 0, 40 + i));
            leaking.add(finelyToothed("canary-" + i, 0.7, 40 + i));
        }
        MemoryGrowthResult result = MemoryGrowthAnalysis.analyse(new HeapWindows(baseline, flat, List.of()),
                MemoryGrowthConfig.DEFAULTS, MemoryGrowthAnalysis.SiteFinder.NONE);
        assertThat(result.outcome()).as(result.quality().notes().toString()).isEqualTo(MemoryOutcome.NO_GROWTH);
        assertThat(result.quality().notes().get(0)).startsWith("no abnormal heap growth: the canary pods show no"
                + " old-generation collection of their own");

        MemoryGrowthResult leak = MemoryGrowthAnalysis.analyse(new HeapWindows(baseline, leaking, List.of()),
                MemoryGrowthConfig.DEFAULTS, MemoryGrowthAnalysis.SiteFinder.NONE);
        assertThat(leak.outcome()).as(leak.quality().notes().toString()).isEqualTo(MemoryOutcome.UNRESOLVED);
    }

    /** 15 minutes of a heap collected every 20 s: 1.5 MiB of garbage per collection, 0.2 MiB of noise. */
    private static PodHeap finelyToothed(String name, double liveMiBPerMin, long seed) {
        SplittableRandom random = new SplittableRandom(seed);
        List<long[]> points = new ArrayList<>();
        for (int i = 0; i < 45; i++) {
            double t = WINDOW_START_MINUTES + i / 3.0;
            double mib = 110 + liveMiBPerMin * (t - WINDOW_START_MINUTES) + 0.75 * (i % 3) + 0.2 * random.nextGaussian();
            points.add(new long[] {(long) (t * MINUTE), (long) (mib * MIB)});
        }
        return new PodHeap(name, new HeapSeries(name, 0, points.stream().mapToLong(p -> p[0]).toArray(),
                points.stream().mapToLong(p -> p[1]).toArray()));
    }

    @Test
    void aShortWindowOfASawToothHeapIsUnresolvedAndSaysWhichWindowWould() {
        MemoryGrowthResult result = analyse(0, 1.0, 1.0, 10, 15, MemoryGrowthConfig.DEFAULTS);
        assertThat(result.outcome()).isEqualTo(MemoryOutcome.UNRESOLVED);
        assertThat(result.quality().notes().get(0))
                .startsWith("memory growth not judged: a 1")
                .contains("-minute window of a saw-tooth heap cannot resolve 42 MiB/h")
                // old collections every 10 min (11 between troughs a collection apart): 4 of them in 40–45 min
                .containsPattern("judge a window of at least (40|45) min \\(about 4 old-generation collections");
        // Without the detectability check it is merely not judged (a warning, no INCONCLUSIVE).
        assertThat(analyse(0, 1.0, 1.0, 10, 15, MemoryGrowthConfig.DEFAULTS.withMaxDetectableGrowthMiBPerHour(0))
                .outcome()).isEqualTo(MemoryOutcome.NOT_JUDGED);
    }

    @Test
    void aSawToothWindowShorterThanTheCheckNeedsIsTooShortNotUnresolved() {
        // A benchmark run of a few minutes (old collections every minute) was "INCONCLUSIVE: memory growth not
        // judged: a 0-minute window of a saw-tooth heap cannot resolve …": no window shorter than minSpan is ever
        // judged, so it is not judged, as a short window without old collections is.
        List<PodHeap> baseline = new ArrayList<>();
        List<PodHeap> canary = new ArrayList<>();
        for (int i = 0; i < 3; i++) {
            baseline.add(benchmarkRun("baseline-" + i, 10 + i));
            canary.add(benchmarkRun("canary-" + i, 20 + i));
        }
        MemoryGrowthResult result = MemoryGrowthAnalysis.analyse(new HeapWindows(baseline, canary, List.of()),
                MemoryGrowthConfig.DEFAULTS, MemoryGrowthAnalysis.SiteFinder.NONE);
        assertThat(result.quality().notes().toString()).contains("saw-tooth heap: old-generation collections in");
        assertThat(result.outcome()).as(result.quality().notes().toString()).isEqualTo(MemoryOutcome.NOT_JUDGED);
        assertThat(result.quality().notes().get(0)).startsWith("memory growth not judged: the canary pods' heap after"
                + " GC covers at most ").endsWith(" of each pod, at least 10 min needed");
    }

    @Test
    void theWindowSuggestedForASawToothIsNeverShorterThanTheCheckJudges() {
        // Old collections every minute: 4 of them fit in 5 min, but the check judges no window under 10 min.
        List<PodHeap> pods = new ArrayList<>();
        for (int i = 0; i < 3; i++) {
            pods.add(benchmarkRun("pod-" + i, 30 + i));
        }
        SawTooth sawTooth = SawTooth.of(new HeapWindows(pods, pods, List.of()));
        assertThat(sawTooth.describe()).contains("about one every 1 min");
        assertThat(sawTooth.remedy(MemoryGrowthConfig.DEFAULTS)).startsWith("judge a window of at least 10 min");
    }

    @Test
    void anUnresolvedCheckTurnsAPassIntoInconclusiveButNeverAFailIntoOne() {
        MemoryGrowthResult result = analyse(0, 1.0, 1.0, 10, 15, MemoryGrowthConfig.DEFAULTS);
        Verdict pass = new Verdict(null, Result.PASS, true, 100, "PASS: no regression.", List.of(), List.of(),
                new DataQuality(List.of(), List.of(), List.of()), null, List.of(), List.of());
        Verdict inconclusive = MemoryVerdicts.apply(pass, result);
        assertThat(inconclusive.result()).isEqualTo(Result.INCONCLUSIVE);
        assertThat(inconclusive.pass()).isFalse();
        assertThat(inconclusive.score()).isEqualTo(50);
        assertThat(inconclusive.summary()).startsWith("INCONCLUSIVE: memory growth not judged: a 1")
                .endsWith("; no regression.");
        assertThat(inconclusive.dataQuality().warnings()).contains(result.quality().notes().get(0));

        Verdict fail = new Verdict(null, Result.FAIL, false, 20, "FAIL: `f` rose.", List.of(), List.of(),
                new DataQuality(List.of(), List.of(), List.of()), null, List.of(), List.of());
        assertThat(MemoryVerdicts.apply(fail, result).result()).isEqualTo(Result.FAIL);
    }

    /**
     * A 3-minute benchmark run's heap after GC: a collection every 5 s, 4 MiB promoted between old collections every
     * 40 s (phase drawn), 0.3 MiB of noise.
     */
    private static PodHeap benchmarkRun(String name, long seed) {
        SplittableRandom random = new SplittableRandom(seed);
        double phase = random.nextDouble() * 40;
        int points = 36;
        double[] minutes = new double[points];
        double[] mib = new double[points];
        for (int i = 0; i < points; i++) {
            double seconds = 5 * i;
            minutes[i] = WINDOW_START_MINUTES + seconds / 60;
            mib[i] = 100 + 4 * (((seconds + phase) % 40) / 40) + 0.3 * random.nextGaussian();
        }
        return new PodHeap(name, series(minutes, mib));
    }

    /** 3 baseline pods and 3 canary pods of the given heaps, one window each. */
    private static MemoryGrowthResult analyse(double canaryLeak, double canaryPromoted, double baselinePromoted,
                                              double cycleMinutes, double windowMinutes, MemoryGrowthConfig config) {
        List<PodHeap> baseline = new ArrayList<>();
        List<PodHeap> canary = new ArrayList<>();
        for (int i = 0; i < 3; i++) {
            baseline.add(pod("baseline-" + i, 0, baselinePromoted, cycleMinutes, windowMinutes, 10 + i));
            canary.add(pod("canary-" + i, canaryLeak, canaryPromoted, cycleMinutes, windowMinutes, 20 + i));
        }
        return MemoryGrowthAnalysis.analyse(new HeapWindows(baseline, canary, List.of()), config,
                MemoryGrowthAnalysis.SiteFinder.NONE);
    }

    /** A committed recording's heap.csv (every collection of a G1 JVM that never marked its old generation). */
    private static HeapSeries recorded(String pod) throws IOException {
        try (InputStream in = SawToothTest.class.getResourceAsStream("/memory/pods/" + pod + "/heap.csv")) {
            assertThat(in).as(pod).isNotNull();
            List<long[]> rows = new ArrayList<>();
            for (String line : new String(in.readAllBytes(), StandardCharsets.UTF_8).split("\n")) {
                if (!line.isEmpty() && Character.isDigit(line.charAt(0))) {
                    String[] cells = line.strip().split(",");
                    rows.add(new long[] {Long.parseLong(cells[0]), Long.parseLong(cells[1])});
                }
            }
            return new HeapSeries(pod, -1, rows.stream().mapToLong(r -> r[0]).toArray(),
                    rows.stream().mapToLong(r -> r[1]).toArray());
        }
    }
}
