package io.canaryjudge.qa88;

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
 * gRPC-go servers (gRPC-go 1.33's own HTTP/2 transport) whose inbound connections grow through the window, through the
 * service as Argo Rollouts asks it: their client_golang scrapes (Go 1.19) backfilled into a real Prometheus, their
 * goroutine profiles (one a minute) in the local directory source (src/test/resources/qa88, README there). Per gRPC
 * connection the server runs its transport's reader, writer (loopyWriter) and keepalive goroutines; before qa88 all
 * three read as the rest, so an unchanged canary going from 10 to 200 connections FAILed as a goroutine leak.
 */
@SpringBootTest(classes = CanaryJudgeApplication.class, webEnvironment = SpringBootTest.WebEnvironment.RANDOM_PORT,
        properties = {"canary-judge.analysis.warmup=0s", "canary-judge.analysis.deadline=60s",
                "canary-judge.analysis.history-windows=1", "canary-judge.prometheus.application-label=app",
                "canary-judge.prometheus.timeout=20s", "canary-judge.prometheus.exporter=jmx-exporter",
                "canary-judge.prometheus.heap.exporter=client-golang"})
class GrpcConnectionsServiceTest extends ScrapedPodsService {
    static final Path FOLDER = Path.of("src", "test", "resources", "qa88", "pods");
    static final Path ROOT = Path.of("target", "qa88-service-" + UUID.randomUUID()).toAbsolutePath();
    static final String APP = "grpcpod";

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
        // the figures docs/EVALUATION.md "(qa88)" quotes
        System.err.println("qa88 service " + pod + ": " + verdict.get("summary").asString() + " | "
                + verdict.get("dataQuality").get("memory").get("notes"));
        return verdict;
    }

    /**
     * Unchanged canaries: gRPC connections stepping up from 10 to 200 (r1) and steady at 20 (s1). r1's goroutine rise is
     * reported as open connections, not failed (before qa88 it FAILed as a leak). This test asserts the goroutine part
     * only: what r1's connections hold on the heap is judged apart (docs/EVALUATION.md "(qa88)").
     */
    @Test
    void anUnchangedCanaryWhoseGrpcConnectionsGrowIsNotFailedForItsGoroutines() {
        JsonNode s1 = analyse("s1");
        assertThat(s1.get("result").asString()).as(s1.toString()).isNotEqualTo("FAIL");
        assertThat(growth(s1)).doesNotContain("<goroutines>");

        JsonNode r1 = analyse("r1");
        assertThat(growth(r1)).as(r1.toString()).contains("<goroutines> (reported)").doesNotContain("<goroutines>");
        assertThat(r1.toString()).contains("Reported only: the rise is open connections, not a leak");
        assertThat(r1.get("summary").asString()).as(r1.toString()).doesNotContain("`main.");
    }

    /**
     * A goroutine leak a unary handler starts under the same connection growth (r2) and unary handlers that never return
     * (h1, under {@code grpc.(*Server).handleStream}): FAIL, named where the leaked goroutines wait.
     */
    @Test
    void aLeakBesideGrowingGrpcConnectionsStillFailsNamingWhereItWaits() {
        for (String pod : new String[] {"r2", "h1"}) {
            JsonNode verdict = analyse(pod);

            assertThat(verdict.get("result").asString()).as(pod + ": " + verdict).isEqualTo("FAIL");
            JsonNode finding = verdict.get("findings").get(0);
            assertThat(finding.get("function").asString()).as(pod).isEqualTo("<goroutines>");
            assertThat(verdict.get("summary").asString()).as(pod).contains("goroutines grow").contains("`main.awaitAck`");
        }
    }
}
