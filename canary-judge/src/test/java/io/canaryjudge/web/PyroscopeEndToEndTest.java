package io.canaryjudge.web;

import static org.assertj.core.api.Assertions.assertThat;

import io.canaryjudge.CanaryJudgeApplication;
import io.canaryjudge.SharedFixtures;
import io.canaryjudge.metrics.testing.CanaryTrafficScenario;
import io.canaryjudge.metrics.testing.PrometheusProcess;
import io.canaryjudge.profile.testing.PyroscopeStandIn;
import io.canaryjudge.profile.testing.PyroscopeStandIn.Fault;
import io.canaryjudge.profile.testing.PyroscopeStandIn.Route;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.MethodOrderer;
import org.junit.jupiter.api.Order;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestMethodOrder;
import org.springframework.boot.test.context.SpringBootTest;
import org.springframework.boot.test.web.server.LocalServerPort;
import org.springframework.http.MediaType;
import org.springframework.test.context.DynamicPropertyRegistry;
import org.springframework.test.context.DynamicPropertySource;
import org.springframework.test.web.reactive.server.EntityExchangeResult;
import org.springframework.test.web.reactive.server.WebTestClient;
import org.yaml.snakeyaml.LoaderOptions;
import org.yaml.snakeyaml.Yaml;
import org.yaml.snakeyaml.constructor.SafeConstructor;
import tools.jackson.databind.JsonNode;

/**
 * The service end to end over real HTTP, as in a cluster: a Pyroscope (the WireMock stand-in, answering from
 * real async-profiler pprof by labels and time: several pods, a slice a minute) and a real Prometheus (Debian
 * package, backfilled request metrics of the same minutes and pod names).
 *
 * <ul>
 *   <li>{@code shop}: the shipped example's pods (a CPU regression) — FAIL naming the function;</li>
 *   <li>{@code catalog}: A/A pods with equal request metrics — PASS, cost per request from Prometheus;</li>
 *   <li>{@code checkout}: the same A/A pods, but its canary answers ~4 % errors — FAIL on the error-ratio gate;</li>
 *   <li>faults of Pyroscope (5xx, resets, malformed, truncated, empty, slow past the deadline) — a timely
 *       INCONCLUSIVE with the reason, never a PASS; repeated failures open its circuit.</li>
 * </ul>
 */
@SpringBootTest(classes = CanaryJudgeApplication.class, webEnvironment = SpringBootTest.WebEnvironment.RANDOM_PORT,
        properties = {"canary-judge.analysis.warmup=0s", "canary-judge.analysis.deadline=30s",
                "canary-judge.resilience.attempts=2", "canary-judge.resilience.backoff=20ms",
                "canary-judge.resilience.window=40", "canary-judge.resilience.minimum-calls=40",
                "canary-judge.resilience.open-for=3s", "canary-judge.analysis.max-window=2h"})
@TestMethodOrder(MethodOrderer.OrderAnnotation.class)
class PyroscopeEndToEndTest {
    static final CanaryTrafficScenario TRAFFIC = CanaryTrafficScenario.recent();
    /** The analysed window: ten minutes inside the traffic scenario; profiles a slice a minute from its start. */
    static final Instant T0 = TRAFFIC.fixture().start().plus(Duration.ofMinutes(10));
    static final Duration SLICE = Duration.ofSeconds(60);
    static final String[] SUFFIXES = {"x2k9p", "q8w4m", "z7n3v"};
    static PyroscopeStandIn pyroscope;
    static PrometheusProcess prometheus;

    @LocalServerPort
    int port;

    WebTestClient client;

    @DynamicPropertySource
    static void properties(DynamicPropertyRegistry registry) {
        pyroscope = PyroscopeStandIn.start();
        storeProfiles();
        try {
            prometheus = PrometheusProcess.start(TRAFFIC.fixture());
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
        registry.add("canary-judge.pyroscope.url", pyroscope::url);
        registry.add("canary-judge.prometheus.url", () -> prometheus.baseUrl().toString());
    }

    /** Real recordings, each pod's slices a minute apart from T0; A/A baselines also one window earlier (history). */
    private static void storeProfiles() {
        Path shop = ProfileDirectories.EXAMPLE_SHOP;
        for (String pod : List.of("shop-6d4f8c7b9-k2x7p", "shop-6d4f8c7b9-w5n3j", "shop-7f9b6c5d4-m4q8z",
                "shop-7f9b6c5d4-r9t2w")) {
            String hash = pod.split("-")[1];
            pyroscope.addInstance(Map.of("service_name", "shop", "pod", pod, "rollouts_pod_template_hash", hash,
                    "namespace", "shop"), shop.resolve(pod), T0, SLICE);
            pyroscope.addInstance(Map.of("service_name", "podinfo", "pod", pod.replace("shop", "podinfo"),
                    "app", hash.equals("6d4f8c7b9") ? "podinfo-primary" : "podinfo", "namespace", "test"),
                    shop.resolve(pod), T0, SLICE);
        }
        for (String service : List.of(CanaryTrafficScenario.CATALOG, CanaryTrafficScenario.CHECKOUT)) {
            CanaryTrafficScenario.ServicePods pods = TRAFFIC.service(service);
            for (int n = 1; n <= 3; n++) {
                Path baseline = ProfileDirectories.SCENARIOS.resolve("baselines/session-1/pod-" + n);
                Path canary = ProfileDirectories.SCENARIOS.resolve("aa/canary/pod-" + n);
                Map<String, String> baselineLabels = labels(service, pods.baselineHash(), n);
                pyroscope.addInstance(baselineLabels, baseline, T0, SLICE);
                pyroscope.addInstance(baselineLabels, baseline, T0.minus(Duration.ofMinutes(10)), SLICE);
                pyroscope.addInstance(labels(service, pods.canaryHash(), n), canary, T0, SLICE);
            }
        }
    }

    /** The pod names Prometheus' backfilled series carry, so request counts meet their profiles. */
    private static Map<String, String> labels(String service, String hash, int n) {
        return Map.of("service_name", service, "pod", service + "-" + hash + "-" + SUFFIXES[n - 1],
                "rollouts_pod_template_hash", hash, "namespace", "shop");
    }

    @AfterAll
    static void stop() {
        if (pyroscope != null) {
            pyroscope.close();
        }
        if (prometheus != null) {
            prometheus.close();
        }
    }

    @BeforeEach
    void client() {
        client = WebTestClient.bindToServer().baseUrl("http://127.0.0.1:" + port)
                .responseTimeout(Duration.ofSeconds(60)).build();
    }

    @AfterEach
    void clearFaults() {
        pyroscope.clearFaults();
    }

    static String request(String application, String baselineHash, String canaryHash, String more) {
        return """
                {"application": "%s", "namespace": "shop",
                 "baseline": {"labels": {"rollouts_pod_template_hash": "%s"}},
                 "canary": {"labels": {"rollouts_pod_template_hash": "%s"}},
                 "start": "%s", "end": "%s"%s}""".formatted(application, baselineHash, canaryHash, T0,
                T0.plus(Duration.ofMinutes(10)), more);
    }

    private JsonNode analyse(String body) {
        return AnalysisApiTest.JSON.readTree(client.post().uri("/api/v1/analyses").contentType(MediaType.APPLICATION_JSON)
                .bodyValue(body).exchange().expectStatus().isOk().expectBody(String.class).returnResult()
                .getResponseBody());
    }

    private JsonNode shop(String more) {
        return analyse(request("shop", "6d4f8c7b9", "7f9b6c5d4", more));
    }

    @Test
    @Order(1)
    void theRegressionFailsNamingTheFunctionFromPyroscopesProfiles() {
        JsonNode verdict = shop("");

        assertThat(verdict.get("result").asString()).as(verdict.get("summary").asString()).isEqualTo("FAIL");
        assertThat(verdict.get("findings").get(0).get("function").asString())
                .isEqualTo("io.canaryjudge.scenario.shop.PriceCalculator.applyDiscounts");
        JsonNode cpu = verdict.get("dataQuality").get("types").get(0);
        assertThat(cpu.get("baseline").get("instances").asInt()).isEqualTo(2);
        assertThat(cpu.get("canary").get("observations").asInt()).isEqualTo(10);
        assertThat(verdict.get("analysis").get("source").asString()).isEqualTo("pyroscope");
        assertThat(verdict.get("analysis").get("start").asString()).isEqualTo(T0.toString());
        // Pyroscope was asked per pod and slice, selectors built from matchers.
        assertThat(pyroscope.calls(Route.SELECT_MERGE_PROFILE)).isNotEmpty();
        // No request metrics for "shop" in Prometheus: the gates say so, without blocking the verdict.
        assertThat(verdict.get("dataQuality").get("warnings").toString()).contains("metric error_ratio: no data");
    }

    @Test
    @Order(2)
    void anAaCanaryWithEqualRequestMetricsPassesWithCostPerRequestFromPrometheus() {
        CanaryTrafficScenario.ServicePods catalog = TRAFFIC.service(CanaryTrafficScenario.CATALOG);
        JsonNode verdict = analyse(request("catalog", catalog.baselineHash(), catalog.canaryHash(),
                ", \"profileTypes\": [\"cpu\"]"));

        assertThat(verdict.get("result").asString()).as(verdict.get("summary").asString()).isEqualTo("PASS");
        JsonNode cpu = verdict.get("dataQuality").get("types").get(0);
        assertThat(cpu.get("baseline").get("instances").asInt()).isEqualTo(3);
        assertThat(cpu.get("canary").get("instances").asInt()).isEqualTo(3);
        assertThat(cpu.get("notes").toString()).containsPattern("CPU per request: baseline [0-9.]+ ms, canary [0-9.]+ ms");
        assertThat(verdict.get("dataQuality").get("warnings").toString())
                .contains("history: 15 earlier observation(s) of 3 baseline pod(s)");
        // The judge learned each function's noise from them, and says so.
        assertThat(cpu.get("noiseSource").asString()).startsWith("history: 3 earlier window(s) of 3 instance(s)");
        assertThat(verdict.get("metrics").toString()).contains("error_ratio").contains("within tolerance");
    }

    @Test
    @Order(3)
    void cleanProfilesButMoreErrorsFailOnTheGate() {
        CanaryTrafficScenario.ServicePods checkout = TRAFFIC.service(CanaryTrafficScenario.CHECKOUT);
        JsonNode verdict = analyse(request("checkout", checkout.baselineHash(), checkout.canaryHash(),
                ", \"profileTypes\": [\"cpu\"]"));

        assertThat(verdict.get("result").asString()).isEqualTo("FAIL");
        assertThat(verdict.get("summary").asString()).startsWith("FAIL: error_ratio canary");
    }

    @Test
    @Order(4)
    void theArgoExamplesRequestBodyPostedVerbatimGetsAVerdict() throws IOException {
        Path template = SharedFixtures.projectRoot().resolve("examples/argo-rollouts/analysis-template.yaml");
        Map<String, Object> document = new Yaml(new SafeConstructor(new LoaderOptions()))
                .load(Files.readString(template));
        // Argo fills {{args.*}} with the Rollout's values: these pods' application, namespace and hashes.
        Map<String, String> args = Map.of("application", "shop", "service-name", "shop", "namespace", "shop",
                "stable-hash", "6d4f8c7b9", "canary-hash", "7f9b6c5d4", "lookback", "10m");
        String body = AnalysisApiTest.JSON.writeValueAsString(jsonBody(document));
        for (Map.Entry<String, String> arg : args.entrySet()) {
            body = body.replace("{{args." + arg.getKey() + "}}", arg.getValue());
        }
        assertThat(body).doesNotContain("{{");

        JsonNode verdict = analyse(body);

        // The example's window ends now: the stand-in's profiles (over an hour old) are not in it.
        assertThat(verdict.get("result").asString()).isEqualTo("INCONCLUSIVE");
        assertThat(verdict.get("summary").asString()).contains("no baseline or canary profiles");
    }

    @SuppressWarnings("unchecked")
    private static Object jsonBody(Map<String, Object> analysisTemplate) {
        Map<String, Object> spec = (Map<String, Object>) analysisTemplate.get("spec");
        Map<String, Object> metric = ((List<Map<String, Object>>) spec.get("metrics")).get(0);
        Map<String, Object> provider = (Map<String, Object>) metric.get("provider");
        return ((Map<String, Object>) provider.get("web")).get("jsonBody");
    }

    @Test
    @Order(5)
    void theFlaggerWebhookJudgesFromPyroscopeToo() {
        EntityExchangeResult<String> result = client.post().uri("/api/v1/webhooks/flagger")
                .contentType(MediaType.APPLICATION_JSON)
                .bodyValue(FlaggerWebhookTest.payload("podinfo", "{\"lookback\": \"90m\", \"profileTypes\": \"cpu\"}"))
                .exchange().expectBody(String.class).returnResult();

        assertThat(result.getStatus().value()).isEqualTo(412);
        assertThat(result.getResponseBody()).startsWith("FAIL: `io.canaryjudge.scenario.shop.PriceCalculator.applyDiscounts` +");
    }

    @Test
    @Order(10)
    void pyroscopeErrorsAndResetsAreInconclusiveNamingTheSource() {
        pyroscope.fail(Route.SELECT_MERGE_PROFILE, Fault.error(503, "unavailable")
                .onlyFor(Map.of("pod", "shop-7f9b6c5d4-m4q8z")));
        JsonNode unavailable = shop(", \"profileTypes\": [\"cpu\"]");
        assertThat(unavailable.get("result").asString()).isEqualTo("INCONCLUSIVE");
        assertThat(unavailable.get("summary").asString()).startsWith("INCONCLUSIVE: data missing: cpu profiles of the"
                + " canary pods: 1 of 2 pods (10 slices) could not be fetched: pyroscope:")
                .contains("On the data that did arrive");

        pyroscope.clearFaults();
        pyroscope.fail(Route.SELECT_MERGE_PROFILE, Fault.connectionReset()
                .onlyFor(Map.of("pod", "shop-6d4f8c7b9-k2x7p")));
        JsonNode reset = shop(", \"profileTypes\": [\"cpu\"]");
        assertThat(reset.get("result").asString()).isEqualTo("INCONCLUSIVE");
        assertThat(reset.get("summary").asString()).contains("baseline pods: 1 of 2 pods");
    }

    @Test
    @Order(11)
    void malformedTruncatedAndHtmlAnswersAreInconclusive() {
        for (Fault fault : List.of(Fault.malformedBody(), Fault.truncatedBody(), Fault.htmlPage(), Fault.closedMidAnswer())) {
            pyroscope.clearFaults();
            pyroscope.fail(Route.SELECT_MERGE_PROFILE, fault.onlyFor(Map.of("rollouts_pod_template_hash", "7f9b6c5d4")));
            JsonNode verdict = shop(", \"profileTypes\": [\"cpu\"]");
            assertThat(verdict.get("result").asString()).as(fault.kind().name()).isEqualTo("INCONCLUSIVE");
            assertThat(verdict.get("summary").asString()).as(fault.kind().name())
                    .contains("cpu profiles of the canary pods: 2 of 2 pods (20 slices) could not be fetched: pyroscope:");
        }
        pyroscope.clearFaults();
        pyroscope.fail(Route.SELECT_SERIES, Fault.malformedBody().onlyFor(Map.of("rollouts_pod_template_hash", "7f9b6c5d4")));
        JsonNode discovery = shop(", \"profileTypes\": [\"cpu\"]");
        assertThat(discovery.get("summary").asString())
                .startsWith("INCONCLUSIVE: data missing: the canary pods with cpu profiles could not be listed: pyroscope:");
    }

    @Test
    @Order(12)
    void emptyAnswersAreNoDataNotAPass() {
        pyroscope.fail(Route.SELECT_MERGE_PROFILE, Fault.emptyResult().onlyFor(Map.of("rollouts_pod_template_hash", "7f9b6c5d4")));
        JsonNode verdict = shop(", \"profileTypes\": [\"cpu\"]");

        assertThat(verdict.get("result").asString()).isEqualTo("INCONCLUSIVE");
        assertThat(verdict.get("summary").asString()).contains("no canary profiles");
    }

    @Test
    @Order(13)
    void aSlowPyroscopeGetsATimelyInconclusiveAtTheDeadline() {
        pyroscope.fail(Route.SELECT_MERGE_PROFILE, Fault.delay(Duration.ofSeconds(40))
                .onlyFor(Map.of("rollouts_pod_template_hash", "7f9b6c5d4")));
        long started = System.nanoTime();
        JsonNode verdict = shop(", \"profileTypes\": [\"cpu\"], \"deadline\": \"5s\"");
        double seconds = (System.nanoTime() - started) / 1e9;

        assertThat(verdict.get("result").asString()).isEqualTo("INCONCLUSIVE");
        assertThat(verdict.get("summary").asString()).contains("the 5 s deadline came");
        assertThat(seconds).as("answered at its deadline, not when Pyroscope would have").isLessThan(30);
    }

    @Test
    @Order(20)
    void repeatedFailuresOpenPyroscopesCircuitAndItRecovers() throws InterruptedException {
        pyroscope.fail(Route.SELECT_MERGE_PROFILE, Fault.error(500, "internal"));
        pyroscope.fail(Route.SELECT_SERIES, Fault.error(500, "internal"));
        String summary = "";
        for (int i = 0; i < 10 && !summary.contains("circuit open"); i++) {
            summary = shop(", \"profileTypes\": [\"cpu\"]").get("summary").asString();
        }
        assertThat(summary).contains("pyroscope: unavailable (circuit open");
        String readiness = client.get().uri("/actuator/health/readiness").exchange().expectStatus().isEqualTo(503)
                .expectBody(String.class).returnResult().getResponseBody();
        assertThat(readiness).contains("circuit open");

        pyroscope.clearFaults();
        Thread.sleep(3500); // the circuit stays open for 3 s, then lets a few trial calls through
        // The first analysis after that is judged whole, also one making more calls than the trials (3 + 3 pods and
        // 3 history pods): its further calls wait for the trials rather than fail as "circuit open" (SourceGuardTest
        // shows the race at the guard itself).
        CanaryTrafficScenario.ServicePods catalog = TRAFFIC.service(CanaryTrafficScenario.CATALOG);
        JsonNode verdict = analyse(request("catalog", catalog.baselineHash(), catalog.canaryHash(),
                ", \"profileTypes\": [\"cpu\"]"));
        assertThat(verdict.get("result").asString()).as(verdict.get("summary").asString()).isEqualTo("PASS");
        assertThat(shop(", \"profileTypes\": [\"cpu\"]").get("result").asString()).isEqualTo("FAIL");
    }
}
