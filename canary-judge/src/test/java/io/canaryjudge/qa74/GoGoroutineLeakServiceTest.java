package io.canaryjudge.qa74;

import static org.assertj.core.api.Assertions.assertThat;

import io.canaryjudge.CanaryJudgeApplication;
import io.canaryjudge.memory.ScrapedPod;
import io.canaryjudge.memory.ScrapedPodsService;
import io.canaryjudge.metrics.testing.PrometheusProcess;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.time.temporal.ChronoUnit;
import java.util.UUID;
import org.junit.jupiter.api.Test;
import org.springframework.boot.test.context.SpringBootTest;
import org.springframework.test.context.DynamicPropertyRegistry;
import org.springframework.test.context.DynamicPropertySource;
import tools.jackson.databind.JsonNode;

/**
 * Go pods that leak goroutines through the service as Argo Rollouts asks it: their client_golang 1.14 scrapes (Go 1.19)
 * backfilled into a real Prometheus, their goroutine profiles (one a minute) in the local directory source
 * (src/test/resources/qa74, README there). {@code heap.exporter: client-golang} judges {@code go_goroutines} as the
 * {@code goroutines} area, as a JVM's live threads; before qa74 the preset had no area and a goroutine leak passed.
 */
@SpringBootTest(classes = CanaryJudgeApplication.class, webEnvironment = SpringBootTest.WebEnvironment.RANDOM_PORT,
        properties = {"canary-judge.analysis.warmup=0s", "canary-judge.analysis.deadline=60s",
                "canary-judge.analysis.history-windows=1", "canary-judge.prometheus.application-label=app",
                "canary-judge.prometheus.timeout=20s", "canary-judge.prometheus.exporter=jmx-exporter",
                "canary-judge.prometheus.heap.exporter=client-golang"})
class GoGoroutineLeakServiceTest extends ScrapedPodsService {
    static final Path FOLDER = Path.of("src", "test", "resources", "qa74", "pods");
    static final Path ROOT = Path.of("target", "qa74-service-" + UUID.randomUUID()).toAbsolutePath();
    static final String APP = "gopod";

    @DynamicPropertySource
    static void properties(DynamicPropertyRegistry registry) {
        serve(registry, ROOT.resolve("profiles"), () -> {
            prometheus = backfill(FOLDER, ROOT, APP, "{goroutine-*.pb.gz,labels.properties}");
            return prometheus;
        }, PrometheusProcess::baseUrl);
    }

    /** The canary pod {@code pod} against b1-b3 over the 15 minutes ending 18 minutes after the first process started. */
    private JsonNode analyse(String pod) {
        return analyse(pod, 18);
    }

    /** The canary pod against b1-b3 over the 15 minutes ending {@code endMinute} after the first process started. */
    private JsonNode analyse(String pod, int endMinute) {
        long firstStart = pods.stream().mapToLong(ScrapedPod::jvmStartMillis).min().orElseThrow();
        Instant end = Instant.ofEpochMilli(firstStart).plus(Duration.ofMinutes(endMinute)).truncatedTo(ChronoUnit.MINUTES);
        JsonNode verdict = analyses("""
                {"application": "%s", "baseline": {"labels": {"track": "baseline"}},
                 "canary": {"labels": {"track": "canary", "replica": "%s"}},
                 "start": "%s", "end": "%s", "profileTypes": ["goroutines"]}"""
                .formatted(APP, pod, end.minus(Duration.ofMinutes(15)), end));
        // the figures docs/EVALUATION.md "(qa74)" quotes
        System.err.println("qa74 service " + pod + " minutes " + (endMinute - 15) + "-" + endMinute + ": "
                + verdict.get("summary").asString() + " | " + verdict.get("dataQuality").get("memory").get("notes"));
        return verdict;
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
