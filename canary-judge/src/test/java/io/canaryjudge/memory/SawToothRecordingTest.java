package io.canaryjudge.memory;

import static org.assertj.core.api.Assertions.assertThat;

import io.canaryjudge.verdict.Finding;
import io.canaryjudge.verdict.FindingKind;
import io.canaryjudge.verdict.MemoryQuality;
import io.canaryjudge.verdict.Result;
import io.canaryjudge.verdict.Verdict;
import java.util.Arrays;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/**
 * The memory-growth check on the saw-tooth recording: real G1 JVMs (128 MiB heap) whose old
 * generation fills with promoted garbage (each request's receipt lives 4 minutes) until a marking
 * cycle and mixed collections drop it, every 3–8 minutes (docs/EVALUATION.md "Saw-tooth recording").
 * A healthy canary, young or old, bigger or not, must never be failed; a leak must be failed and named
 * where the check resolves it.
 */
class SawToothRecordingTest {
    static final long MINUTE = 60_000;
    private static Map<String, RecordedPod> pods;

    @BeforeAll
    static void load() {
        pods = RecordedPod.loadAll(RecordedPod.sawToothFolder());
    }

    private static List<RecordedPod> pods(String... names) {
        return Arrays.stream(names).map(pods::get).toList();
    }

    private static Verdict judge(List<RecordedPod> canary, int ageMinutes, int windowMinutes) {
        long from = canary.get(0).jvmStartMillis() + ageMinutes * MINUTE;
        return RecordedMemoryScenariosTest.judge(pods("baseline-1", "baseline-2", "baseline-3"), canary, from,
                from + windowMinutes * MINUTE);
    }

    @Test
    void healthyCanariesAreNeverFailedForGrowth() {
        for (String scenario : List.of("aa", "bigger-flat")) {
            for (int age = 0; age <= 40; age += 5) {
                Verdict verdict = judge(pods(scenario + "-1", scenario + "-2", scenario + "-3"), age, 15);
                assertThat(verdict.findings()).as(scenario + " at age " + age)
                        .noneMatch(f -> f.kind() == FindingKind.MEMORY_GROWTH && f.failing());
            }
        }
    }

    @Test
    void aLeakingPodIsFailedAndItsAllocationSiteNamed() {
        Verdict verdict = judge(pods("leak-sessions-1"), 20, 30);

        assertThat(verdict.result()).isEqualTo(Result.FAIL);
        Finding first = verdict.findings().get(0);
        assertThat(first.kind()).isEqualTo(FindingKind.MEMORY_GROWTH);
        assertThat(first.function()).isEqualTo("io.canaryjudge.memory.app.SessionRegistry.register");
    }

    /**
     * Past warm-up the baseline and A/A pods mark their old generation every ~3.3 minutes, the leaking pods every
     * ~2: a 15-minute window holds at least 3 troughs in each, and the check judges the slopes through them. (The step noise once counted the drops
     * themselves, missed the baseline's 5–6 MiB drops and left these windows unresolved; a leaking pod's cycles,
     * ~2 minutes apart, were once chained into one.)
     */
    @Test
    void aFifteenMinuteWindowPastWarmUpShowsEachPodsOldCollections() {
        for (String scenario : List.of("aa", "leak-sessions")) {
            Verdict verdict = judge(pods(scenario + "-1", scenario + "-2", scenario + "-3"), 30, 15);
            MemoryQuality memory = verdict.dataQuality().memory();
            assertThat(memory.judged()).as(scenario + ": " + memory.notes()).isTrue();
            assertThat(memory.pods()).as(scenario).hasSize(6).allSatisfy(pod -> {
                assertThat(pod.windowPoints()).as(pod.instance()).isNotEmpty();
                assertThat(pod.points()).as(pod.instance()).hasSizeGreaterThanOrEqualTo(3);
            });
        }
    }

    /**
     * The bigger-but-flat canaries collect every 20 s in drops of 1.5 MiB, too small to tell from noise: they show
     * no old-generation collection of their own, and the check rests on their heap through every point, which does
     * not grow.
     */
    @Test
    void aCanaryCollectingInDropsTooSmallToSeeIsJudgedByItsWholeHeap() {
        for (int age = 20; age <= 40; age += 10) {
            Verdict verdict = judge(pods("bigger-flat-1", "bigger-flat-2", "bigger-flat-3"), age, 15);
            // (the recording holds live-object profiles only: the profile comparison itself has no judged type)
            assertThat(verdict.summary()).as("age " + age).contains("no abnormal heap growth after GC");
            assertThat(verdict.dataQuality().memory().notes().get(0)).as("age " + age)
                    .startsWith("no abnormal heap growth: the canary pods show no old-generation collection");
        }
    }
}
