package io.canaryjudge.web;

import static com.github.tomakehurst.wiremock.client.WireMock.aResponse;
import static com.github.tomakehurst.wiremock.client.WireMock.get;
import static com.github.tomakehurst.wiremock.client.WireMock.matching;
import static com.github.tomakehurst.wiremock.client.WireMock.post;
import static com.github.tomakehurst.wiremock.client.WireMock.postRequestedFor;
import static com.github.tomakehurst.wiremock.client.WireMock.urlPathEqualTo;
import static org.assertj.core.api.Assertions.assertThat;

import com.github.tomakehurst.wiremock.WireMockServer;
import com.github.tomakehurst.wiremock.core.WireMockConfiguration;
import io.canaryjudge.CanaryJudgeApplication;
import java.io.IOException;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.util.UUID;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.Test;
import org.springframework.boot.test.context.SpringBootTest;
import org.springframework.boot.test.web.server.LocalServerPort;
import org.springframework.http.MediaType;
import org.springframework.test.context.DynamicPropertyRegistry;
import org.springframework.test.context.DynamicPropertySource;
import org.springframework.test.web.reactive.server.WebTestClient;
import tools.jackson.databind.JsonNode;

/**
 * A Prometheus that serves the analysed window but refuses older ranges (a long-term store behind it down): the
 * heap queries for the baseline's earlier windows fail, which costs each verdict a warning and must not open
 * Prometheus' circuit, which would refuse the analysed window's own heap and gate queries in the analyses that
 * follow. Real HTTP to a stand-in Prometheus (WireMock) answering {@code query_range} as Prometheus does.
 */
@SpringBootTest(classes = CanaryJudgeApplication.class, webEnvironment = SpringBootTest.WebEnvironment.RANDOM_PORT,
        properties = {"canary-judge.local.match-windows=true", "canary-judge.analysis.warmup=0s",
                "canary-judge.analysis.deadline=20s", "canary-judge.analysis.history-windows=3",
                "canary-judge.resilience.attempts=1", "canary-judge.resilience.failure-rate=20",
                "canary-judge.resilience.window=10", "canary-judge.resilience.minimum-calls=5"})
class PrometheusHistoryFailuresTest {
    static final Path PROFILES = Path.of("target", "test-profiles-" + UUID.randomUUID()).toAbsolutePath();
    static final WireMockServer PROMETHEUS = new WireMockServer(WireMockConfiguration.options().dynamicPort());
    /** Every range about the analysed window ends where it does (15:25); the baseline's earlier windows end before. */
    static final long WINDOW_END = Instant.parse("2026-11-25T15:25:00Z").getEpochSecond();
    /** The first earlier heap window ends where the 30-minute heap window (memoryGrowth.window) starts. */
    static final long FIRST_EARLIER_END = Instant.parse("2026-11-25T14:55:00Z").getEpochSecond();

    @LocalServerPort
    int port;

    @DynamicPropertySource
    static void properties(DynamicPropertyRegistry registry) throws IOException {
        ProfileDirectories.aaAs(PROFILES, "checkout", "6d4f8c7b9", "7f9b6c5d4");
        PROMETHEUS.start();
        PROMETHEUS.stubFor(get(urlPathEqualTo("/-/ready")).willReturn(aResponse().withStatus(200)
                .withBody("Prometheus Server is Ready.\n")));
        PROMETHEUS.stubFor(post(urlPathEqualTo("/api/v1/query_range")).atPriority(10).willReturn(aResponse()
                .withStatus(200).withHeader("Content-Type", "application/json")
                .withBody("{\"status\":\"success\",\"data\":{\"resultType\":\"matrix\",\"result\":[]}}")));
        // Ranges that end before the analysed window does: the three earlier windows (history-windows: 3).
        PROMETHEUS.stubFor(post(urlPathEqualTo("/api/v1/query_range")).atPriority(1)
                .withRequestBody(matching("(.*&)?end=(?!" + WINDOW_END + "(&|$)).*"))
                .willReturn(aResponse().withStatus(503).withBody("store unavailable")));
        registry.add("canary-judge.local.directory", PROFILES::toString);
        registry.add("canary-judge.prometheus.url", PROMETHEUS::baseUrl);
    }

    @AfterAll
    static void stop() {
        PROMETHEUS.stop();
    }

    @Test
    void earlierWindowsPrometheusRefusesCostAWarningAndNeverTheNextAnalysesQueries() {
        WebTestClient client = WebTestClient.bindToServer().baseUrl("http://127.0.0.1:" + port)
                .responseTimeout(Duration.ofSeconds(60)).build();
        JsonNode verdict = null;
        for (int analysis = 0; analysis < 4; analysis++) {
            verdict = AnalysisApiTest.JSON.readTree(client.post().uri("/api/v1/analyses")
                    .contentType(MediaType.APPLICATION_JSON)
                    .bodyValue(PrometheusGatesTest.request("checkout", "6d4f8c7b9", "7f9b6c5d4")).exchange()
                    .expectStatus().isOk().expectBody(String.class).returnResult().getResponseBody());
        }
        // The last analysis still had its own queries answered: the refused earlier windows opened no circuit ...
        String said = verdict.toString();
        assertThat(said).doesNotContain("circuit open");
        // ... though they were asked for, and refused, in every analysis, and each verdict says so.
        assertThat(PROMETHEUS.findAll(postRequestedFor(urlPathEqualTo("/api/v1/query_range"))
                .withRequestBody(matching("(.*&)?end=" + FIRST_EARLIER_END + "(&.*)?")))).hasSizeGreaterThanOrEqualTo(4);
        assertThat(said).contains("history window 1");
        String readiness = client.get().uri("/actuator/health/readiness").exchange().expectBody(String.class)
                .returnResult().getResponseBody();
        assertThat(readiness).doesNotContain("circuit open");
    }
}
