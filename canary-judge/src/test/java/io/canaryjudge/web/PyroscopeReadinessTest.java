package io.canaryjudge.web;

import static org.assertj.core.api.Assertions.assertThat;

import io.canaryjudge.CanaryJudgeApplication;
import java.io.IOException;
import java.net.ServerSocket;
import java.time.Duration;
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
 * A configured Pyroscope that does not answer (nothing listens on its port): readiness is down naming the
 * profile source, liveness stays up, and an analysis is a timely INCONCLUSIVE naming Pyroscope — not an error.
 */
@SpringBootTest(classes = CanaryJudgeApplication.class, webEnvironment = SpringBootTest.WebEnvironment.RANDOM_PORT,
        properties = {"canary-judge.resilience.attempts=2", "canary-judge.resilience.backoff=10ms"})
class PyroscopeReadinessTest {
    @LocalServerPort
    int port;

    @DynamicPropertySource
    static void properties(DynamicPropertyRegistry registry) throws IOException {
        int closed;
        try (ServerSocket socket = new ServerSocket(0)) {
            closed = socket.getLocalPort();
        }
        int unused = closed;
        registry.add("canary-judge.pyroscope.url", () -> "http://127.0.0.1:" + unused);
    }

    @Test
    void readinessIsDownAndAnalysesAreInconclusiveNamingPyroscope() {
        WebTestClient client = WebTestClient.bindToServer().baseUrl("http://127.0.0.1:" + port)
                .responseTimeout(Duration.ofSeconds(60)).build();

        EntityExchangeResult<String> readiness = client.get().uri("/actuator/health/readiness").exchange()
                .expectBody(String.class).returnResult();
        assertThat(readiness.getStatus().value()).isEqualTo(503);
        assertThat(readiness.getResponseBody()).contains("\"profileSource\"").contains("\"source\":\"pyroscope\"")
                .contains("\"DOWN\"");
        client.get().uri("/actuator/health/liveness").exchange().expectStatus().isOk();

        JsonNode verdict = AnalysisApiTest.JSON.readTree(client.post().uri("/api/v1/analyses")
                .contentType(MediaType.APPLICATION_JSON).bodyValue(AnalysisApiTest.EXAMPLE).exchange()
                .expectStatus().isOk().expectBody(String.class).returnResult().getResponseBody());
        assertThat(verdict.get("result").asString()).isEqualTo("INCONCLUSIVE");
        assertThat(verdict.get("summary").asString()).startsWith("INCONCLUSIVE: data missing:")
                .contains("pyroscope:");
        assertThat(verdict.get("analysis").get("source").asString()).isEqualTo("pyroscope");
    }
}
