package io.canaryjudge.examples;

import static io.canaryjudge.examples.ExampleWiring.argoDuration;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatCode;

import io.canaryjudge.config.DurationText;
import io.canaryjudge.verdict.Result;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.HashSet;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.MethodSource;
import tools.jackson.databind.JsonNode;

/**
 * The examples fit together the way a platform team will apply them: the Rollouts supply exactly the
 * arguments their templates need, with the stable hash as baseline and the latest as canary; the
 * templates and webhooks call the judge's Service and give up after the judge's own deadline; the
 * application pods put the labels on their profiles that the requests select on.
 */
class ExampleWiringTest {
    /** Argo's Web provider and Flagger's webhooks both give up after 10 s by default. */
    private static final Duration CALLER_DEFAULT_TIMEOUT = Duration.ofSeconds(10);
    private static final Pattern CONDITION = Pattern.compile("result == \"([A-Z_]+)\"");

    static List<Manifest> analysisTemplates() {
        return Stream.concat(ExampleManifests.ofKind("AnalysisTemplate").stream(),
                ExampleManifests.ofKind("ClusterAnalysisTemplate").stream()).toList();
    }

    static List<Manifest> rollouts() {
        return ExampleManifests.ofKind("Rollout");
    }

    static List<Manifest> canaries() {
        return ExampleManifests.ofKind("Canary");
    }

    @ParameterizedTest(name = "{0}")
    @MethodSource("analysisTemplates")
    void templatePostsToTheJudgeAndDecidesOnResult(Manifest template) {
        List<JsonNode> metrics = ExampleWiring.webMetrics(template);
        assertThat(metrics).as(template + ": Web metrics").isNotEmpty();
        for (JsonNode metric : metrics) {
            JsonNode web = metric.path("provider").path("web");
            assertThat(web.path("url").asString()).as(template + ": url (examples/kubernetes/service.yaml)")
                    .isEqualTo(ExampleWiring.judgeBaseUrl() + "/api/v1/analyses");
            assertThat(web.path("method").asString()).isEqualTo("POST");
            assertThat(web.path("jsonBody").isObject()).as(template + ": jsonBody").isTrue();
            assertThat(web.path("jsonPath").asString()).isEqualTo("{$.result}");

            // PASS succeeds, FAIL fails, INCONCLUSIVE matches neither: Argo's Inconclusive.
            assertThat(resultIn(metric.path("successCondition").asString())).isEqualTo(Result.PASS);
            assertThat(resultIn(metric.path("failureCondition").asString())).isEqualTo(Result.FAIL);
            assertThat(metric.has("inconclusiveLimit")).as(template + ": inconclusiveLimit").isTrue();
            assertThat(metric.has("interval") && metric.has("count")).as(template + ": interval and count").isTrue();
            assertThat(metric.has("consecutiveErrorLimit")).as(template + ": consecutiveErrorLimit").isTrue();

            Duration timeout = Duration.ofSeconds(web.path("timeoutSeconds").asLong(10));
            assertThat(timeout).as(template + ": timeoutSeconds, below Argo's default")
                    .isLessThan(CALLER_DEFAULT_TIMEOUT);
            assertThat(ExampleWiring.judgeDeadline()).as("the judge's deadline (examples/kubernetes/deployment.yaml) "
                    + "below " + template + "'s timeoutSeconds").isLessThan(timeout);
        }
    }

    @ParameterizedTest(name = "{0}")
    @MethodSource("analysisTemplates")
    void everyPlaceholderIsADeclaredArgumentAndEveryArgumentIsUsed(Manifest template) {
        Set<String> declared = ExampleWiring.declaredArguments(template).keySet();
        Set<String> used = ExampleWiring.argumentsUsed(template.spec().path("metrics"));
        assertThat(declared).as(template + ": declared arguments").containsExactlyInAnyOrderElementsOf(used);
    }

    @Test
    void clusterTemplateAsksTheSameAsTheNamespacedOne() {
        Manifest namespaced = ExampleManifests.one("argo-rollouts/analysis-template.yaml", "AnalysisTemplate");
        Manifest cluster = ExampleManifests.one("argo-rollouts/cluster-analysis-template.yaml", "ClusterAnalysisTemplate");
        assertThat(cluster.name()).isEqualTo(namespaced.name());
        assertThat(cluster.spec()).isEqualTo(namespaced.spec());
    }

    @ParameterizedTest(name = "{0}")
    @MethodSource("rollouts")
    void rolloutSuppliesTheStableHashAsBaselineAndTheLatestAsCanary(Manifest rollout) {
        List<JsonNode> analyses = ExampleWiring.analyses(rollout);
        assertThat(analyses).as(rollout + ": analyses").isNotEmpty();
        for (JsonNode analysis : analyses) {
            Map<String, JsonNode> supplied = new LinkedHashMap<>();
            analysis.path("args").forEach(arg -> supplied.put(arg.path("name").asString(), arg));
            for (JsonNode reference : analysis.path("templates")) {
                Manifest template = ExampleWiring.template(reference);
                Map<String, String> declared = ExampleWiring.declaredArguments(template);
                // Argo ignores an argument the template does not declare: a misspelt name would be silent.
                assertThat(declared.keySet()).as(rollout + " → " + template + ": supplied arguments are declared")
                        .containsAll(supplied.keySet());
                declared.forEach((name, defaultValue) -> {
                    if (defaultValue == null) {
                        assertThat(supplied).as(rollout + " supplies " + name + " to " + template).containsKey(name);
                    }
                });
                for (JsonNode metric : ExampleWiring.webMetrics(template)) {
                    JsonNode body = metric.path("provider").path("web").path("jsonBody");
                    assertLabelsComeFrom(body.path("baseline").path("labels"), supplied, "Stable", rollout);
                    assertLabelsComeFrom(body.path("canary").path("labels"), supplied, "Latest", rollout);

                    // The namespace comes from the Rollout itself: the same application elsewhere stays out.
                    assertThat(supplied.get(ExampleWiring.soleArgument(body.path("namespace").asString()))
                            .path("valueFrom").path("fieldRef").path("fieldPath").asString())
                            .as(rollout + ": namespace argument").isEqualTo("metadata.namespace");
                    String application = supplied.get(ExampleWiring.soleArgument(body.path("application").asString()))
                            .path("value").asString();
                    for (JsonNode container : ExampleWiring.containers(rollout)) {
                        assertThat(ExampleWiring.environment(container).get("PYROSCOPE_APPLICATION_NAME")
                                .path("value").asString())
                                .as(rollout + ": the application argument is the pods' Pyroscope service_name")
                                .isEqualTo(application);
                    }
                }
            }
        }
    }

    private static void assertLabelsComeFrom(JsonNode labels, Map<String, JsonNode> supplied, String hash,
            Manifest rollout) {
        assertThat(labels.size()).as(rollout + ": label matchers").isPositive();
        for (var label : labels.properties()) {
            String argument = ExampleWiring.soleArgument(label.getValue().asString());
            assertThat(supplied.get(argument).path("valueFrom").path("podTemplateHashValue").asString())
                    .as(rollout + ": " + label.getKey() + " takes " + argument + " from podTemplateHashValue")
                    .isEqualTo(hash);
        }
    }

    @ParameterizedTest(name = "{0}")
    @MethodSource("rollouts")
    void canaryHasTwoPodsWhenFirstJudged(Manifest rollout) {
        JsonNode canary = rollout.spec().path("strategy").path("canary");
        int firstJudged = canary.has("analysis") ? canary.path("analysis").path("startingStep").asInt(0) : -1;
        JsonNode steps = canary.path("steps");
        for (int i = 0; i < steps.size() && firstJudged < 0; i++) {
            if (steps.get(i).has("analysis")) {
                firstJudged = i;
            }
        }
        int weight = 0;
        for (int i = 0; i < firstJudged; i++) {
            weight = steps.get(i).path("setWeight").asInt(weight);
        }
        int canaryPods = rollout.spec().path("replicas").asInt() * weight / 100;
        assertThat(canaryPods).as(rollout + ": canary pods (the judge's replicates) at step " + firstJudged)
                .isGreaterThanOrEqualTo(2);
    }

    @ParameterizedTest(name = "{0}")
    @MethodSource("rollouts")
    void backgroundAnalysisFinishesBeforeTheStepsRunOut(Manifest rollout) {
        JsonNode canary = rollout.spec().path("strategy").path("canary");
        if (!canary.has("analysis")) {
            return;
        }
        Duration pausesAfterStart = Duration.ZERO;
        JsonNode steps = canary.path("steps");
        for (int i = canary.path("analysis").path("startingStep").asInt(0); i < steps.size(); i++) {
            JsonNode duration = steps.get(i).path("pause").path("duration");
            if (!duration.isMissingNode()) {
                pausesAfterStart = pausesAfterStart.plus(argoDuration(duration));
            }
        }
        for (JsonNode reference : canary.path("analysis").path("templates")) {
            for (JsonNode metric : ExampleWiring.webMetrics(ExampleWiring.template(reference))) {
                Duration lastMeasurement = argoDuration(metric.path("interval"))
                        .multipliedBy(metric.path("count").asLong() - 1);
                assertThat(pausesAfterStart).as(rollout + ": pauses after startingStep cover interval × (count − 1)")
                        .isGreaterThanOrEqualTo(lastMeasurement);
            }
        }
    }

    @ParameterizedTest(name = "{0}")
    @MethodSource("canaries")
    void flaggerCallsTheJudgeWithinItsTimeoutFromAWebhookTypeThatFits(Manifest canary) {
        JsonNode webhooks = canary.spec().path("analysis").path("webhooks");
        assertThat(webhooks.size()).as(canary + ": webhooks").isPositive();
        Manifest target = ExampleManifests.one("flagger/canary.yaml", "Deployment");
        assertThat(canary.spec().path("targetRef").path("name").asString()).isEqualTo(target.name());
        String application = ExampleWiring.environment(ExampleWiring.containers(target).get(0))
                .get("PYROSCOPE_APPLICATION_NAME").path("value").asString();
        for (JsonNode webhook : webhooks) {
            assertThat(webhook.path("url").asString()).isEqualTo(ExampleWiring.judgeBaseUrl() + "/api/v1/webhooks/flagger");
            // rollback would invert the verdict: Flagger rolls back when a rollback webhook succeeds.
            assertThat(webhook.path("type").asString()).isIn("rollout", "confirm-promotion", "pre-rollout");
            Duration timeout = DurationText.parse(webhook.path("timeout").asString());
            assertThat(timeout).as(canary + ": webhook timeout, below Flagger's default").isLessThan(CALLER_DEFAULT_TIMEOUT);
            assertThat(ExampleWiring.judgeDeadline()).as("the judge's deadline below " + canary + "'s webhook timeout")
                    .isLessThan(timeout);
            assertThat(webhook.path("metadata").path("application").asString())
                    .as(canary + ": metadata.application is the pods' Pyroscope service_name").isEqualTo(application);
            assertThatCode(() -> DurationText.parse(webhook.path("metadata").path("lookback").asString()))
                    .as(canary + ": metadata.lookback").doesNotThrowAnyException();
        }
    }

    /** Every workload's containers, for the environment checks. */
    static List<Manifest> workloads() {
        return ExampleManifests.all().stream()
                .filter(m -> Set.of("Deployment", "DaemonSet", "Rollout").contains(m.kind()))
                .toList();
    }

    @ParameterizedTest(name = "{0}")
    @MethodSource("workloads")
    void environmentReferencesPointAtVariablesDefinedAbove(Manifest workload) {
        for (JsonNode container : ExampleWiring.containers(workload)) {
            Set<String> defined = new HashSet<>();
            for (JsonNode variable : container.path("env")) {
                Matcher reference = ExampleWiring.ENV_REFERENCE.matcher(variable.path("value").asString(""));
                while (reference.find()) {
                    // Kubernetes leaves $(NAME) as it is when NAME is not defined earlier in the list.
                    assertThat(defined).as(workload + ": " + variable.path("name").asString() + " refers to $("
                            + reference.group(1) + ")").contains(reference.group(1));
                }
                defined.add(variable.path("name").asString());
            }
        }
    }

    @Test
    void applicationPodsCarryTheProfilerExampleSettings() {
        JsonNode reference = ExampleWiring.containers(ExampleManifests.one("profiler/java-agent.yaml", "Deployment"))
                .get(0).path("env");
        List<Manifest> applications = new ArrayList<>(rollouts());
        applications.add(ExampleManifests.one("flagger/canary.yaml", "Deployment"));
        for (Manifest application : applications) {
            assertThat(ExampleWiring.containers(application).get(0).path("env"))
                    .as(application + ": the env block of examples/profiler/java-agent.yaml").isEqualTo(reference);
        }
    }

    @Test
    void javaAgentLabelsProfilesWithPodAndPodTemplateHash() {
        JsonNode container = ExampleWiring.containers(ExampleManifests.one("profiler/java-agent.yaml", "Deployment")).get(0);
        Map<String, String> labels = agentLabelSources(container);
        assertThat(labels).containsEntry("pod", "metadata.name")
                .containsEntry("namespace", "metadata.namespace")
                // The label Argo Rollouts puts on every pod of a ReplicaSet it manages.
                .containsEntry("rollouts_pod_template_hash", "metadata.labels['rollouts-pod-template-hash']")
                .containsEntry("app", "metadata.labels['app']");
        assertThat(labels.keySet()).as("label names Pyroscope accepts")
                .allMatch(name -> name.matches("[a-zA-Z_][a-zA-Z0-9_]*"));
        assertThat(labels.keySet()).as("the labels the AnalysisTemplate selects on")
                .containsAll(requestLabelNames());
    }

    @Test
    void agentLabelsTellBaselineFromCanaryUnderArgoAndUnderFlagger() {
        JsonNode container = ExampleWiring.containers(ExampleManifests.one("profiler/java-agent.yaml", "Deployment")).get(0);
        // A pod of the Rollout's stable ReplicaSet, as Argo Rollouts labels it.
        Map<String, String> stable = SimulatedPods.profileLabels(container, new SimulatedPods.Pod(
                "checkout-6d4f8c7b9-k2x7p", "shop", Map.of("app", "checkout", "rollouts-pod-template-hash", "6d4f8c7b9")));
        assertThat(stable).containsEntry("pod", "checkout-6d4f8c7b9-k2x7p").containsEntry("namespace", "shop")
                .containsEntry("app", "checkout").containsEntry("rollouts_pod_template_hash", "6d4f8c7b9");
        // Flagger's primary and canary pods: the app label differs, there is no Argo hash (the agent drops it).
        Map<String, String> primary = SimulatedPods.profileLabels(container, new SimulatedPods.Pod(
                "checkout-primary-5b7c9d-x1", "shop", Map.of("app", "checkout-primary")));
        Map<String, String> canary = SimulatedPods.profileLabels(container, new SimulatedPods.Pod(
                "checkout-7d9f8b-y2", "shop", Map.of("app", "checkout")));
        assertThat(primary).containsEntry("app", "checkout-primary").doesNotContainKey("rollouts_pod_template_hash");
        assertThat(canary).containsEntry("app", "checkout").doesNotContainKey("rollouts_pod_template_hash");
    }

    @Test
    void alloyLabelsProfilesWithServiceNamePodAndPodTemplateHash() {
        String config = ExampleManifests.one("profiler/alloy.yaml", "ConfigMap").content()
                .path("data").path("config.alloy").asString();
        Map<String, String> targets = new HashMap<>();
        Matcher rule = Pattern.compile("source_labels = \\[\"([^\"]+)\"]\\s*(?:regex\\s*=\\s*\"[^\"]*\"\\s*)?target_label\\s*=\\s*\"([^\"]+)\"")
                .matcher(config);
        while (rule.find()) {
            targets.put(rule.group(2), rule.group(1));
        }
        assertThat(targets).containsEntry("pod", "__meta_kubernetes_pod_name")
                .containsEntry("rollouts_pod_template_hash", "__meta_kubernetes_pod_label_rollouts_pod_template_hash")
                .containsKey("service_name");
        assertThat(targets.keySet()).as("the labels the AnalysisTemplate selects on").containsAll(requestLabelNames());
    }

    /** Label names the AnalysisTemplate's request matches baseline and canary pods by. */
    private static Set<String> requestLabelNames() {
        Set<String> names = new HashSet<>();
        for (Manifest template : analysisTemplates()) {
            for (JsonNode metric : ExampleWiring.webMetrics(template)) {
                JsonNode body = metric.path("provider").path("web").path("jsonBody");
                body.path("baseline").path("labels").propertyNames().forEach(names::add);
                body.path("canary").path("labels").propertyNames().forEach(names::add);
            }
        }
        assertThat(names).isNotEmpty();
        return names;
    }

    /** PYROSCOPE_LABELS with each $(VAR) resolved to the downward-API field it comes from. */
    private static Map<String, String> agentLabelSources(JsonNode container) {
        Map<String, JsonNode> env = ExampleWiring.environment(container);
        Map<String, String> labels = new LinkedHashMap<>();
        for (String pair : env.get("PYROSCOPE_LABELS").path("value").asString().split(",")) {
            String[] nameValue = pair.split("=", 2);
            Matcher reference = ExampleWiring.ENV_REFERENCE.matcher(nameValue[1]);
            labels.put(nameValue[0], reference.matches()
                    ? env.get(reference.group(1)).path("valueFrom").path("fieldRef").path("fieldPath").asString()
                    : nameValue[1]);
        }
        return labels;
    }

    private static Result resultIn(String condition) {
        Matcher matcher = CONDITION.matcher(condition.trim());
        assertThat(matcher.matches()).as("condition '" + condition + "' tests result == \"VALUE\"").isTrue();
        // A value the verdict's result can never take would make the condition dead.
        return Result.valueOf(matcher.group(1));
    }
}
