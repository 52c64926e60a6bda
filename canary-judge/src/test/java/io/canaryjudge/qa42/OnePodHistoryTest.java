package io.canaryjudge.qa42;

import static org.assertj.core.api.Assertions.assertThat;

import io.canaryjudge.SharedFixtures;
import io.canaryjudge.cli.CompareJson;
import java.nio.file.Path;
import java.util.List;
import org.junit.jupiter.api.Test;
import tools.jackson.databind.JsonNode;

/**
 * One baseline pod beside one canary pod (a small service's Flagger canary with {@code replicas: 1}), recorded
 * {@link LedgerPod} JVMs of the same build (src/test/resources/qa42, README there): the baseline pod's window
 * ({@code now/b}) and its own JVM's earlier window ({@code hist/b}, the same JVM start in the JFR), and an A/A canary
 * ({@code now/a}).
 */
class OnePodHistoryTest {
    static final Path RECORDINGS = SharedFixtures.projectRoot().resolve("canary-judge/src/test/resources/qa42");

    /**
     * Given the baseline pod's own earlier window as history, the verdict said the history "holds no two windows to
     * compare (give … two or more earlier windows of a pod)" and told the user to "give earlier windows or other pods
     * of the baseline version as history" - what had just been given, and more of it could not help: one JVM's
     * windows show no JVM-to-JVM noise. Now it says so and asks for other pods of the baseline version.
     */
    @Test
    void theBaselinePodsOwnEarlierWindowIsNotAskedForAgain() {
        JsonNode verdict = CompareJson.of(RECORDINGS, List.of("now/b"), List.of("now/a"), List.of("hist/b"));

        assertThat(verdict.path("result").asString()).as(verdict.toString()).isEqualTo("INCONCLUSIVE");
        assertThat(verdict.path("summary").asString()).as(verdict.toString())
                .contains("give other pods of the baseline version as history")
                .doesNotContain("give earlier windows");
        JsonNode cpu = verdict.path("dataQuality").path("types").get(0);
        assertThat(cpu.path("noiseSource").asString()).as(verdict.toString())
                .startsWith("prior only")
                .contains("earlier windows of the baseline pod's own JVM")
                .doesNotContain("two or more earlier windows of a pod");
    }

    /** Without history the advice to give earlier windows or other pods still stands. */
    @Test
    void withoutHistoryEarlierWindowsAreStillSuggested() {
        JsonNode verdict = CompareJson.of(RECORDINGS, List.of("now/b"), List.of("now/a"));

        assertThat(verdict.path("result").asString()).as(verdict.toString()).isEqualTo("INCONCLUSIVE");
        assertThat(verdict.path("summary").asString()).as(verdict.toString())
                .contains("give earlier windows or other pods of the baseline version as history");
    }
}
