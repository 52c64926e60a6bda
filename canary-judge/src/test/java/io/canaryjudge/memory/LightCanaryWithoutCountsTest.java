package io.canaryjudge.memory;

import static org.assertj.core.api.Assertions.assertThat;

import io.canaryjudge.judge.Judge;
import io.canaryjudge.judge.JudgeConfig;
import io.canaryjudge.judge.memory.LoadEstimate;
import io.canaryjudge.judge.memory.MemoryGrowthConfig;
import io.canaryjudge.verdict.MemoryQuality;
import io.canaryjudge.verdict.Verdict;
import java.util.List;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
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

    /**
     * qa64: a memoising cache that leaks (nine requests in ten served from memoised responses, the tenth kept forever)
     * at the baseline's load allocated 32 % of a baseline pod's bytes per second in all, and the verdict said the canary
     * may have served about 32 % of its requests. Its other sites allocate as a baseline pod's do: the median over sites
     * reads the load. The recording of src/test/resources/qa64/memo (README there), minutes 1-15.
     */
    @Test
    void aMemoisingCacheAtTheBaselinesLoadIsNotReadAsLighter() {
        LightCanaryWithoutCounts memo = new LightCanaryWithoutCounts("qa64/memo");

        LoadEstimate estimate = LoadEstimate.fromAllocation(memo.profiles(LightCanaryWithoutCounts.BASELINE, 1, 15),
                memo.profiles(List.of("memo-100"), 1, 15));

        assertThat(estimate.canary() / estimate.baseline()).as("all sites").isLessThan(0.5);
        assertThat(estimate.ratio()).as("median over %d sites", estimate.sites()).isBetween(0.85, 1.15);
    }

    /** The median over sites within a fifth of the request ratio in every recorded pod of qa59 and qa64. */
    @Test
    void theEstimateTracksTheRequestRatioInEveryRecordedPod() {
        for (String dir : List.of("qa59/load", "qa64/memo")) {
            LightCanaryWithoutCounts rec = dir.equals("qa59/load") ? recording : new LightCanaryWithoutCounts(dir);
            int from = dir.equals("qa59/load") ? 5 : 1;
            int to = dir.equals("qa59/load") ? 35 : 15;
            for (String pod : rec.pods.keySet()) {
                List<String> canary = List.of(pod);
                List<String> baseline = LightCanaryWithoutCounts.BASELINE.stream().filter(p -> !p.equals(pod)).toList();
                double requests = rec.requestRatio(canary, baseline, from, to);
                double estimate = LoadEstimate.fromAllocation(rec.profiles(baseline, from, to),
                        rec.profiles(canary, from, to)).ratio();
                assertThat(estimate).as(dir + " " + pod + " (requests " + requests + ")")
                        .isBetween(requests * 0.8, requests * 1.2);
            }
        }
    }

    @Test
    void aLeakAtAQuarterOfTheLoadIsJudgedSayingItsLoadMayBeLighter() {
        MemoryQuality memory = judge(List.of("leak-25"), 5, 35);

        // judged, never left unjudged on an estimate: a canary at full traffic whose code allocates less per request
        // reads as light too, and its leak must not wait out a warm-up stretched by that reading
        assertThat(memory.judged()).as(memory.notes().toString()).isTrue();
        assertThat(memory.notes().toString()).contains("judged per hour: the canary pods may have served about 2")
                .contains("of a baseline pod's requests (no request counts: the median of 4 allocation sites' bytes per"
                        + " second was 2")
                .contains("or their code allocates less per request");
    }

    @Test
    void anAaCanaryAtATenthOfTheLoadIsJudgedSayingSoToo() {
        MemoryQuality memory = judge(List.of("aa-10"), 5, 35);

        assertThat(memory.judged()).as(memory.notes().toString()).isTrue();
        Matcher said = Pattern.compile("the canary pods may have served about ([0-9]+) %")
                .matcher(memory.notes().toString());
        assertThat(said.find()).as(memory.notes().toString()).isTrue();
        // a tenth of the requests (the estimate read 9 % here): near it, and well under the 80 % that makes a canary light
        assertThat(Integer.parseInt(said.group(1))).isBetween(5, 20);
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
