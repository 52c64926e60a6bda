package io.canaryjudge.memory;

import static org.assertj.core.api.Assertions.assertThat;

import io.canaryjudge.judge.Judge;
import io.canaryjudge.judge.JudgeConfig;
import io.canaryjudge.judge.Observation;
import io.canaryjudge.judge.memory.HeapWindows;
import io.canaryjudge.judge.memory.MemoryGrowthConfig;
import io.canaryjudge.judge.memory.MemoryGrowthResult;
import io.canaryjudge.judge.memory.MemoryOutcome;
import io.canaryjudge.judge.memory.PodHeap;
import io.canaryjudge.verdict.Finding;
import io.canaryjudge.verdict.FindingKind;
import io.canaryjudge.verdict.Measure;
import io.canaryjudge.verdict.Result;
import io.canaryjudge.verdict.Verdict;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/**
 * The memory-growth check on a few windows of the committed recordings (real JVMs, async-profiler
 * {@code --live}, heap after every collection from the JVMs' GC notifications; see
 * docs/EVALUATION.md "Recordings"): what CI runs; the full evaluation is
 * {@link FullMemoryEvaluation}.
 */
class RecordedMemoryScenariosTest {
    static final long MINUTE = 60_000;
    private static Map<String, RecordedPod> pods;
    private static MemoryEvaluation evaluation;

    @BeforeAll
    static void load() {
        pods = RecordedPod.loadAll(RecordedPod.folder());
        evaluation = new MemoryEvaluation(pods, RecordedPod::heap, MemoryGrowthConfig.DEFAULTS);
    }

    private static List<RecordedPod> pods(String... names) {
        return java.util.Arrays.stream(names).map(pods::get).toList();
    }

    private static List<RecordedPod> baseline() {
        return pods("baseline-1", "baseline-2", "baseline-3");
    }

    /** The window [age, age + 15 min] of the canary pods' life. */
    private static long from(List<RecordedPod> canary, int ageMinutes) {
        return canary.get(0).jvmStartMillis() + ageMinutes * MINUTE;
    }

    /** The whole judge: live-object profiles as observations, the heap as heap windows, default settings. */
    static Verdict judge(List<RecordedPod> baseline, List<RecordedPod> canary, long from, long to) {
        List<Observation> b = new ArrayList<>();
        List<Observation> c = new ArrayList<>();
        List<PodHeap> bh = new ArrayList<>();
        List<PodHeap> ch = new ArrayList<>();
        for (RecordedPod pod : baseline) {
            b.addAll(pod.liveBetween(from, to));
            bh.add(new PodHeap(pod.name(), pod.heapBetween(from, to), pod.requestsPerSecond(from, to)));
        }
        for (RecordedPod pod : canary) {
            c.addAll(pod.liveBetween(from, to));
            ch.add(new PodHeap(pod.name(), pod.heapBetween(from, to), pod.requestsPerSecond(from, to)));
        }
        return new Judge().judge(b, c, List.of(), new HeapWindows(bh, ch, List.of()), JudgeConfig.defaults(),
                MemoryGrowthConfig.DEFAULTS);
    }

    @Test
    void leakingCanaryFailsWithTheAllocationSiteNamed() {
        List<RecordedPod> canary = pods("leak-sessions-1", "leak-sessions-2", "leak-sessions-3");
        long from = from(canary, 20);
        Verdict verdict = judge(baseline(), canary, from, from + 15 * MINUTE);

        assertThat(verdict.result()).isEqualTo(Result.FAIL);
        Finding first = verdict.findings().get(0);
        assertThat(first.kind()).isEqualTo(FindingKind.MEMORY_GROWTH);
        assertThat(first.failing()).isTrue();
        assertThat(first.function()).isEqualTo("io.canaryjudge.memory.app.SessionRegistry.register");
        assertThat(first.measure()).isIn(Measure.HEAP_GROWTH, Measure.HEAP_GROWTH_PER_REQUEST);
        assertThat(first.explanation()).contains("per 10 min")
                .contains("live bytes allocated under `io.canaryjudge.memory.app.SessionRegistry.register` rose from");
        assertThat(verdict.summary()).startsWith("FAIL: canary retains +");
        assertThat(verdict.incidents().get(0).entryFrame()).isEqualTo(first.function());
        assertThat(verdict.dataQuality().memory().judged()).isTrue();
        assertThat(verdict.dataQuality().memory().pods()).hasSize(6);
    }

    @Test
    void warmingCacheInYoungCanaryPasses() {
        List<RecordedPod> canary = pods("aa-1", "aa-2", "aa-3");
        long from = from(canary, 1);
        long to = from + 15 * MINUTE;
        // With the baseline pods' own first minutes as history (the same age): compared at that age, no growth.
        MemoryGrowthResult withHistory = evaluation.analyse(baseline(), canary, from, to, true);
        assertThat(withHistory.outcome()).isEqualTo(MemoryOutcome.NO_GROWTH);
        assertThat(withHistory.quality().notes()).anyMatch(n -> n.contains("at the same age"));
        // Its heap grew by a cache's worth meanwhile (per 1,000 requests: the pods' request rates are known):
        // against the old baseline pods alone it would look like a leak.
        assertThat(withHistory.quality().unit()).isEqualTo("bytes per 1000 requests");
        assertThat(withHistory.quality().canarySlope()).isGreaterThan(512 * 1024.0);

        // Without history, the warm-up is left out and too little remains: said so, never a silent pass.
        MemoryGrowthResult without = evaluation.analyse(baseline(), canary, from, to, false);
        assertThat(without.outcome()).isEqualTo(MemoryOutcome.NOT_JUDGED);
        assertThat(without.quality().notes().get(0)).startsWith("memory growth not judged");
        assertThat(without.quality().notes()).anyMatch(n -> n.contains("left out as warm-up"));
    }

    /**
     * Baseline and canary pods started together (a benchmark, a test run: qa19's twelve-minute JDK recordings) are
     * compared at the same age, the baseline pods' own windows; the note called them "history" and the baseline pods
     * "older", which neither was.
     */
    @Test
    void podsStartedTogetherAreComparedAtTheSameAgeAndTheNoteSaysSo() {
        List<RecordedPod> baseline = pods("aa-1", "aa-2", "aa-3");
        List<RecordedPod> canary = pods("bigger-flat-1", "bigger-flat-2", "bigger-flat-3");
        long from = from(canary, 1);
        assertThat(baseline.get(0).jvmStartMillis()).isCloseTo(canary.get(0).jvmStartMillis(),
                org.assertj.core.data.Offset.offset(MINUTE));
        Verdict verdict = judge(baseline, canary, from, from + 15 * MINUTE);

        assertThat(verdict.dataQuality().memory().judged()).isTrue();
        assertThat(verdict.dataQuality().memory().notes()).anySatisfy(n -> assertThat(n)
                .matches("canary pods are .* old, and the baseline pods were as young: compared with the 3 baseline"
                        + " pod\\(s\\) over the same ages"));
        assertThat(verdict.dataQuality().memory().notes()).noneMatch(n -> n.contains("older baseline pods")
                || n.contains("(history)"));
    }

    @Test
    void biggerButFlatHeapIsNotGrowth() {
        List<RecordedPod> canary = pods("bigger-flat-1", "bigger-flat-2", "bigger-flat-3");
        long from = from(canary, 20);
        Verdict verdict = judge(baseline(), canary, from, from + 15 * MINUTE);

        assertThat(verdict.findings()).noneMatch(f -> f.kind() == FindingKind.MEMORY_GROWTH);
        assertThat(verdict.summary()).contains("no abnormal heap growth after GC");
        // 48 MiB more heap than the baseline's, and flat
        double canaryLevel = canary.get(0).heapBetween(from, from + 15 * MINUTE).heapAfterGcBytes(0);
        double baselineLevel = pods.get("baseline-1").heapBetween(from, from + 15 * MINUTE).heapAfterGcBytes(0);
        assertThat(canaryLevel - baselineLevel).isGreaterThan(40 * 1024 * 1024.0);
    }

    @Test
    void aaCanaryPastWarmupPassesAndSaysWhatItComparedWith() {
        List<RecordedPod> canary = pods("aa-1", "aa-2", "aa-3");
        long from = from(canary, 20);
        Verdict verdict = judge(baseline(), canary, from, from + 15 * MINUTE);

        assertThat(verdict.findings()).noneMatch(f -> f.kind() == FindingKind.MEMORY_GROWTH);
        assertThat(verdict.dataQuality().memory().reference()).contains("3 baseline pod(s)");
        assertThat(verdict.dataQuality().memory().minimumDetectableGrowth()).isPositive();
    }
}
