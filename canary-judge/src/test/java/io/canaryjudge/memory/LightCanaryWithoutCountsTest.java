package io.canaryjudge.memory;

import static org.assertj.core.api.Assertions.assertThat;

import io.canaryjudge.judge.Judge;
import io.canaryjudge.judge.JudgeConfig;
import io.canaryjudge.judge.memory.LoadEstimate;
import io.canaryjudge.judge.memory.MemoryGrowthConfig;
import io.canaryjudge.verdict.MemoryQuality;
import io.canaryjudge.verdict.Verdict;
import java.util.List;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/**
 * qa59: without request counts (no requests.csv, no request query: the JMX exporter exports none) a canary serving a
 * quarter of a baseline pod's requests was not known to be light, so its caches, warming per request four times
 * slower, were judged per hour after the wall-clock warm-up (qa56: the leak at 25 % FAILed 7 of 11 30-minute windows,
 * named at the scrape's objects). Its allocation profiles say its load: allocated bytes per second track the request
 * ratio ({@link LoadEstimate}). Judged as {@code compare} judges a directory of pods with allocation profiles and heap
 * but no request counts ({@link Judge} with heap windows), over the recording of {@link LightCanaryWithoutCounts}.
 */
class LightCanaryWithoutCountsTest {
    static LightCanaryWithoutCounts recording;

    @BeforeAll
    static void load() {
        recording = new LightCanaryWithoutCounts();
    }

    /** The canary pods against b1-b3 over minutes [from, to] of their life, profiles and heap, no request counts. */
    static MemoryQuality judge(List<String> canary, int from, int to) {
        Verdict verdict = new Judge().judge(recording.profiles(LightCanaryWithoutCounts.BASELINE, from, to),
                recording.profiles(canary, from, to), List.of(), recording.windows(canary, from, to, false),
                JudgeConfig.defaults(), MemoryGrowthConfig.DEFAULTS);
        assertThat(verdict.findings()).as(verdict.summary()).noneMatch(f -> f.kind().name().equals("MEMORY_GROWTH"));
        return verdict.dataQuality().memory();
    }

    @Test
    void allocatedBytesPerSecondTrackTheRequestRatio() {
        for (String pod : List.of("aa-10", "leak-10", "aa-25", "leak-25", "b3")) {
            List<String> canary = List.of(pod);
            List<String> baseline = pod.equals("b3") ? List.of("b1", "b2") : LightCanaryWithoutCounts.BASELINE;
            double requests = recording.requestRatio(canary, 5, 35);
            double estimate = LoadEstimate.fromAllocation(recording.profiles(baseline, 5, 35),
                    recording.profiles(canary, 5, 35)).ratio();
            // fixed-rate work allocates at any load: the estimate is the request ratio or a little more, never much less
            assertThat(estimate).as(pod + " (requests " + requests + ")").isBetween(requests * 0.9, requests + 0.1);
        }
    }

    @Test
    void aLeakAtAQuarterOfTheLoadIsJudgedSayingItsLoadMayBeLighter() {
        MemoryQuality memory = judge(List.of("leak-25"), 5, 35);

        // judged, never left unjudged on an estimate: a canary at full traffic whose code allocates less per request
        // reads as light too, and its leak must not wait out a warm-up stretched by that reading
        assertThat(memory.judged()).as(memory.notes().toString()).isTrue();
        assertThat(memory.notes().toString()).contains("judged per hour: the canary pods may have served about 2")
                .contains("of a baseline pod's requests (no request counts: they allocated")
                .contains("or their code allocates less per request");
    }

    @Test
    void anAaCanaryAtATenthOfTheLoadIsJudgedSayingSoToo() {
        MemoryQuality memory = judge(List.of("aa-10"), 5, 35);

        assertThat(memory.judged()).as(memory.notes().toString()).isTrue();
        assertThat(memory.notes().toString()).contains("the canary pods may have served about 1");
    }

    @Test
    void aCanaryAtTheBaselinesLoadIsNotTakenForALightOne() {
        Verdict verdict = new Judge().judge(recording.profiles(List.of("b1", "b2"), 5, 35),
                recording.profiles(List.of("b3"), 5, 35), List.of(), new io.canaryjudge.judge.memory.HeapWindows(
                        recording.heap(List.of("b1", "b2"), 5, 35, false), recording.heap(List.of("b3"), 5, 35, false),
                        List.of()), JudgeConfig.defaults(), MemoryGrowthConfig.DEFAULTS);

        assertThat(verdict.dataQuality().memory().notes().toString()).doesNotContain("allocated")
                .doesNotContain("of a baseline pod's requests");
    }
}
