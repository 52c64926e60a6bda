package io.canaryjudge.web;

import static com.github.tomakehurst.wiremock.client.WireMock.aResponse;
import static com.github.tomakehurst.wiremock.client.WireMock.containing;
import static com.github.tomakehurst.wiremock.client.WireMock.get;
import static com.github.tomakehurst.wiremock.client.WireMock.post;
import static com.github.tomakehurst.wiremock.client.WireMock.postRequestedFor;
import static com.github.tomakehurst.wiremock.client.WireMock.urlPathEqualTo;
import static org.assertj.core.api.Assertions.assertThat;

import com.github.tomakehurst.wiremock.WireMockServer;
import com.github.tomakehurst.wiremock.core.WireMockConfiguration;
import io.canaryjudge.CanaryJudgeApplication;
import java.io.IOException;
import java.net.URLDecoder;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.UUID;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.MethodOrderer;
import org.junit.jupiter.api.Order;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestMethodOrder;
import org.springframework.boot.test.context.SpringBootTest;
import org.springframework.boot.test.web.server.LocalServerPort;
import org.springframework.http.MediaType;
import org.springframework.test.context.DynamicPropertyRegistry;
import org.springframework.test.context.DynamicPropertySource;
import org.springframework.test.web.reactive.server.WebTestClient;
import tools.jackson.databind.JsonNode;

/**
 * Thanos and Mimir answer a query some of their stores could not serve with the series they have and a warning
 * ({@code "warnings": ["partial response: ..."]}, HTTP 200): the gate's numbers may lack pods or time, and the verdict
 * must say so. Real HTTP to a stand-in (WireMock) answering {@code query_range} as Thanos' querier does.
 */
@SpringBootTest(classes = CanaryJudgeApplication.class, webEnvironment = SpringBootTest.WebEnvironment.RANDOM_PORT,
        properties = {"canary-judge.local.match-windows=true", "canary-judge.analysis.warmup=0s",
                "canary-judge.analysis.deadline=20s", "canary-judge.analysis.history-windows=0"})
// The slow Prometheus' timeouts count towards the circuit the other tests' queries pass through: it runs last.
@TestMethodOrder(MethodOrderer.OrderAnnotation.class)
class PrometheusPartialResponseTest {
    static final Path PROFILES = Path.of("target", "test-profiles-" + UUID.randomUUID()).toAbsolutePath();
    static final WireMockServer THANOS = new WireMockServer(WireMockConfiguration.options().dynamicPort());
    static final String PARTIAL = "partial response: No StoreAPIs matched for this query: store 10.0.3.7:10901 is down";

    @LocalServerPort
    int port;

    @DynamicPropertySource
    static void properties(DynamicPropertyRegistry registry) throws IOException {
        ProfileDirectories.aaAs(PROFILES, "checkout", "6d4f8c7b9", "7f9b6c5d4");
        ProfileDirectories.aaAs(PROFILES, "slowpoke", "6d4f8c7b9", "7f9b6c5d4");
        ProfileDirectories.aaAs(PROFILES, "counted", "6d4f8c7b9", "7f9b6c5d4");
        THANOS.start();
        THANOS.stubFor(get(urlPathEqualTo("/-/ready")).willReturn(aResponse().withStatus(200).withBody("OK\n")));
        // Every other query (requests, latency, heap): plain answers, one point a minute over the window.
        THANOS.stubFor(post(urlPathEqualTo("/api/v1/query_range")).atPriority(10).willReturn(matrix("1000", "")));
        // The error ratio's query (it names the 5xx statuses): zeros, and the querier's warning.
        THANOS.stubFor(post(urlPathEqualTo("/api/v1/query_range")).atPriority(2).withRequestBody(containing("5.."))
                .willReturn(matrix("0", ",\"warnings\":[\"" + PARTIAL + "\"]")));
        // Every query about one application answers after 10 s: slower than any analysis deadline below.
        THANOS.stubFor(post(urlPathEqualTo("/api/v1/query_range")).atPriority(1).withRequestBody(containing("slowpoke"))
                .willReturn(matrix("0", "").withFixedDelay(10_000)));
        registry.add("canary-judge.local.directory", PROFILES::toString);
        registry.add("canary-judge.prometheus.url", THANOS::baseUrl);
    }

    private static com.github.tomakehurst.wiremock.client.ResponseDefinitionBuilder matrix(String value, String more) {
        StringBuilder values = new StringBuilder();
        long end = Instant.parse("2026-11-25T15:25:00Z").getEpochSecond();
        for (long t = end - 540; t <= end; t += 60) {
            values.append(values.length() == 0 ? "" : ",").append("[").append(t).append(",\"").append(value)
                    .append("\"]");
        }
        return aResponse().withStatus(200).withHeader("Content-Type", "application/json")
                .withBody("{\"status\":\"success\",\"data\":{\"resultType\":\"matrix\",\"result\":[{\"metric\":{},"
                        + "\"values\":[" + values + "]}]}" + more + "}");
    }

    @AfterAll
    static void stop() {
        THANOS.stop();
    }

    @Test
    void aPartialResponseIsNamedBesideTheGate() {
        JsonNode verdict = analyse(PrometheusGatesTest.request("checkout", "6d4f8c7b9", "7f9b6c5d4"));

        String warnings = verdict.get("dataQuality").get("warnings").toString();
        assertThat(warnings).as(verdict.toString())
                .contains("metric error_ratio: Prometheus warned about the baseline's query: " + PARTIAL)
                .contains("metric error_ratio: Prometheus warned about the canary's query: " + PARTIAL);
        // The gate judged what it had: 10 + 10 points of 0 and 10,000 canary requests.
        assertThat(verdict.toString()).contains("within tolerance; 10+10 points");
    }

    @Test
    @Order(Integer.MAX_VALUE)
    void gateSeriesASlowPrometheusHadNotSentByTheDeadlineNamePrometheus() {
        JsonNode verdict = analyse(PrometheusGatesTest.request("slowpoke", "6d4f8c7b9", "7f9b6c5d4")
                .replace("\"profileTypes\"", "\"deadline\": \"4s\", \"profileTypes\""));

        assertThat(verdict.get("result").asString()).isEqualTo("INCONCLUSIVE");
        assertThat(verdict.get("summary").asString()).as(verdict.toString()).startsWith("INCONCLUSIVE: data missing:"
                + " metric error_ratio: the baseline's series had not arrived from Prometheus when the 4 s deadline came");
    }

    @Test
    void theCanarysRequestCountsAreAskedOncePerAnalysis() {
        JsonNode verdict = analyse(PrometheusGatesTest.request("counted", "6d4f8c7b9", "7f9b6c5d4"));
        assertThat(verdict.get("result").asString()).as(verdict.toString()).isNotEqualTo("ERROR");

        // Cost per request and the error-ratio gate's request floor both read the canary pods' requests per slice:
        // one query_range, not one each.
        List<String> canaryCounts = THANOS.findAll(postRequestedFor(urlPathEqualTo("/api/v1/query_range"))).stream()
                .map(request -> URLDecoder.decode(request.getBodyAsString(), StandardCharsets.UTF_8))
                .filter(body -> body.contains("counted") && body.contains("7f9b6c5d4")
                        && body.contains("sum by (pod) (increase("))
                .toList();
        assertThat(canaryCounts).as(verdict.toString()).hasSize(1);
    }

    private JsonNode analyse(String body) {
        WebTestClient client = WebTestClient.bindToServer().baseUrl("http://127.0.0.1:" + port)
                .responseTimeout(Duration.ofSeconds(60)).build();
        return AnalysisApiTest.JSON.readTree(client.post().uri("/api/v1/analyses").contentType(MediaType.APPLICATION_JSON)
                .bodyValue(body).exchange().expectStatus().isOk().expectBody(String.class).returnResult()
                .getResponseBody());
    }
}
