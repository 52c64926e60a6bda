package io.canaryjudge.judge;

import static org.assertj.core.api.Assertions.assertThat;

import io.canaryjudge.SharedFixtures;
import io.canaryjudge.eval.ProfileEdits;
import io.canaryjudge.profile.Profile;
import io.canaryjudge.profile.ProfileFiles;
import io.canaryjudge.profile.ProfileType;
import io.canaryjudge.profile.ReadOptions;
import io.canaryjudge.verdict.Finding;
import io.canaryjudge.verdict.Incident;
import io.canaryjudge.verdict.Result;
import io.canaryjudge.verdict.Verdict;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.function.UnaryOperator;
import java.util.stream.Stream;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/**
 * JIT placement moves samples between sibling frames as it does between a caller and its callee. The recorded shop's
 * `audit-jackson` canary JVMs (beside their own baseline session) put 7.3 % of CPU in `LinkedHashMap.afterNodeAccess`
 * and 2.9 % in `HashMap.getNode`, where the baseline JVMs put 2.9 % and 7.0 %, both under `LinkedHashMap.get`
 * (14.3 % → 14.9 % with its callees), code the canary did not change: that self rise failed (q = 8.4e-08) and made
 * `ProductCatalog.lookup` a second failing incident beside the real new hot path. A rise whose sibling under the
 * same caller fell by as much is time that moved; a rise beside unchanged siblings still fails.
 */
class SiblingMovedTimeTest {
    private static final String AFTER_NODE_ACCESS = "java.util.LinkedHashMap.afterNodeAccess";
    private static List<Observation> baseline;
    private static List<Observation> canary;
    private final Judge judge = new Judge();
    private final JudgeConfig config = JudgeConfig.defaults();

    @BeforeAll
    static void read() throws Exception {
        Path scenarios = SharedFixtures.projectRoot().resolve("canary-judge/src/test/resources/scenarios");
        baseline = observations(scenarios.resolve("baselines/session-6"), "b");
        canary = observations(scenarios.resolve("audit-jackson/canary"), "c");
    }

    @Test
    void aRiseWhoseSiblingFellByAsMuchUnderTheSameCallerIsNotARegression() {
        Verdict verdict = judge.judge(baseline, canary, config);

        assertThat(verdict.result()).isEqualTo(Result.FAIL);
        assertThat(verdict.incidents().stream().filter(Incident::failing).map(Incident::entryFrame).toList())
                .as(verdict.summary()).containsOnly("io.canaryjudge.scenario.shop.AuditTrail.serializeSnapshot");
        // Not failing; listed only while the table has room (its 100 rows go to larger changes first).
        verdict.findings().stream()
                .filter(f -> f.profileType() == ProfileType.CPU && f.function().equals(AFTER_NODE_ACCESS))
                .forEach(moved -> {
                    assertThat(moved.failing()).isFalse();
                    assertThat(moved.explanation()).contains("under the same caller `java.util.LinkedHashMap.get`")
                            .contains("its sibling `java.util.HashMap.getNode` got correspondingly cheaper");
                });
    }

    @Test
    void theSameRiseBesideUnchangedSiblingsStillFails() {
        // The baseline session's own pods as the canary, afterNodeAccess's stacks 2.5 times as costly: the rise the
        // recorded canary showed, with getNode where it was.
        List<Observation> slower = new ArrayList<>();
        for (Observation o : baseline) {
            slower.add(new Observation("s" + o.instance(), ProfileEdits.edited(o.profile(), UnaryOperator.identity(),
                    AFTER_NODE_ACCESS, 2.5, null, 0), o.requests()));
        }
        Verdict verdict = judge.judge(baseline, slower, config);

        Finding rise = cpuFinding(verdict, AFTER_NODE_ACCESS);
        assertThat(rise.failing()).as(rise.explanation()).isTrue();
        assertThat(verdict.result()).isEqualTo(Result.FAIL);
    }

    private static Finding cpuFinding(Verdict verdict, String function) {
        return verdict.findings().stream()
                .filter(f -> f.profileType() == ProfileType.CPU && f.function().equals(function) && f.measure().self())
                .findFirst().orElseThrow(() -> new AssertionError("no cpu finding for " + function + ": "
                        + verdict.summary()));
    }

    private static List<Observation> observations(Path side, String prefix) throws Exception {
        List<Observation> observations = new ArrayList<>();
        List<Path> pods;
        try (Stream<Path> list = Files.list(side)) {
            pods = list.filter(Files::isDirectory).sorted().toList();
        }
        for (Path pod : pods) {
            List<Path> slices;
            try (Stream<Path> list = Files.list(pod)) {
                slices = list.filter(p -> p.getFileName().toString().startsWith("slice-")).sorted().toList();
            }
            for (Path slice : slices) {
                for (Profile profile : ProfileFiles.read(slice, ReadOptions.defaults())) {
                    observations.add(new Observation(prefix + "-" + pod.getFileName(), profile, null));
                }
            }
        }
        return observations;
    }
}
