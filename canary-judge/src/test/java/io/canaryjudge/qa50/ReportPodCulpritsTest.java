package io.canaryjudge.qa50;

import static org.assertj.core.api.Assertions.assertThat;

import io.canaryjudge.SharedFixtures;
import io.canaryjudge.cli.CompareJson;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.Test;
import tools.jackson.databind.JsonNode;

/**
 * Culprits on a reporting service with framework stacks (qa50), and code one JVM's compiled form attributes to other
 * frames ({@link ReportPod} pods recorded by async-profiler 4.2,
 * src/test/resources/qa50, README there). In {@code b6}, one of 8 unchanged JVMs (and 5 of 18 changed ones), C2's
 * code for the Reactor sort's comparisons is attributed to Guava's {@code ReverseOrdering.compare} and the
 * application lambda {@code Reports.lambda$render$4} below it (0.1 → 5.3 % of CPU in its own code) on paths through
 * {@code TimSort.binarySort} that no other JVM has, and the stream sum's loop to an {@code IntPipeline} search; the
 * sort's and the sum's own paths cost what they did.
 */
class ReportPodCulpritsTest {
    static final Path RECORDINGS = SharedFixtures.projectRoot().resolve("canary-judge/src/test/resources/qa50");
    private static final String[] CPU = {"--profile-type", "cpu"};

    /**
     * One canary JVM beside three baseline JVMs (Argo's first step), all of one build: FAILed at
     * {@code lambda$render$4} "+2358 % … mostly its own code" (q = 0.005), an application frame, as if the lambda
     * had changed. No FAIL now, and the finding says why.
     */
    @Test
    void codeAttributedToOtherFramesInOneJvmIsNoRegression() {
        JsonNode verdict = CompareJson.of(RECORDINGS, List.of("cpu/b8", "cpu/b5", "cpu/b7"), List.of("cpu/b6"),
                List.of(), CPU);

        assertThat(verdict.path("result").asString()).as(verdict.toString()).isNotEqualTo("FAIL");
        assertThat(failing(verdict)).as(verdict.toString()).isEmpty();
        assertThat(verdict.toString()).contains("call paths the baseline did not take");
    }

    /**
     * A real rise on the paths the baseline ran still FAILs at the changed method: {@code Normalizer.normalize}, called
     * inside Reactor's operators, does 1.6× its own work in {@code deep160a} and {@code deep160b}. And it is the one
     * failing incident: the Reactor operator above it had FAILed beside it as a second incident named at an unchanged
     * application frame ("`FluxMapFuseable$MapFuseableSubscriber.onNext` +24 % … under `Table.render`, which fell").
     */
    @Test
    void aRiseOnTheBaselinesPathsStillFailsAtTheChangedMethod() {
        JsonNode verdict = CompareJson.of(RECORDINGS, List.of("cpu/b1", "cpu/b2", "cpu/b3", "cpu/b4"),
                List.of("cpu/deep160a", "cpu/deep160b"), List.of(), CPU);

        assertThat(verdict.path("result").asString()).as(verdict.toString()).isEqualTo("FAIL");
        assertThat(verdict.path("incidents").get(0).path("entryFrame").asString()).as(verdict.toString())
                .isEqualTo("io.canaryjudge.qa50.ReportPod$Normalizer.normalize");
        assertThat(failingIncidents(verdict)).as(verdict.toString())
                .containsExactly("io.canaryjudge.qa50.ReportPod$Normalizer.normalize");
    }

    /**
     * The incident quotes the q of the row it names. Merged from the groups of {@code Normalizer.normalize}, the
     * Reactor operators above it and a JDK frame's new path below it, it quoted the smallest q of all its rows: "+35 %
     * (18.8 % → 25.3 % of CPU with its callees, q = 7.8e-24 for `java.lang.invoke.VarHandleGuards.guard_LIL_V`)", a
     * row no rule failed. Now the q of normalize's own failing row.
     */
    @Test
    void theIncidentQuotesTheQOfTheRowItNames() {
        JsonNode verdict = CompareJson.of(RECORDINGS, List.of("cpu/b1", "cpu/b2", "cpu/b3", "cpu/b4"),
                List.of("cpu/deep160a", "cpu/deep160b"), List.of(), CPU);

        JsonNode incident = verdict.path("incidents").get(0);
        String normalize = "io.canaryjudge.qa50.ReportPod$Normalizer.normalize";
        assertThat(incident.path("entryFrame").asString()).isEqualTo(normalize);
        double ownQ = Double.NaN;
        for (JsonNode finding : verdict.path("findings")) {
            if (finding.path("function").asString().equals(normalize) && finding.path("failing").asBoolean()) {
                ownQ = finding.path("qValue").asDouble();
            }
        }
        assertThat(incident.path("qValue").asDouble()).as(verdict.toString()).isEqualTo(ownQ);
        assertThat(incident.path("summary").asString()).as(verdict.toString()).doesNotContain(" for `");
    }

    private static List<String> failingIncidents(JsonNode verdict) {
        List<String> names = new ArrayList<>();
        for (JsonNode incident : verdict.path("incidents")) {
            if (incident.path("failing").asBoolean()) {
                names.add(incident.path("entryFrame").asString());
            }
        }
        return names;
    }

    /**
     * The changed method leads, not the stream frames above it: {@code Scoring.score}, called from a stream's lambda,
     * does 1.6× its loop in {@code lambda160a} and {@code lambda160b}. The JVM's work grew in the canaries, so the
     * request handler {@code Reports.render}, holding most of the profile, fell (93.4 → 87.0 % of CPU) while the
     * stream frames below it rose with {@code Scoring.score}; the handler's group was ranked by that fall and led:
     * "FAIL: `java.util.stream.ReduceOps$ReduceOp.evaluateSequential` +67 % … under `Reports.render`, which fell".
     */
    @Test
    void theChangedMethodLeadsNotTheStreamAboveItUnderAFallingHandler() {
        JsonNode verdict = CompareJson.of(RECORDINGS, List.of("cpu/b1", "cpu/b2", "cpu/b3", "cpu/b4"),
                List.of("cpu/lambda160a", "cpu/lambda160b"), List.of(), CPU);

        assertThat(verdict.path("result").asString()).as(verdict.toString()).isEqualTo("FAIL");
        assertThat(verdict.path("incidents").get(0).path("entryFrame").asString()).as(verdict.toString())
                .isEqualTo("io.canaryjudge.qa50.ReportPod$Scoring.score");
        assertThat(verdict.path("summary").asString()).as(verdict.toString())
                .startsWith("FAIL: `io.canaryjudge.qa50.ReportPod$Scoring.score`");
    }

    private static List<String> failing(JsonNode verdict) {
        List<String> names = new ArrayList<>();
        for (JsonNode finding : verdict.path("findings")) {
            if (finding.path("failing").asBoolean()) {
                names.add(finding.path("function").asString());
            }
        }
        return names;
    }
}
