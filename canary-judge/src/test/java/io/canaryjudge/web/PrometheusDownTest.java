package io.canaryjudge.web;

import static org.assertj.core.api.Assertions.assertThat;

import io.canaryjudge.CanaryJudgeApplication;
import java.io.IOException;
import java.net.ServerSocket;
import java.nio.file.Path;
import java.time.Duration;
import java.util.UUID;
import org.junit.jupiter.api.Test;
import org.springframework.boot.test.context.SpringBootTest;
import org.springframework.boot.test.web.server.LocalServerPort;
import org.springframework.http.MediaType;
import org.springframework.test.context.DynamicPropertyRegistry;
import org.springframework.test.context.DynamicPropertySource;
import org.springframework.test.web.reactive.server.EntityExchangeResult;
import org.springframework.test.web.reactive.server.WebTestClient;
import tools.jackson.databind.JsonNode;

/**
 * Prometheus configured but not answering (nothing listens on its port): clean profiles are not a PASS — the
 * error-ratio gate that could have failed the canary is missing, so the verdict is INCONCLUSIVE with the
 * reason — and readiness says Prometheus is down.
 */
@SpringBootTest(classes = CanaryJudgeApplication.class, webEnvironment = SpringBootTest.WebEnvironment.RANDOM_PORT,
        properties = {"canary-judge.local.match-windows=true", "canary-judge.analysis.warmup=0s",
                "canary-judge.analysis.deadline=20s", "canary-judge.analysis.history-windows=0",
                "canary-judge.resilience.attempts=2", "canary-judge.resilience.backoff=10ms"})
class PrometheusDownTest {
    static final Path PROFILES = Path.of("target", "test-profiles-" + UUID.randomUUID()).toAbsolutePath();

    @LocalServerPort
    int port;

    @DynamicPropertySource
    static void properties(DynamicPropertyRegistry registry) throws IOException {
        ProfileDirectories.aaAs(PROFILES, "checkout", "6d4f8c7b9", "7f9b6c5d4");
        int closed;
        try (ServerSocket socket = new ServerSocket(0)) {
            closed = socket.getLocalPort();
        }
        int unused = closed;
        registry.add("canary-judge.local.directory", PROFILES::toString);
        registry.add("canary-judge.prometheus.url", () -> "http://127.0.0.1:" + unused);
    }

    @Test
    void missingMetricsMakeCleanProfilesInconclusiveAndReadinessDown() {
        WebTestClient client = WebTestClient.bindToServer().baseUrl("http://127.0.0.1:" + port)
                .responseTimeout(Duration.ofSeconds(60)).build();
        JsonNode verdict = AnalysisApiTest.JSON.readTree(client.post().uri("/api/v1/analyses")
                .contentType(MediaType.APPLICATION_JSON)
                .bodyValue(PrometheusGatesTest.request("checkout", "6d4f8c7b9", "7f9b6c5d4")).exchange()
                .expectStatus().isOk().expectBody(String.class).returnResult().getResponseBody());

        assertThat(verdict.get("result").asString()).isEqualTo("INCONCLUSIVE");
        assertThat(verdict.get("summary").asString())
                .startsWith("INCONCLUSIVE: data missing: metric error_ratio: the baseline's series could not be read:")
                .contains("On the data that did arrive: PASS");
        assertThat(verdict.get("dataQuality").get("warnings").toString()).contains("missing: metric latency_p99")
                // the memory-growth check's heap queries failed too: said, not judged, the analysis answered
                .contains("heap after GC: the canary pods' heap could not be read from Prometheus")
                .contains("memory growth not judged");

        EntityExchangeResult<String> readiness = client.get().uri("/actuator/health/readiness").exchange()
                .expectBody(String.class).returnResult();
        assertThat(readiness.getStatus().value()).isEqualTo(503);
        assertThat(readiness.getResponseBody()).contains("\"prometheus\":{\"details\"").contains("\"DOWN\"")
                // the reason, not only the state: the analysis' failed queries opened the circuit
                .contains("\"detail\":\"prometheus circuit open after").contains("cannot connect to http://127.0.0.1:");
    }
}
