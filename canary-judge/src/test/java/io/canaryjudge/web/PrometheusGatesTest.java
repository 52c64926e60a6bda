package io.canaryjudge.web;

import static org.assertj.core.api.Assertions.assertThat;

import io.canaryjudge.CanaryJudgeApplication;
import io.canaryjudge.ServiceOnPrometheus;
import io.canaryjudge.metrics.testing.CanaryTrafficScenario;
import io.canaryjudge.metrics.testing.PrometheusProcess;
import java.nio.file.Path;
import java.time.Instant;
import java.util.UUID;
import org.junit.jupiter.api.Test;
import org.springframework.boot.test.context.SpringBootTest;
import org.springframework.test.context.DynamicPropertyRegistry;
import org.springframework.test.context.DynamicPropertySource;
import tools.jackson.databind.JsonNode;

/**
 * Profiles and request metrics together, over real HTTP: A/A profiles (no code change) from the local directory,
 * matched to the window by their own timestamps, and a real Prometheus (Debian package) holding request metrics
 * of the same minutes, in which checkout's canary answers ~4 % errors against ~0.3 % and catalog's does not.
 * The error-ratio gate fails checkout's verdict though its profiles are clean; catalog passes.
 */
@SpringBootTest(classes = CanaryJudgeApplication.class, webEnvironment = SpringBootTest.WebEnvironment.RANDOM_PORT,
        properties = {"canary-judge.local.match-windows=true", "canary-judge.analysis.warmup=0s",
                "canary-judge.analysis.deadline=30s", "canary-judge.analysis.history-windows=0"})
class PrometheusGatesTest extends ServiceOnPrometheus {
    /** The A/A recordings were made 2026-11-25 15:16–15:19 UTC; the traffic scenario covers 15:12–15:42. */
    static final Instant TRAFFIC_START = Instant.parse("2026-11-25T15:12:00Z");
    static final Path PROFILES = Path.of("target", "test-profiles-" + UUID.randomUUID()).toAbsolutePath();
    static final CanaryTrafficScenario SCENARIO = new CanaryTrafficScenario(TRAFFIC_START, 30);
    static PrometheusProcess prometheus;

    @DynamicPropertySource
    static void properties(DynamicPropertyRegistry registry) {
        CanaryTrafficScenario.ServicePods checkout = SCENARIO.service(CanaryTrafficScenario.CHECKOUT);
        CanaryTrafficScenario.ServicePods catalog = SCENARIO.service(CanaryTrafficScenario.CATALOG);
        ProfileDirectories.aaAs(PROFILES, "checkout", checkout.baselineHash(), checkout.canaryHash());
        ProfileDirectories.aaAs(PROFILES, "catalog", catalog.baselineHash(), catalog.canaryHash());
        prometheus = serve(registry, PROFILES, () -> PrometheusProcess.start(SCENARIO.fixture()),
                PrometheusProcess::baseUrl);
    }

    static String request(String application, String baselineHash, String canaryHash) {
        return """
                {"application": "%s", "namespace": "shop",
                 "baseline": {"labels": {"rollouts_pod_template_hash": "%s"}},
                 "canary": {"labels": {"rollouts_pod_template_hash": "%s"}},
                 "start": "2026-11-25T15:15:00Z", "end": "2026-11-25T15:25:00Z", "profileTypes": ["cpu"]}"""
                .formatted(application, baselineHash, canaryHash);
    }

    @Test
    void aCanaryWithCleanProfilesButMoreErrorsFailsOnTheErrorRatioGate() {
        CanaryTrafficScenario.ServicePods checkout = SCENARIO.service(CanaryTrafficScenario.CHECKOUT);
        JsonNode verdict = analyses(request("checkout", checkout.baselineHash(), checkout.canaryHash()));

        assertThat(verdict.get("result").asString()).isEqualTo("FAIL");
        assertThat(verdict.get("summary").asString()).startsWith("FAIL: error_ratio canary ")
                .contains("fails the verdict");
        JsonNode errorRatio = metric(verdict, "error_ratio");
        assertThat(errorRatio.get("canary").asDouble()).isGreaterThan(0.03);
        assertThat(errorRatio.get("baseline").asDouble()).isLessThan(0.01);
        assertThat(metric(verdict, "latency_p99").get("note").asString()).contains("does not fail the verdict");
        // The profiles themselves were judged: 3 pods a side, their files in the window.
        JsonNode cpu = verdict.get("dataQuality").get("types").get(0);
        assertThat(cpu.get("baseline").get("instances").asInt()).isEqualTo(3);
        assertThat(cpu.get("canary").get("instances").asInt()).isEqualTo(3);
        assertThat(verdict.get("findings").toString()).doesNotContain("\"failing\":true");
        assertThat(verdict.get("analysis").get("start").asString()).isEqualTo("2026-11-25T15:15:00Z");
    }

    @Test
    void aCanaryWithCleanProfilesAndEqualErrorsPasses() {
        CanaryTrafficScenario.ServicePods catalog = SCENARIO.service(CanaryTrafficScenario.CATALOG);
        JsonNode verdict = analyses(request("catalog", catalog.baselineHash(), catalog.canaryHash()));

        assertThat(verdict.get("result").asString()).as(verdict.get("summary").asString()).isEqualTo("PASS");
        assertThat(metric(verdict, "error_ratio").get("note").asString()).contains("within");
    }

    @Test
    void prometheusIsPartOfReadiness() {
        String readiness = client.get().uri("/actuator/health/readiness").exchange().expectStatus().isOk()
                .expectBody(String.class).returnResult().getResponseBody();
        assertThat(readiness).contains("\"prometheus\"").contains(prometheus.baseUrl().toString());
    }
}
