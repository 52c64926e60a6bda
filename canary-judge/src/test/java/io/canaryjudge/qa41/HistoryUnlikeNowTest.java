package io.canaryjudge.qa41;

import static org.assertj.core.api.Assertions.assertThat;

import io.canaryjudge.SharedFixtures;
import io.canaryjudge.cli.CompareJson;
import java.nio.file.Path;
import java.util.List;
import org.junit.jupiter.api.Test;
import tools.jackson.databind.JsonNode;

/**
 * Recorded {@link HistoryShiftPod} JVMs (src/test/resources/qa41, README there): three baseline pods recorded at night
 * (40 requests/s, {@code night/b1}–{@code b3}) and, in the same JVMs minutes later, at three times the load
 * ({@code now/b1}–{@code b3}); three A/A canary JVMs of the same build ({@code now/a1}–{@code a3}), younger, whose
 * {@code Catalog.load} (the item cache) holds 22.3 % of CPU against the baseline's 19.6 %.
 */
class HistoryUnlikeNowTest {
    static final Path RECORDINGS = SharedFixtures.projectRoot().resolve("canary-judge/src/test/resources/qa41");

    /**
     * The night windows are earlier windows of the baseline pods' own JVMs (their JFR says the same JVM start), but
     * {@code compare} took each {@code --history} PATH for another JVM: the window-to-window spread of one JVM was
     * counted as JVM-to-JVM noise, the typical function's between-pod CV was learned as 0, and the A/A canaries were
     * INCONCLUSIVE ("`Catalog.load` +14 % … this would FAIL if the function(s) varied between JVMs no more than a
     * typical function") where the same pods without history PASS. Now they are that pod's earlier windows, as the
     * service's history windows of a pod are, and the noise source says so.
     */
    @Test
    void earlierWindowsOfTheBaselinePodsOwnJvmsAreNotTakenForOtherJvms() {
        JsonNode verdict = compare(List.of("now/b1", "now/b2", "now/b3"), List.of("now/a1", "now/a2", "now/a3"),
                List.of("night/b1", "night/b2", "night/b3"));

        assertThat(verdict.path("result").asString()).as(verdict.toString()).isEqualTo("PASS");
        verdict.path("dataQuality").path("types").forEach(type -> assertThat(type.path("noiseSource").asString())
                .startsWith("history: 3 earlier window(s) of 3 instance(s) (3 of them the baseline pods' own JVMs)"));
    }

    /** The same A/A canaries without history: the current pods alone show enough noise, and nothing is suspected. */
    @Test
    void theSameCanariesWithoutHistoryPass() {
        JsonNode verdict = compare(List.of("now/b1", "now/b2", "now/b3"), List.of("now/a1", "now/a2", "now/a3"), List.of());

        assertThat(verdict.path("result").asString()).as(verdict.toString()).isEqualTo("PASS");
    }

    /**
     * History from another JVM of the baseline version (the night window of b3, beside baseline pods b1 and b2) stays
     * another JVM, while b1's own night window is b1's: one shared JVM of the two history windows. (b3's window alone
     * would add nothing to compare: one window of one instance.)
     */
    @Test
    void historyOfAnotherJvmStaysAnotherJvm() {
        JsonNode verdict = compare(List.of("now/b1", "now/b2"), List.of("now/a1", "now/a2"),
                List.of("night/b3", "night/b1"));

        verdict.path("dataQuality").path("types").forEach(type -> assertThat(type.path("noiseSource").asString())
                .as(verdict.toString())
                .startsWith("history: 2 earlier window(s) of 2 instance(s) (1 of them the baseline pods' own JVMs)"));
    }

    private static JsonNode compare(List<String> baseline, List<String> canary, List<String> history) {
        return CompareJson.of(RECORDINGS, baseline, canary, history);
    }
}
