package io.canaryjudge.judge.memory;

import static org.assertj.core.api.Assertions.assertThat;

import io.canaryjudge.profile.heap.HeapSeries;
import io.canaryjudge.verdict.DataQuality;
import io.canaryjudge.verdict.Result;
import io.canaryjudge.verdict.Verdict;
import java.util.Arrays;
import java.util.List;
import java.util.Random;
import java.util.function.IntToDoubleFunction;
import org.junit.jupiter.api.Test;

/**
 * A canary whose thread pool grows once (Argo shifted more traffic to it: 40 more workers within two minutes, then
 * flat) is not a thread leak: its 15-minute slope is as steep as a leak's, but the window's later half holds none of
 * the rise. Reported, not failed; a pod that keeps adding threads still fails.
 */
class AreaStepTest {
    private static final long MINUTE = 60_000;
    private static final long START = 1_700_000_000_000L;

    @Test
    void aPoolThatGrowsOnceIsReportedNotFailed() {
        List<MemoryAreas.AreaResult> results = MemoryAreas.analyse(List.of(threads(
                minute -> 42 + (minute >= 7 ? Math.min(40, (minute - 6) * 20) : 0))), MemoryGrowthConfig.DEFAULTS);

        assertThat(results).hasSize(1);
        assertThat(results.get(0).outcome()).isEqualTo(MemoryOutcome.GROWTH);
        assertThat(results.get(0).finding().failing()).isFalse();
        assertThat(results.get(0).finding().explanation()).contains("live threads rose in a step, not through the window")
                .contains("in 2 of 2 canary pod(s)");
    }

    /**
     * A young canary's pool filling towards the size the older baseline pods' pools have (120 threads): it rises through
     * the whole window, log-shaped, as a core pool fills one thread per new peak of concurrency. Not a leak.
     */
    @Test
    void aPoolFillingTowardsTheBaselinesSizeIsReportedNotFailed() {
        List<MemoryAreas.AreaResult> results = MemoryAreas.analyse(List.of(threads(
                minute -> 40 + 25 * Math.log1p(minute), 120)), MemoryGrowthConfig.DEFAULTS);

        assertThat(results.get(0).outcome()).isEqualTo(MemoryOutcome.GROWTH);
        assertThat(results.get(0).finding().failing()).isFalse();
        assertThat(results.get(0).finding().explanation())
                .contains("stay within what the baseline pods hold (up to 12");
    }

    /** Without a heap judged (no heap series), a failing area's note went nowhere: it goes with the warnings. */
    @Test
    void anAreasNoteIsKeptWhenTheHeapWasNotJudged() {
        List<MemoryAreas.AreaResult> results = MemoryAreas.analyse(List.of(threads(minute -> 42 + 6 * minute)),
                MemoryGrowthConfig.DEFAULTS);
        Verdict pass = new Verdict("v", Result.PASS, true, 100, "PASS: no material regression.", List.of(), List.of(),
                new DataQuality(List.of(), List.of(), List.of(), null), null, List.of(), List.of());

        Verdict judged = MemoryVerdicts.withAreas(pass, results);

        assertThat(judged.result()).isEqualTo(Result.FAIL);
        assertThat(judged.dataQuality().warnings()).anySatisfy(w -> assertThat(w)
                .startsWith("outside the heap, live threads: canary's live threads grow +"));
    }

    @Test
    void aPodThatKeepsAddingThreadsFails() {
        List<MemoryAreas.AreaResult> results = MemoryAreas.analyse(List.of(threads(minute -> 42 + 6 * minute)),
                MemoryGrowthConfig.DEFAULTS);

        assertThat(results.get(0).outcome()).isEqualTo(MemoryOutcome.GROWTH);
        assertThat(results.get(0).finding().failing()).isTrue();
    }

    /**
     * A young JVM canary (started with the window, so no point past warm-up) whose native memory rises at start-up and
     * then keeps leaking, slower than the material growth (15 MiB/h), past every baseline pod: its second half is not
     * read as a step's flat half. qa74's young-pod rule is for goroutines only; applied to every area it excused
     * qa46's leak-native canary over 11 minutes (docs/EVALUATION.md "(qa74)").
     */
    @Test
    void aYoungJvmsNativeLeakIsNotReadAsAStep() {
        Random random = new Random(11);
        long mib = 1L << 20;
        List<PodHeap> baseline = List.of("b1", "b2", "b3").stream().map(name -> pod(name, START,
                m -> (240 + random.nextInt(3) - 1) * mib)).toList();
        List<PodHeap> canary = List.of(pod("c1", START, m -> (200 + Math.min(60, 12 * m) + 0.25 * m) * mib));
        AreaWindows area = new AreaWindows(MemoryAreas.NATIVE, false, new HeapWindows(baseline, canary, List.of()));

        MemoryAreas.AreaResult result = MemoryAreas.analyse(List.of(area), MemoryGrowthConfig.DEFAULTS).get(0);

        assertThat(result.outcome()).isEqualTo(MemoryOutcome.GROWTH);
        assertThat(result.finding().explanation()).doesNotContain("rose in a step");
        assertThat(result.finding().failing()).isTrue();
    }

    /** An area too short to judge says so of its own points, not of "heap points after GC" (the heap's wording). */
    @Test
    void anAreaNotJudgedSpeaksOfItsOwnPoints() {
        AreaWindows full = threads(minute -> 42);
        List<PodHeap> shortCanaries = full.windows().canary().stream().map(pod -> {
            HeapSeries heap = pod.heap();
            HeapSeries first = new HeapSeries(heap.source(), heap.jvmStartMillis(),
                    Arrays.copyOf(heap.timestampsMillis(), 3), Arrays.copyOf(heap.heapAfterGcBytes(), 3));
            return new PodHeap(pod.instance(), first, null, true);
        }).toList();
        AreaWindows area = new AreaWindows("threads", true,
                new HeapWindows(full.windows().baseline(), shortCanaries, List.of()));

        MemoryAreas.AreaResult result = MemoryAreas.analyse(List.of(area), MemoryGrowthConfig.DEFAULTS).get(0);

        assertThat(result.outcome()).isEqualTo(MemoryOutcome.NOT_JUDGED);
        assertThat(result.note()).startsWith("live threads: not judged (").doesNotContain("heap");
    }

    /** Three baseline pods at about 42 ± 2 threads and two canary pods of {@code canary} threads, a point a minute for 15 min. */
    private static AreaWindows threads(IntToDoubleFunction canary) {
        return threads(canary, 42);
    }

    /** Baseline pods at {@code level} ± 2 threads. */
    private static AreaWindows threads(IntToDoubleFunction canary, int level) {
        Random random = new Random(7);
        List<PodHeap> baseline = List.of(pod("b1", m -> level + random.nextInt(5) - 2),
                pod("b2", m -> level - 2 + random.nextInt(5) - 2), pod("b3", m -> level + 2 + random.nextInt(5) - 2));
        List<PodHeap> canaries = List.of(pod("c1", canary), pod("c2", m -> canary.applyAsDouble(m) + random.nextInt(3) - 1));
        return new AreaWindows("threads", true, new HeapWindows(baseline, canaries, List.of()));
    }

    /** A pod whose JVM started at {@code jvmStart}, {@code bytesAt} each minute of the window. */
    private static PodHeap pod(String name, long jvmStart, IntToDoubleFunction bytesAt) {
        long[] t = new long[16];
        long[] bytes = new long[16];
        for (int m = 0; m < t.length; m++) {
            t[m] = START + m * MINUTE;
            bytes[m] = Math.round(bytesAt.applyAsDouble(m));
        }
        return new PodHeap(name, new HeapSeries("prometheus", jvmStart, t, bytes), null, true);
    }

    private static PodHeap pod(String name, IntToDoubleFunction threadsAt) {
        long[] t = new long[16];
        long[] bytes = new long[16];
        for (int m = 0; m < t.length; m++) {
            t[m] = START + m * MINUTE;
            bytes[m] = Math.round(threadsAt.applyAsDouble(m)) * MemoryAreas.THREAD_STACK_BYTES;
        }
        // JVMs started an hour before the window: past warm-up
        return new PodHeap(name, new HeapSeries("prometheus", START - 60 * MINUTE, t, bytes), null, true);
    }
}
