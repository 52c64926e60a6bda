package io.canaryjudge.qa74;

import static org.assertj.core.api.Assertions.assertThat;

import io.canaryjudge.memory.ScrapedGoPodsService;
import java.nio.file.Path;
import org.junit.jupiter.api.Test;
import org.springframework.test.context.DynamicPropertyRegistry;
import org.springframework.test.context.DynamicPropertySource;
import tools.jackson.databind.JsonNode;

/**
 * Go pods that leak goroutines through the service as Argo Rollouts asks it: their client_golang 1.14 scrapes (Go 1.19)
 * backfilled into a real Prometheus, their goroutine profiles (one a minute) in the local directory source
 * (src/test/resources/qa74, README there). {@code heap.exporter: client-golang} judges {@code go_goroutines} as the
 * {@code goroutines} area, as a JVM's live threads; before qa74 the preset had no area and a goroutine leak passed.
 */
class GoGoroutineLeakServiceTest extends ScrapedGoPodsService {
    @DynamicPropertySource
    static void properties(DynamicPropertyRegistry registry) {
        serveGoPods(registry, Path.of("src", "test", "resources", "qa74", "pods"), "qa74",
                "{goroutine-*.pb.gz,labels.properties}");
    }

    /** The canary pod {@code pod} against b1-b3 over the 15 minutes ending 18 minutes after the first process started. */
    private JsonNode analyse(String pod) {
        return analyse(pod, 18);
    }

    /** The canary pod against b1-b3 over the 15 minutes ending {@code endMinute} after the first process started. */
    private JsonNode analyse(String pod, int endMinute) {
        return analyseGoPod(pod, endMinute, "goroutines");
    }

    /** One goroutine per 500 requests parked on a channel nobody closes: fails, named where the goroutines wait. */
    @Test
    void aGoCanaryThatLeaksGoroutinesFailsNamingWhereTheyWait() {
        JsonNode verdict = analyse("g1");

        assertThat(verdict.get("result").asString()).as(verdict.toString()).isEqualTo("FAIL");
        JsonNode finding = verdict.get("findings").get(0);
        assertThat(finding.get("kind").asString()).isEqualTo("MEMORY_GROWTH");
        assertThat(finding.get("function").asString()).isEqualTo("<goroutines>");
        assertThat(finding.get("unit").asString()).isEqualTo("goroutines");
        assertThat(verdict.get("summary").asString()).contains("goroutines grow").contains("`main.awaitAck`");
    }

    /** One per 5,000 requests (3.6 a minute, 216 an hour): still far above 20 an hour. */
    @Test
    void aSlowerGoroutineLeakFailsToo() {
        JsonNode verdict = analyse("g2");

        assertThat(verdict.get("result").asString()).as(verdict.toString()).isEqualTo("FAIL");
        assertThat(verdict.get("findings").get(0).get("function").asString()).isEqualTo("<goroutines>");
    }

    /**
     * The A/A canary, and the pool over minutes 3-18 (filled by minute 5) and over minutes 1-16 (its rise from 15 to 73
     * goroutines inside the window): not failed. Over minutes 1-16 every pod is younger than the warm-up; before the
     * young pods' step test (MemoryAreas.stepInsteadOfGrowth, qa74) the pool FAILed there.
     */
    @Test
    void anUnchangedGoCanaryAndABoundedPoolDoNotFail() {
        for (String[] run : new String[][] {{"b4", "18"}, {"p1", "18"}, {"p1", "16"}}) {
            String pod = run[0];
            JsonNode verdict = analyse(pod, Integer.parseInt(run[1]));

            // the pool filling inside the window (minutes 1-16) is reported as a step, never failed
            assertThat(growth(verdict)).as(pod + ": " + verdict).doesNotContain("<goroutines>", "<heap>");
            assertThat(verdict.get("result").asString()).as(pod).isNotEqualTo("FAIL");
            if (run[1].equals("16")) {
                assertThat(verdict.toString()).contains("Reported only: goroutines rose in a step");
            }
            // judged: the goroutines area came from Prometheus
            assertThat(verdict.get("dataQuality").get("memory").get("notes").toString()).as(pod)
                    .contains("outside the heap, goroutines: ");
        }
    }
}
