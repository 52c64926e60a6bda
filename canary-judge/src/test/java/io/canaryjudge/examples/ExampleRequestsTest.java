package io.canaryjudge.examples;

import static org.assertj.core.api.Assertions.assertThat;

import io.canaryjudge.CanaryJudgeApplication;
import io.canaryjudge.verdict.Result;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.condition.EnabledIf;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.MethodSource;
import org.springframework.beans.factory.annotation.Autowired;
import org.springframework.boot.env.YamlPropertySourceLoader;
import org.springframework.boot.test.context.SpringBootTest;
import org.springframework.boot.test.web.server.LocalServerPort;
import org.springframework.context.ApplicationContext;
import org.springframework.context.ApplicationContextInitializer;
import org.springframework.context.ConfigurableApplicationContext;
import org.springframework.core.env.EnumerablePropertySource;
import org.springframework.core.env.PropertySource;
import org.springframework.core.env.SystemEnvironmentPropertySource;
import org.springframework.core.io.ByteArrayResource;
import org.springframework.test.context.ContextConfiguration;
import tools.jackson.databind.JsonNode;
import tools.jackson.databind.node.ObjectNode;

/**
 * The examples against the running judge over real HTTP on loopback, configured the way the example
 * manifests configure it: the Deployment's environment variables (as Kubernetes passes them) and the
 * {@code canary-judge} ConfigMap's {@code canary-judge.yaml} (as Spring Cloud Kubernetes adds it), with the
 * embedded local profile source standing in for Pyroscope. Its pods are the example application's pods as
 * the example agent settings label them ({@link SimulatedPods}), holding the shipped recordings of a canary
 * with a CPU regression. Each AnalysisTemplate's {@code jsonBody} is posted with its {@code {{args.*}}}
 * filled in as Argo does, each Canary's webhook payload as Flagger sends it; the answers must be what the
 * manifests' conditions and Flagger's status rule expect, and must never be a pass.
 */
@SpringBootTest(classes = CanaryJudgeApplication.class, webEnvironment = SpringBootTest.WebEnvironment.RANDOM_PORT)
@ContextConfiguration(initializers = ExampleRequestsTest.AsTheExamplesConfigureIt.class)
class ExampleRequestsTest {
    /** The namespaces the simulated Rollout and Flagger pods run in (the same app, kept apart by namespace). */
    static final String ROLLOUT_NAMESPACE = "shop";
    static final String FLAGGER_NAMESPACE = "shop-flagger";
    /** The function whose cost the recorded canary doubled (examples/profiles/README.md). */
    static final String CULPRIT = "io.canaryjudge.scenario.shop.PriceCalculator.applyDiscounts";
    private static final HttpClient HTTP = HttpClient.newBuilder().version(HttpClient.Version.HTTP_1_1).connectTimeout(Duration.ofSeconds(5)).build();

    @LocalServerPort
    int port;

    @Autowired
    ApplicationContext context;

    /**
     * Whether this build has the HTTP API ({@code POST /api/v1/analyses}, the Flagger webhook). The tests
     * that post the examples' requests run only then: decided by the classes present, never by a response,
     * so an API that answers wrongly fails them.
     */
    static boolean httpApiInBuild() {
        try {
            Class.forName("io.canaryjudge.web.FlaggerWebhookController");
            Class.forName("io.canaryjudge.web.AnalysisController");
            return true;
        } catch (ClassNotFoundException e) {
            return false;
        }
    }

    /**
     * Adds, before the context starts: the Deployment's literal environment variables as a system
     * environment (so Spring's relaxed names apply: CANARY_JUDGE_ANALYSIS_DEADLINE), the ConfigMap
     * {@code canary-judge}'s canary-judge.yaml, and the simulated pods' directory as the local source.
     * The ConfigMap {@code canary-judge-env} (Pyroscope and Prometheus URLs) is left out: the local
     * directory stands in for Pyroscope.
     */
    static final class AsTheExamplesConfigureIt implements ApplicationContextInitializer<ConfigurableApplicationContext> {
        @Override
        public void initialize(ConfigurableApplicationContext context) {
            var sources = context.getEnvironment().getPropertySources();
            Map<String, Object> deploymentEnv = new LinkedHashMap<>();
            JsonNode container = ExampleWiring.judgeDeployment().spec().path("template").path("spec")
                    .path("containers").get(0);
            for (JsonNode variable : container.path("env")) {
                if (variable.has("value")) {
                    deploymentEnv.put(variable.path("name").asString(), variable.path("value").asString());
                }
            }
            sources.addFirst(new SystemEnvironmentPropertySource("deployment-systemEnvironment", deploymentEnv));
            Manifest configMap = ExampleManifests.one("kubernetes/configmap.yaml", "ConfigMap", "canary-judge");
            String applicationYaml = configMap.content().path("data").path("canary-judge.yaml").asString();
            try {
                for (PropertySource<?> source : new YamlPropertySourceLoader().load("configmap.canary-judge",
                        new ByteArrayResource(applicationYaml.getBytes(StandardCharsets.UTF_8)))) {
                    sources.addFirst(source);
                }
            } catch (IOException e) {
                throw new UncheckedIOException(e);
            }
            if (httpApiInBuild()) {
                sources.addFirst(new org.springframework.core.env.MapPropertySource("simulated-pods",
                        Map.of("canary-judge.local.directory", simulatedPods().toString())));
            }
        }
    }

    private static Path pods;

    /** The example application's pods: two stable and two canary under the Rollout, two primary and two canary under Flagger. */
    static synchronized Path simulatedPods() {
        if (pods == null) {
            try {
                pods = Files.createTempDirectory("example-pods");
            } catch (IOException e) {
                throw new UncheckedIOException(e);
            }
            JsonNode rolloutPods = ExampleWiring.containers(ExampleManifests.ofKind("Rollout").get(0)).get(0);
            JsonNode flaggerPods = ExampleWiring.containers(ExampleManifests.one("flagger/canary.yaml", "Deployment")).get(0);
            String app = ExampleManifests.one("flagger/canary.yaml", "Deployment").name();
            writePods(rolloutPods, SimulatedPods.RECORDED_BASELINE_HASH, ROLLOUT_NAMESPACE,
                    hash -> Map.of("app", app, "rollouts-pod-template-hash", hash), app + "-");
            writePods(rolloutPods, SimulatedPods.RECORDED_CANARY_HASH, ROLLOUT_NAMESPACE,
                    hash -> Map.of("app", app, "rollouts-pod-template-hash", hash), app + "-");
            // Flagger: the primary (baseline) carries app=NAME-primary, the canary app=NAME; no Argo hash.
            writePods(flaggerPods, SimulatedPods.RECORDED_BASELINE_HASH, FLAGGER_NAMESPACE,
                    hash -> Map.of("app", app + "-primary"), app + "-primary-");
            writePods(flaggerPods, SimulatedPods.RECORDED_CANARY_HASH, FLAGGER_NAMESPACE,
                    hash -> Map.of("app", app), app + "-");
        }
        return pods;
    }

    private static void writePods(JsonNode container, String recordedHash, String namespace,
            java.util.function.Function<String, Map<String, String>> podLabels, String namePrefix) {
        List<Path> recorded = SimulatedPods.recordedPods(recordedHash);
        for (int i = 0; i < recorded.size(); i++) {
            String name = namePrefix + recordedHash + "-pod" + i + (namespace.equals(FLAGGER_NAMESPACE) ? "f" : "");
            SimulatedPods.write(pods, container, new SimulatedPods.Pod(name, namespace, podLabels.apply(recordedHash)),
                    recorded.get(i));
        }
    }

    @Test
    @EnabledIf("httpApiInBuild")
    void deploymentEnvironmentAndConfigMapBindToTheJudgesProperties() throws Exception {
        // The beans the service binds (looked up by name: this class also compiles without them).
        // A misspelt variable would leave the default deadline in place.
        Object analysis = context.getBean(Class.forName("io.canaryjudge.config.AnalysisProperties"));
        assertThat(analysis.getClass().getMethod("deadline").invoke(analysis)).isEqualTo(ExampleWiring.judgeDeadline());
        Object configs = context.getBean(Class.forName("io.canaryjudge.config.AnalysisConfigs"));
        assertThat((java.util.Collection<?>) configs.getClass().getMethod("names").invoke(configs)).as("config names")
                .anyMatch("checkout"::equals);

        // Spring ignores a key a properties record does not have: a misspelt one would go unnoticed.
        java.util.Set<String> known = new java.util.HashSet<>();
        for (var component : Class.forName("io.canaryjudge.config.NamedConfigProperties").getRecordComponents()) {
            known.add(component.getName());
        }
        Manifest configMap = ExampleManifests.one("kubernetes/configmap.yaml", "ConfigMap", "canary-judge");
        JsonNode named = ExampleManifests.parseYaml(configMap.content().path("data").path("canary-judge.yaml").asString())
                .path("canary-judge").path("configs");
        for (var config : named.properties()) {
            for (String key : config.getValue().propertyNames()) {
                assertThat(known).as("canary-judge.configs." + config.getKey() + "." + key)
                        .contains(java.util.regex.Pattern.compile("-([a-z])").matcher(key)
                                .replaceAll(m -> m.group(1).toUpperCase()));
            }
        }
    }

    @Test
    void deploymentProbePathsAnswerUp() throws Exception {
        JsonNode container = ExampleWiring.judgeDeployment().spec().path("template").path("spec").path("containers").get(0);
        for (String probe : new String[] {"startupProbe", "livenessProbe", "readinessProbe"}) {
            String path = container.path(probe).path("httpGet").path("path").asString();
            HttpResponse<String> response = send(HttpRequest.newBuilder(uri(path)).GET());
            assertThat(response.statusCode()).as(probe + " " + path).isEqualTo(200);
            assertThat(ExampleManifests.JSON.readTree(response.body()).path("status").asString()).as(probe).isEqualTo("UP");
        }
    }

    static List<Manifest> rollouts() {
        return ExampleManifests.ofKind("Rollout");
    }

    @ParameterizedTest(name = "{0}")
    @MethodSource("rollouts")
    @EnabledIf("httpApiInBuild")
    void analysisTemplateBodyFilledAsArgoFillsItGetsAVerdict(Manifest rollout) throws Exception {
        for (JsonNode analysis : ExampleWiring.analyses(rollout)) {
            Map<String, String> arguments = argumentsAsArgoResolvesThem(analysis);
            for (JsonNode reference : analysis.path("templates")) {
                Manifest template = ExampleWiring.template(reference);
                Map<String, String> all = new LinkedHashMap<>();
                ExampleWiring.declaredArguments(template).forEach((name, value) -> {
                    if (value != null) {
                        all.put(name, value);
                    }
                });
                all.putAll(arguments);
                for (JsonNode metric : ExampleWiring.webMetrics(template)) {
                    JsonNode web = ExampleWiring.fillArguments(metric.path("provider").path("web"), all);
                    HttpRequest.Builder request = HttpRequest.newBuilder(localUrl(web.path("url").asString()))
                            .method(web.path("method").asString("GET"),
                                    HttpRequest.BodyPublishers.ofString(web.path("jsonBody").toString()))
                            .timeout(Duration.ofSeconds(web.path("timeoutSeconds").asLong(10)).plusSeconds(20))
                            .header("Content-Type", "application/json");
                    for (JsonNode header : web.path("headers")) {
                        request.header(header.path("key").asString(), header.path("value").asString());
                    }
                    HttpResponse<String> response = send(request);

                    // Argo: a status outside 2xx is an Error measurement.
                    assertThat(response.statusCode()).as(rollout + " → " + template + ": " + response.body()).isEqualTo(200);
                    JsonNode verdict = ExampleManifests.JSON.readTree(response.body());
                    String result = verdict.path("result").asString(); // jsonPath {$.result}
                    assertThat(Result.valueOf(result)).as(rollout + ": result").isNotNull();
                    // The recorded canary has a +100 % CPU regression: PASS would promote it. FAIL names it;
                    // INCONCLUSIVE is the honest answer when the deadline passed (a slow machine).
                    assertThat(result).as(rollout + ": " + verdict.path("summary").asString()).isIn("FAIL", "INCONCLUSIVE");
                    if (result.equals("FAIL")) {
                        assertThat(verdict.path("summary").asString()).contains(CULPRIT);
                    }
                    assertThat(metric.path("successCondition").asString()).isEqualTo("result == \"PASS\"");
                    assertBothGroupsFound(verdict, rollout.toString());
                }
            }
        }
    }

    /** What Argo puts in the arguments for the simulated pods: the Rollout's values and the two hashes. */
    private static Map<String, String> argumentsAsArgoResolvesThem(JsonNode analysis) {
        Map<String, String> arguments = new LinkedHashMap<>();
        for (JsonNode arg : analysis.path("args")) {
            String name = arg.path("name").asString();
            JsonNode from = arg.path("valueFrom");
            if (arg.has("value")) {
                arguments.put(name, arg.path("value").asString());
            } else if (from.has("podTemplateHashValue")) {
                arguments.put(name, from.path("podTemplateHashValue").asString().equals("Stable")
                        ? SimulatedPods.RECORDED_BASELINE_HASH : SimulatedPods.RECORDED_CANARY_HASH);
            } else if (from.path("fieldRef").path("fieldPath").asString().equals("metadata.namespace")) {
                arguments.put(name, ROLLOUT_NAMESPACE);
            } else {
                throw new AssertionError("the test cannot resolve argument " + arg);
            }
        }
        return arguments;
    }

    static List<Manifest> canaries() {
        return ExampleManifests.ofKind("Canary");
    }

    @ParameterizedTest(name = "{0}")
    @MethodSource("canaries")
    @EnabledIf("httpApiInBuild")
    void flaggerWebhookPayloadGetsTheDocumentedStatus(Manifest canary) throws Exception {
        for (JsonNode webhook : canary.spec().path("analysis").path("webhooks")) {
            ObjectNode payload = ExampleManifests.JSON.createObjectNode();
            payload.put("name", canary.name());
            payload.put("namespace", FLAGGER_NAMESPACE);
            payload.put("phase", "Progressing");
            payload.put("checksum", "5d8f8c7b9f");
            payload.set("metadata", webhook.path("metadata"));
            HttpResponse<String> response = send(HttpRequest.newBuilder(localUrl(webhook.path("url").asString()))
                    .POST(HttpRequest.BodyPublishers.ofString(payload.toString()))
                    .timeout(Duration.ofSeconds(40))
                    .header("Content-Type", "application/json"));

            // Flagger: a status above 202 fails the check and its body goes into the Canary's events.
            assertThat(response.statusCode()).as(canary + ": " + response.body()).isEqualTo(412);
            String[] lines = response.body().split("\n");
            assertThat(lines[0]).as("the one-line reason first").matches("(FAIL|INCONCLUSIVE)\\b.*");
            if (lines[0].startsWith("FAIL")) {
                assertThat(lines[0]).contains(CULPRIT);
            }
            assertThat(lines[1]).startsWith("report: http");
            String id = lines[1].substring(lines[1].lastIndexOf('/') + 1);
            HttpResponse<String> stored = send(HttpRequest.newBuilder(uri("/api/v1/analyses/" + id)).GET());
            assertThat(stored.statusCode()).isEqualTo(200);
            assertBothGroupsFound(ExampleManifests.JSON.readTree(stored.body()), canary.toString());
        }
    }

    /** Both groups' selectors found the two pods the simulation gave them. */
    private static void assertBothGroupsFound(JsonNode verdict, String what) {
        JsonNode cpu = null;
        for (JsonNode type : verdict.path("dataQuality").path("types")) {
            if (type.path("profileType").asString().equals("cpu")) {
                cpu = type;
            }
        }
        assertThat(cpu).as(what + ": cpu in dataQuality " + verdict.path("dataQuality")).isNotNull();
        assertThat(cpu.path("baseline").path("instances").asInt()).as(what + ": baseline pods").isEqualTo(2);
        assertThat(cpu.path("canary").path("instances").asInt()).as(what + ": canary pods").isEqualTo(2);
    }

    /** The example's cluster URL with the host and port of the app under test. */
    private URI localUrl(String clusterUrl) {
        URI url = URI.create(clusterUrl);
        assertThat(clusterUrl).startsWith(ExampleWiring.judgeBaseUrl());
        return uri(url.getRawPath());
    }

    private URI uri(String path) {
        return URI.create("http://127.0.0.1:" + port + path);
    }

    private static HttpResponse<String> send(HttpRequest.Builder request) throws IOException, InterruptedException {
        return HTTP.send(request.build(), HttpResponse.BodyHandlers.ofString());
    }
}
