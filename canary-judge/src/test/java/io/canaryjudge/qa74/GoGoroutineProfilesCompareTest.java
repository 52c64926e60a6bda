package io.canaryjudge.qa74;

import static org.assertj.core.api.Assertions.assertThat;

import io.canaryjudge.SharedFixtures;
import io.canaryjudge.cli.CompareJson;
import java.io.IOException;
import java.nio.file.Path;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import tools.jackson.databind.JsonNode;

/**
 * {@code compare} over Go pods' goroutine profiles, one saved a minute as {@code /debug/pprof/goroutine} answers
 * (src/test/resources/qa74, README there): each profile's total is the pod's goroutines at its time (the
 * {@code goroutines} area, as {@code go_goroutines} is to the service) and its stacks name where the extra ones wait.
 * Before qa74 a goroutine profile was not read at all ({@code goroutine/count} mapped to no type): the leak passed
 * unseen.
 */
class GoGoroutineProfilesCompareTest {
    static final Path PODS = SharedFixtures.projectRoot().resolve("canary-judge/src/test/resources/qa74/pods");

    /** The instance folders compare reads: the goroutine profiles and requests.csv, not the scrapes. */
    private static Path pods(Path temp) throws IOException {
        return GoroutineInstances.copy(PODS, temp, List.of("b1", "b2", "b3", "b4", "g1", "g2", "p1"));
    }

    @Test
    void aGoroutineLeakFailsNamingWhereTheGoroutinesWait(@TempDir Path temp) throws IOException {
        Path pods = pods(temp);
        for (String canary : List.of("g1", "g2")) {
            JsonNode leak = CompareJson.of(pods, List.of("b1", "b2", "b3"), List.of(canary), List.of());

            assertThat(leak.path("result").asString()).as(canary + ": " + leak).isEqualTo("FAIL");
            JsonNode finding = leak.path("findings").get(0);
            assertThat(finding.path("function").asString()).isEqualTo("<goroutines>");
            assertThat(finding.path("kind").asString()).isEqualTo("MEMORY_GROWTH");
            assertThat(leak.path("summary").asString()).as(canary).contains("goroutines grow").contains("`main.awaitAck`");
        }
    }

    /**
     * Not FAIL, and the goroutines area judged without growth. Not PASS either: goroutine profiles alone hold no type that
     * can fail a canary (no CPU or allocation profiles were recorded), so the verdict is INCONCLUSIVE for that reason.
     */
    @Test
    void anUnchangedCanaryAndABoundedPoolDoNotFail(@TempDir Path temp) throws IOException {
        Path pods = pods(temp);
        for (List<String> run : List.of(List.of("b1", "b2", "b3", "b4"), List.of("b2", "b3", "b4", "b1"),
                List.of("b1", "b2", "b3", "p1"))) {
            String canary = run.get(3);
            JsonNode verdict = CompareJson.of(pods, run.subList(0, 3), List.of(canary), List.of());

            assertThat(verdict.path("result").asString()).as(canary + ": " + verdict).isNotEqualTo("FAIL");
            assertThat(verdict.path("findings").toString()).as(canary).doesNotContain("<goroutines>");
            assertThat(verdict.path("dataQuality").toString()).as(canary).contains("goroutines: no abnormal growth");
        }
    }
}
