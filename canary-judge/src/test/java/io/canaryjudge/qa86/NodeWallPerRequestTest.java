package io.canaryjudge.qa86;

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
 * Node's wall per request, where request counts exist (qa76's pods, requests.csv): the busy time of its one JavaScript
 * thread per request is a cost like CPU per request (no pool of threads to grow, no waiting in it), so it is compared.
 * Before qa86 it read "wall time of all threads per request … — not compared: a larger thread pool alone raises it",
 * the JVM's reason. Measured per pod (Σ wall / Σ requests): b1-b3 14.6 / 14.8 / 14.1 ms; A/A a1 13.8, a2 13.9; w1
 * (downstream 5 times slower) 14.3; s1 18.2, d1 19.2, n1 17.4.
 */
class NodeWallPerRequestTest {
    static final Path PODS = SharedFixtures.projectRoot().resolve("canary-judge/src/test/resources/qa76/pods");
    static final List<String> BASELINE = List.of("b1", "b2", "b3");

    @Test
    void nodesWallPerRequestIsComparedAsTheJavaScriptThreadsBusyTime() {
        JsonNode verdict = CompareJson.of(PODS, BASELINE, List.of("d1"));

        assertThat(wallNotes(verdict)).anyMatch(n -> n.startsWith("the JavaScript thread's busy time per request: "
                + "baseline 14.5 ms, canary 19.2 ms (+32.5 %) (what its code ran, not a request's latency)"))
                .noneMatch(n -> n.contains("per request") && n.contains("not compared"));
    }

    /**
     * What does not cost the thread more does not rise per request: a downstream 5 times slower (w1, -1.3 %) and five
     * A/A rotations (-4.9 % to +5 %) stay short of FAIL.
     */
    @ParameterizedTest
    @CsvSource({"w1,b1,b2,b3", "a1,b1,b2,b3", "a2,b1,b2,b3", "b1,b2,b3,a1", "b2,b3,a1,a2", "b3,a1,a2,b1"})
    void whatDoesNotCostTheThreadMoreDoesNotFail(String canary, String b1, String b2, String b3) {
        JsonNode verdict = CompareJson.of(PODS, List.of(b1, b2, b3), List.of(canary));

        assertThat(verdict.path("result").asString()).as(canary + ": " + verdict.path("summary").asString())
                .isNotEqualTo("FAIL");
        assertThat(wallNotes(verdict)).anyMatch(n -> n.startsWith("the JavaScript thread's busy time per request"));
        assertThat(verdict.path("findings").valueStream()).noneMatch(f -> f.path("kind").asString()
                .equals("COST_PER_REQUEST"));
    }

    private static List<String> wallNotes(JsonNode verdict) {
        List<String> notes = new ArrayList<>();
        for (JsonNode t : verdict.path("dataQuality").path("types")) {
            if (t.path("profileType").asString().equals("wall")) {
                t.path("notes").forEach(n -> notes.add(n.asString()));
            }
        }
        return notes;
    }
}
