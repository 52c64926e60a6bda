package io.canaryjudge.qa82;

import static org.assertj.core.api.Assertions.assertThat;

import io.canaryjudge.SharedFixtures;
import io.canaryjudge.cli.CompareJson;
import java.nio.file.Path;
import java.util.List;
import org.junit.jupiter.api.Test;
import tools.jackson.databind.JsonNode;

/**
 * A Node service's wall incident says how much of the time its one JavaScript thread ran the code, not how many
 * "threads" were in it: {@code @datadog/pprof} samples that thread only. Before qa82 d1's summary read
 * "0.0466 → 0.0803 threads in it on average per pod" (qa76's recordings, b1-b3 against d1, priceOrder ×2).
 */
class NodeThreadWordsTest {
    static final Path PODS = SharedFixtures.projectRoot().resolve("canary-judge/src/test/resources/qa76/pods");

    @Test
    void aNodeWallIncidentSaysTheJavaScriptThreadsTimeNotThreads() {
        // qa92: d1's FAIL leaned on the heap's false discoveries (now INCONCLUSIVE); n1's new path FAILs on wall alone
        JsonNode verdict = CompareJson.of(PODS, List.of("b1", "b2", "b3"), List.of("n1"));

        String summary = verdict.path("summary").asString();
        assertThat(verdict.path("result").asString()).as(summary).isEqualTo("FAIL");
        assertThat(summary).doesNotContain("threads in it")
                .containsPattern("the JavaScript thread in it [0-9.]+ % → [0-9.]+ % of the time on average per pod");
    }
}
