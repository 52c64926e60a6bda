package io.canaryjudge.judge;

import static org.assertj.core.api.Assertions.assertThat;

import io.canaryjudge.SharedFixtures;
import io.canaryjudge.eval.ProfileEdits;
import io.canaryjudge.profile.Profile;
import io.canaryjudge.profile.ProfileFiles;
import io.canaryjudge.profile.ProfileType;
import io.canaryjudge.profile.ReadOptions;
import io.canaryjudge.verdict.Finding;
import io.canaryjudge.verdict.Result;
import io.canaryjudge.verdict.Verdict;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Set;
import java.util.function.UnaryOperator;
import java.util.stream.Stream;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/**
 * A warm JVM's C2 code intrinsifies {@code long[].clone()} in {@code LatencyReporter.publish}: the array's allocation
 * is the caller's own. A young JVM's interpreted and C1 code calls the native {@code Object.clone}: a frame no warm
 * baseline pod has, holding what the caller's own frame held. Real shop pods recorded by async-profiler (three warm
 * baseline pods, canaries started with the window: {@code src/test/resources/young-canary/README.md}), judged on
 * their allocations alone (as a team judging allocation profiles does, so the canary's JIT work cannot show its
 * warm-up), one young canary pod at a time, as Argo's first analysis sees one canary pod beside three.
 */
class YoungCanaryIntrinsicTest {
    private static final String SHOP = "io.canaryjudge.scenario.shop.";
    private static final Path DIR = SharedFixtures.projectRoot().resolve("canary-judge/src/test/resources/young-canary");
    private static List<Observation> baseline;
    private static final List<List<Observation>> canaries = new ArrayList<>();
    private final JudgeConfig config = JudgeConfig.defaults().withJudgedTypes(Set.of(ProfileType.ALLOC_BYTES));

    @BeforeAll
    static void read() throws Exception {
        baseline = new ArrayList<>();
        for (int i = 1; i <= 3; i++) {
            baseline.addAll(allocations(DIR.resolve("session-1/baseline/pod-" + i)));
            canaries.add(allocations(DIR.resolve("session-1/aa/pod-" + i)));
        }
    }

    @Test
    void aYoungCanaryCallingWhatItsWarmPeersIntrinsifyIsNotANewHotPath() {
        for (List<Observation> canary : canaries) {
            Verdict verdict = new Judge().judge(baseline, canary, config);

            assertThat(verdict.result()).as(verdict.summary()).isNotEqualTo(Result.FAIL);
            Finding clone = finding(verdict, "java.lang.Object.clone");
            assertThat(clone.failing()).isFalse();
            assertThat(clone.explanation()).contains("took the place of its caller `" + SHOP
                    + "LatencyReporter.publish`'s own cost").contains("judged by the net change");
        }
    }

    /**
     * The same young canaries with three times the allocations in the new frame (what a larger array would cost): more
     * than twice what the caller's own frame lost is new work, judged as a new hot path, and FAILs.
     */
    @Test
    void codeInTheNewFrameThatCostsMoreThanTheCallersOwnStillFails() {
        for (List<Observation> canary : canaries) {
            List<Observation> larger = new ArrayList<>();
            for (Observation o : canary) {
                larger.add(new Observation(o.instance(), ProfileEdits.edited(o.profile(), UnaryOperator.identity(),
                        "java.lang.Object.clone", 3.0, null, 0), o.requests()));
            }
            Verdict verdict = new Judge().judge(baseline, larger, config);

            assertThat(verdict.result()).as(verdict.summary()).isEqualTo(Result.FAIL);
            assertThat(verdict.incidents().get(0).entryFrame()).as(verdict.summary())
                    .isEqualTo(SHOP + "LatencyReporter.publish");
            Finding clone = finding(verdict, "java.lang.Object.clone");
            assertThat(clone.failing()).isTrue();
            assertThat(clone.explanation()).doesNotContain("Not counted as a regression");
        }
    }

    private static Finding finding(Verdict verdict, String function) {
        return verdict.findings().stream().filter(f -> f.function().equals(function)).findFirst().orElseThrow(
                () -> new AssertionError(function + " not among the findings: " + verdict.summary()));
    }

    /** A pod folder's slices as observations without their cpu column. */
    private static List<Observation> allocations(Path pod) throws Exception {
        List<Path> slices;
        try (Stream<Path> list = Files.list(pod)) {
            slices = list.filter(p -> p.getFileName().toString().endsWith(".pb.gz")).sorted().toList();
        }
        List<Observation> observations = new ArrayList<>();
        for (Path slice : slices) {
            for (Profile profile : ProfileFiles.read(slice, ReadOptions.defaults())) {
                observations.add(new Observation(pod.getParent().getFileName() + "/" + pod.getFileName(),
                        profile.withoutType(ProfileType.CPU, "allocations judged alone"), null));
            }
        }
        return observations;
    }
}
