package io.canaryjudge.qa76;

import static org.assertj.core.api.Assertions.assertThat;

import io.canaryjudge.SharedFixtures;
import io.canaryjudge.cli.CompareJson;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;
import tools.jackson.databind.JsonNode;

/**
 * A Node HTTP service under Pyroscope's Node SDK started as its README says (init + start: wall time only, 60 s
 * uploads), its uploads kept as they were sent (src/test/resources/qa76/pods, bench/qa76-node/record.sh): b1-b3, a1,
 * a2 one build, s1 with priceOrder doing 1.5 times the work, d1 twice, n1 a new auditOrder rendering one more
 * Mustache template six times per order, w1 waiting 40 ms instead of 8 on its downstream. At 797cacf3 wall was
 * reported only, so every canary was INCONCLUSIVE ("only wall compared, reported only") whatever it did.
 */
class NodeWallOnlyTest {
    static final Path PODS = SharedFixtures.projectRoot().resolve("canary-judge/src/test/resources/qa76/pods");
    private static final List<String> BASELINE = List.of("b1", "b2", "b3");

    /**
     * priceOrder twice as dear: INCONCLUSIVE, judged as CPU is. Its FAIL before qa92 (q = 0.003) leaned on the V8 heap
     * uploads' false discoveries in wall's false-discovery family; with the heap's sample counts read (one snapshot's
     * per pod) wall decides alone: q = 0.013.
     */
    @Test
    void aTwiceAsDearApplicationFunctionIsInconclusiveOnWallAlone() {
        JsonNode verdict = CompareJson.of(PODS, BASELINE, List.of("d1"));

        String summary = verdict.path("summary").asString();
        assertThat(verdict.path("result").asString()).as(summary).isEqualTo("INCONCLUSIVE");
        assertThat(warnings(verdict)).anyMatch(w -> w.startsWith("wall judged as CPU is"));
    }

    /**
     * priceOrder +50 %: V8 inlined it into its caller priceAndRender in these processes (priceAndRender's own share 0 in
     * the baseline, 12 % of wall time in s1), so that caller, with its callees, is where it is judged: INCONCLUSIVE
     * there, as d1 is, since qa92.
     */
    @Test
    void aHalfAgainAsDearApplicationFunctionIsInconclusiveOnWallAlone() {
        JsonNode verdict = CompareJson.of(PODS, BASELINE, List.of("s1"));

        String summary = verdict.path("summary").asString();
        // qa92: as d1, the FAIL leaned on the heap's false discoveries; wall alone is INCONCLUSIVE
        assertThat(verdict.path("result").asString()).as(summary).isEqualTo("INCONCLUSIVE");
    }

    @Test
    void aNewPathIntoALibraryFailsAtTheApplicationFunctionThatCallsIt() {
        JsonNode verdict = CompareJson.of(PODS, BASELINE, List.of("n1"));

        assertThat(verdict.path("result").asString()).as(verdict.path("summary").asString()).isEqualTo("FAIL");
        JsonNode lead = verdict.path("incidents").get(0);
        assertThat(lead.path("entryFrame").asString()).isEqualTo("./server.js:auditOrder");
        assertThat(lead.path("summary").asString()).contains("mostly the npm package mustache");
    }

    /**
     * A slower downstream: the event loop waits longer, the JavaScript does the same work; wall time here is the
     * thread's busy time, so nothing of the service's code got dearer.
     */
    @Test
    void aSlowerDownstreamIsNoRegressionOfTheServicesCode() {
        JsonNode verdict = CompareJson.of(PODS, BASELINE, List.of("w1"));

        assertThat(verdict.path("result").asString()).as(verdict.path("summary").asString()).isNotEqualTo("FAIL");
    }

    /** Five A/A rotations of the five pods of one build, each as canary against three others. */
    @ParameterizedTest
    @CsvSource({"a1,b1,b2,b3", "a2,b1,b2,b3", "b1,b2,b3,a1", "b2,b3,a1,a2", "b3,a1,a2,b1"})
    void anUnchangedCanaryDoesNotFail(String canary, String b1, String b2, String b3) {
        JsonNode verdict = CompareJson.of(PODS, List.of(b1, b2, b3), List.of(canary));

        assertThat(verdict.path("result").asString()).as(canary + ": " + verdict.path("summary").asString())
                .isNotEqualTo("FAIL");
    }

    private static List<String> warnings(JsonNode verdict) {
        List<String> out = new ArrayList<>();
        verdict.path("dataQuality").path("warnings").forEach(w -> out.add(w.asString()));
        return out;
    }
}
