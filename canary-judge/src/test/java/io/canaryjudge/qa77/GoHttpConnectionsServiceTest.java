package io.canaryjudge.qa77;

import static org.assertj.core.api.Assertions.assertThat;

import io.canaryjudge.CanaryJudgeApplication;
import io.canaryjudge.memory.ScrapedPod;
import io.canaryjudge.memory.ScrapedPodsService;
import io.canaryjudge.metrics.testing.PrometheusProcess;
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
 * Go {@code net/http} servers whose inbound keep-alive connections grow through the window, through the service as Argo
 * Rollouts asks it: their client_golang scrapes (Go 1.19) backfilled into a real Prometheus, their goroutine profiles
 * (one a minute) in the local directory source (src/test/resources/qa77, README there). The server runs a goroutine per
 * open connection, so an unchanged canary going from 10 to 200 connections raises {@code go_goroutines} as a leak
 * does: before qa77 it FAILed naming no site. Now the goroutine profiles tell net/http's connection goroutines from the
 * rest ({@code ConnectionGoroutines}); a leak beside them still FAILs, named among the rest.
 */
@SpringBootTest(classes = CanaryJudgeApplication.class, webEnvironment = SpringBootTest.WebEnvironment.RANDOM_PORT,
        properties = {"canary-judge.analysis.warmup=0s", "canary-judge.analysis.deadline=60s",
                "canary-judge.analysis.history-windows=1", "canary-judge.prometheus.application-label=app",
                "canary-judge.prometheus.timeout=20s", "canary-judge.prometheus.exporter=jmx-exporter",
                "canary-judge.prometheus.heap.exporter=client-golang"})
class GoHttpConnectionsServiceTest extends ScrapedPodsService {
    static final Path FOLDER = Path.of("src", "test", "resources", "qa77", "pods");
    static final Path ROOT = Path.of("target", "qa77-service-" + UUID.randomUUID()).toAbsolutePath();
    static final String APP = "gopod";

    @DynamicPropertySource
    static void properties(DynamicPropertyRegistry registry) {
        serve(registry, ROOT.resolve("profiles"), () -> {
            prometheus = backfill(FOLDER, ROOT, APP, "{goroutine-*.pb.gz,labels.properties}");
            return prometheus;
        }, PrometheusProcess::baseUrl);
    }

    /** The canary pod against b1-b3 over minutes 2-17 after the first process started. */
    private JsonNode analyse(String pod) {
        long firstStart = pods.stream().mapToLong(ScrapedPod::jvmStartMillis).min().orElseThrow();
        Instant end = Instant.ofEpochMilli(firstStart).plus(Duration.ofMinutes(17)).truncatedTo(ChronoUnit.MINUTES);
        JsonNode verdict = analyses("""
                {"application": "%s", "baseline": {"labels": {"track": "baseline"}},
                 "canary": {"labels": {"track": "canary", "replica": "%s"}},
                 "start": "%s", "end": "%s", "profileTypes": ["goroutines"]}"""
                .formatted(APP, pod, end.minus(Duration.ofMinutes(15)), end));
        // the figures docs/EVALUATION.md "(qa77)" quotes
        System.err.println("qa77 service " + pod + ": " + verdict.get("summary").asString() + " | "
                + verdict.get("dataQuality").get("memory").get("notes"));
        return verdict;
    }

    /**
     * Unchanged canaries: connections stepping up from 10 to 200 (r1), steady at 20 (s1), coming and going under a
     * 1-second client idle timeout (c1). r1's rise is reported as open connections, not failed; before qa77 it FAILed.
     */
    @Test
    void anUnchangedCanaryWhoseConnectionsGrowDoesNotFail() {
        for (String pod : new String[] {"r1", "s1", "c1"}) {
            JsonNode verdict = analyse(pod);

            assertThat(verdict.get("result").asString()).as(pod + ": " + verdict).isNotEqualTo("FAIL");
            assertThat(growth(verdict)).as(pod).doesNotContain("<goroutines>");
            if (pod.equals("r1")) {
                assertThat(growth(verdict)).contains("<goroutines> (reported)");
                assertThat(verdict.toString()).contains("Reported only: the rise is open connections, not a leak");
            }
        }
    }

    /**
     * A goroutine leak under the same connection growth (r2), a handler that never returns (h1, its goroutines under
     * net/http.(*conn).serve with the application's frames below) and a leak under connection churn (c2): FAIL, named
     * where the leaked goroutines wait.
     */
    @Test
    void aLeakBesideGrowingConnectionsStillFailsNamingWhereItWaits() {
        for (String pod : new String[] {"r2", "h1", "c2"}) {
            JsonNode verdict = analyse(pod);

            assertThat(verdict.get("result").asString()).as(pod + ": " + verdict).isEqualTo("FAIL");
            JsonNode finding = verdict.get("findings").get(0);
            assertThat(finding.get("function").asString()).as(pod).isEqualTo("<goroutines>");
            assertThat(verdict.get("summary").asString()).as(pod).contains("goroutines grow").contains("`main.awaitAck`");
        }
    }
}
