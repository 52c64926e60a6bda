package io.canaryjudge.config.kubernetes;

import static org.assertj.core.api.Assertions.assertThat;

import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.Callable;
import java.util.function.Predicate;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.MethodOrderer;
import org.junit.jupiter.api.Order;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestInstance;
import org.junit.jupiter.api.TestMethodOrder;
import org.springframework.boot.logging.LogLevel;
import org.springframework.boot.logging.LoggingSystem;
import tools.jackson.databind.JsonNode;

/**
 * Named configs from a ConfigMap, through Spring Cloud Kubernetes' fabric8 client and a stand-in API server on
 * loopback, and what a change does while the service runs: one service, one ConfigMap, changed step by step.
 * Each step waits for the polling reload (every 200 ms here) with a generous bound, never a fixed sleep.
 */
@TestInstance(TestInstance.Lifecycle.PER_CLASS)
@TestMethodOrder(MethodOrderer.OrderAnnotation.class)
class ConfigMapReloadTest {
    static final Duration BOUND = Duration.ofSeconds(90);
    static final String CONFIGMAP = "canary-judge";
    static final String PRICES = "io.canaryjudge.scenario.shop.PriceCalculator.";
    /** Spring properties in the ConfigMap: the named config "checkout" fetches CPU profiles only. */
    static final String SPRING_PROPERTIES = """
            canary-judge:
              configs:
                checkout:
                  profile-types: [cpu]
            """;
    /** The judge configuration (the format of compare --config): checkout's thresholds. */
    static final String JUDGE_CONFIG = """
            services:
              checkout:
                thresholds:
                  minRelativeChange: 0.10
            """;
    static final String JUDGE_CONFIG_IGNORING_PRICES = """
            services:
              checkout:
                thresholds:
                  minRelativeChange: 0.10
                ignore:
                  - 'io\\.canaryjudge\\.scenario\\.shop\\.PriceCalculator\\..*'
            """;

    KubernetesApiStandIn api;
    RunningService service;

    @BeforeAll
    void start() {
        api = new KubernetesApiStandIn();
        api.configMap("shop", CONFIGMAP, Map.of("canary-judge.yaml", SPRING_PROPERTIES,
                "canary-judge.judge-config.inline", JUDGE_CONFIG));
        service = RunningService.start(RunningService.inKubernetes(api));
    }

    @AfterAll
    void stop() {
        if (service != null) {
            service.close();
        }
        if (api != null) {
            api.close();
        }
    }

    @Test
    @Order(1)
    void aConfigFromTheConfigMapIsUsedByAnAnalysis() throws Exception {
        JsonNode verdict = service.checkoutVerdict();

        // "checkout" exists only in the ConfigMap: its profile types (cpu only) and thresholds judged the example.
        assertThat(verdict.get("analysis").get("config").asString()).isEqualTo("checkout");
        assertThat(verdict.get("analysis").get("profileTypes").toString()).isEqualTo("[\"cpu\"]");
        assertThat(verdict.get("result").asString()).isEqualTo("FAIL");
        assertThat(functions(verdict).get(0)).isEqualTo(PRICES + "applyDiscounts");
        JsonNode health = service.analysisConfigsHealth();
        assertThat(health.get("status").asString()).isEqualTo("UP");
        assertThat(health.get("details").get("configs").toString()).isEqualTo("[\"checkout\"]");
        assertThat(health.get("details").get("generation").asLong()).isEqualTo(1);
        // All fabric8 asked for is the one ConfigMap, by name, in the configured namespace.
        assertThat(api.unmatched()).isEmpty();
        assertThat(api.requests()).isNotEmpty().allMatch(r -> r.equals("GET /api/v1/namespaces/shop/configmaps/canary-judge"));
    }

    @Test
    @Order(2)
    void aChangedConfigMapReachesTheNextAnalysisWithoutARestart() throws Exception {
        Object contextBefore = service.context();
        api.configMap("shop", CONFIGMAP, Map.of("canary-judge.yaml", SPRING_PROPERTIES,
                "canary-judge.judge-config.inline", JUDGE_CONFIG_IGNORING_PRICES,
                "logging.level.io.canaryjudge.reload-probe", "debug"));

        JsonNode verdict = awaitVerdict(v -> !findsPrices(v));

        // PriceCalculator's own cost is no longer tested; what it calls still is (Math.min, in its call path).
        assertThat(verdict.get("analysis").get("config").asString()).isEqualTo("checkout");
        assertThat(testedFunctions(verdict)).isNotEmpty().noneMatch(f -> f.startsWith(PRICES));
        JsonNode health = service.analysisConfigsHealth();
        assertThat(health.get("details").get("generation").asLong()).isEqualTo(2);
        assertThat(health.get("details").has("rejected")).isFalse();
        // Logging levels in the ConfigMap follow too: Spring Cloud's logging rebinder hears the same change, on the
        // reload thread after the listener that changed the verdict, so it is awaited like the verdict.
        LoggingSystem logging = LoggingSystem.get(getClass().getClassLoader());
        Instant until = Instant.now().plus(BOUND);
        while (logging.getLoggerConfiguration("io.canaryjudge.reload-probe") == null && Instant.now().isBefore(until)) {
            Thread.sleep(100);
        }
        assertThat(logging.getLoggerConfiguration("io.canaryjudge.reload-probe")).as("the ConfigMap's logging level")
                .isNotNull().extracting(c -> c.getEffectiveLevel()).isEqualTo(LogLevel.DEBUG);
        assertThat(service.context()).isSameAs(contextBefore);
        assertThat(service.context().isActive()).isTrue();
        assertThat(service.metrics()).contains("canary_judge_config_reloads_total{outcome=\"applied\"} 1.0");
    }

    @Test
    @Order(3)
    void anInvalidJudgeConfigurationIsRefusedAndTheOneInUseStays() throws Exception {
        api.configMap("shop", CONFIGMAP, Map.of("canary-judge.yaml", SPRING_PROPERTIES,
                "canary-judge.judge-config.inline", JUDGE_CONFIG_IGNORING_PRICES.replace("0.10", "1.5e")));

        JsonNode health = awaitHealth(h -> h.get("details").has("rejected"));

        assertThat(health.get("status").asString()).isEqualTo("UP");
        assertThat(health.get("details").get("rejected").asString())
                .contains("canary-judge.judge-config.inline")
                .contains("services.checkout.thresholds.minRelativeChange")
                .contains("1.5e");
        assertThat(health.get("details").get("generation").asLong()).isEqualTo(2);
        assertThat(findsPrices(service.checkoutVerdict())).isFalse();
        assertThat(service.metrics()).contains("canary_judge_config_reloads_total{outcome=\"rejected\"} 1.0")
                .contains("canary_judge_config_rejected 1.0");
    }

    @Test
    @Order(4)
    void anInvalidSpringPropertyIsRefusedNamingIt() throws Exception {
        api.configMap("shop", CONFIGMAP, Map.of(
                "canary-judge.yaml", SPRING_PROPERTIES + "      lookback: 0s\n",
                "canary-judge.judge-config.inline", JUDGE_CONFIG_IGNORING_PRICES));

        JsonNode health = awaitHealth(h -> h.get("details").has("rejected")
                && h.get("details").get("rejected").asString().contains("lookback"));

        assertThat(health.get("details").get("rejected").asString())
                .contains("canary-judge.configs.checkout.lookback");
        assertThat(health.get("details").get("generation").asLong()).isEqualTo(2);
        assertThat(findsPrices(service.checkoutVerdict())).isFalse();
    }

    @Test
    @Order(5)
    void aConfigMapThatIsNotYamlIsReportedAndTheConfigsInUseStay() throws Exception {
        api.configMap("shop", CONFIGMAP, Map.of("canary-judge.yaml", "canary-judge:\n  configs: [checkout\n",
                "canary-judge.judge-config.inline", JUDGE_CONFIG));

        JsonNode health = awaitHealth(h -> h.get("details").has("configMapUnreadable"));

        assertThat(health.get("status").asString()).isEqualTo("UP");
        assertThat(health.get("details").get("configMapUnreadable").asString()).containsIgnoringCase("flow sequence");
        assertThat(health.get("details").get("generation").asLong()).isEqualTo(2);
        assertThat(findsPrices(service.checkoutVerdict())).isFalse();
        assertThat(service.metrics()).contains("canary_judge_config_unreadable 1.0");
    }

    @Test
    @Order(6)
    void aConfigMapTheServiceMayNoLongerReadIsReportedAndTheConfigsInUseStay() throws Exception {
        api.forbidden("shop", CONFIGMAP);

        JsonNode health = awaitHealth(h -> h.get("details").path("configMapUnreadable").asString().contains("forbidden"));

        assertThat(health.get("details").get("configMapUnreadable").asString())
                .contains("configmaps \"canary-judge\" is forbidden");
        assertThat(health.get("details").get("generation").asLong()).isEqualTo(2);
        assertThat(findsPrices(service.checkoutVerdict())).isFalse();
    }

    @Test
    @Order(7)
    void aRepairedConfigMapIsAppliedAndTheRefusalCleared() throws Exception {
        api.configMap("shop", CONFIGMAP, Map.of("canary-judge.yaml", SPRING_PROPERTIES,
                "canary-judge.judge-config.inline", JUDGE_CONFIG));

        JsonNode verdict = awaitVerdict(ConfigMapReloadTest::findsPrices);

        assertThat(verdict.get("result").asString()).isEqualTo("FAIL");
        assertThat(functions(verdict).get(0)).isEqualTo(PRICES + "applyDiscounts");
        JsonNode health = awaitHealth(h -> !h.get("details").has("configMapUnreadable"));
        assertThat(health.get("details").has("rejected")).isFalse();
        assertThat(health.get("details").get("generation").asLong()).isEqualTo(3);
        assertThat(health.get("details").has("configMapReadAt")).isTrue();
        assertThat(service.metrics()).contains("canary_judge_config_rejected 0.0")
                .contains("canary_judge_config_unreadable 0.0");
        assertThat(api.unmatched()).isEmpty();
    }

    @Test
    @Order(8)
    void reloadsLeaveNoKubernetesClientBehind() throws Exception {
        // Every Vert.x instance (one per fabric8 client) has one blocked-thread checker thread.
        long before = threadsNamed("vertx-blocked-thread-checker");
        long generation = service.analysisConfigsHealth().get("details").get("generation").asLong();
        for (int change = 1; change <= 10; change++) {
            api.configMap("shop", CONFIGMAP, Map.of(
                    "canary-judge.yaml", SPRING_PROPERTIES + "      lookback: " + (10 + change) + "m\n",
                    "canary-judge.judge-config.inline", JUDGE_CONFIG));
            long expected = generation + change;
            awaitHealth(h -> h.get("details").get("generation").asLong() == expected);
        }

        assertThat(threadsNamed("vertx-blocked-thread-checker")).isLessThanOrEqualTo(before);
    }

    @Test
    @Order(9)
    void aDeletedConfigMapMeansTheBuiltInConfigsAsAtAStartWithoutIt() throws Exception {
        api.noConfigMap("shop", CONFIGMAP);

        awaitHealth(h -> h.get("details").get("configs").isEmpty());

        var unknown = service.post("/api/v1/analyses", RunningService.CHECKOUT_REQUEST);
        assertThat(unknown.statusCode()).isEqualTo(400);
        assertThat(unknown.body()).contains("urn:canary-judge:problem:unknown-config");
        assertThat(api.unmatched()).isEmpty();
    }

    private static long threadsNamed(String name) {
        return Thread.getAllStackTraces().keySet().stream().filter(t -> t.getName().equals(name)).count();
    }

    /** The functions of the verdict's findings, most severe first. */
    static List<String> functions(JsonNode verdict) {
        List<String> functions = new ArrayList<>();
        verdict.get("findings").forEach(finding -> functions.add(finding.get("function").asString()));
        return functions;
    }

    /** Whether a finding is about one of PriceCalculator's own functions (the example's regression). */
    static boolean findsPrices(JsonNode verdict) {
        return testedFunctions(verdict).stream().anyMatch(f -> f.startsWith(PRICES));
    }

    /**
     * The functions the verdict tested: without the rows added only to name an incident's entry frame (an ignored
     * function can still be where a change in what it calls enters the application).
     */
    static List<String> testedFunctions(JsonNode verdict) {
        List<String> functions = new ArrayList<>();
        verdict.get("findings").forEach(finding -> {
            boolean addedToName = finding.get("entryFrame").asBoolean() && finding.get("pValue").isNull();
            if (!addedToName) {
                functions.add(finding.get("function").asString());
            }
        });
        return functions;
    }

    private JsonNode awaitVerdict(Predicate<JsonNode> condition) throws Exception {
        return await(service::checkoutVerdict, condition, "verdict");
    }

    private JsonNode awaitHealth(Predicate<JsonNode> condition) throws Exception {
        return await(service::analysisConfigsHealth, condition, "analysisConfigs health");
    }

    private static JsonNode await(Callable<JsonNode> read, Predicate<JsonNode> condition, String what)
            throws Exception {
        Instant until = Instant.now().plus(BOUND);
        JsonNode last = read.call();
        while (!condition.test(last)) {
            if (Instant.now().isAfter(until)) {
                throw new AssertionError(what + " did not change within " + BOUND.toSeconds() + " s: " + last);
            }
            Thread.sleep(100);
            last = read.call();
        }
        return last;
    }
}
