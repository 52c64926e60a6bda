package io.canaryjudge.examples;

import io.canaryjudge.config.DurationText;
import java.time.Duration;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import tools.jackson.databind.JsonNode;

/**
 * Reads how the example objects refer to each other: the judge's Service URL, its deadline, the
 * templates a Rollout runs, the arguments, a container's environment. Shared by the wiring tests and
 * the HTTP test that posts the examples' request bodies.
 */
final class ExampleWiring {
    /** Argo's {@code {{args.NAME}}} placeholder; Argo trims spaces inside the braces. */
    static final Pattern ARG = Pattern.compile("\\{\\{\\s*args\\.([A-Za-z0-9_.-]+)\\s*}}");
    /** Kubernetes' {@code $(NAME)} reference to an earlier environment variable. */
    static final Pattern ENV_REFERENCE = Pattern.compile("\\$\\(([A-Za-z_][A-Za-z0-9_]*)\\)");
    /** The environment variable of the judge's deadline (Spring: canary-judge.analysis.deadline). */
    static final String DEADLINE_VARIABLE = "CANARY_JUDGE_ANALYSIS_DEADLINE";

    private ExampleWiring() {
    }

    static Manifest judgeService() {
        return ExampleManifests.one("kubernetes/service.yaml", "Service");
    }

    static Manifest judgeDeployment() {
        return ExampleManifests.one("kubernetes/deployment.yaml", "Deployment");
    }

    /** {@code http://NAME.NAMESPACE.svc.cluster.local:PORT} of the judge's Service. */
    static String judgeBaseUrl() {
        Manifest service = judgeService();
        return "http://" + service.name() + "." + service.namespace() + ".svc.cluster.local:"
                + service.spec().path("ports").get(0).path("port").asInt();
    }

    /** The deadline the judge's Deployment sets. */
    static Duration judgeDeadline() {
        JsonNode container = judgeDeployment().spec().path("template").path("spec").path("containers").get(0);
        String value = environment(container).get(DEADLINE_VARIABLE).path("value").asString(null);
        if (value == null) {
            throw new AssertionError("examples/kubernetes/deployment.yaml sets no " + DEADLINE_VARIABLE);
        }
        return DurationText.parse(value);
    }

    /** A container's {@code env} by name, in order. */
    static Map<String, JsonNode> environment(JsonNode container) {
        Map<String, JsonNode> env = new LinkedHashMap<>();
        for (JsonNode variable : container.path("env")) {
            env.put(variable.path("name").asString(), variable);
        }
        return env;
    }

    /** The pod template's containers of a Deployment, DaemonSet or Rollout. */
    static List<JsonNode> containers(Manifest workload) {
        List<JsonNode> containers = new ArrayList<>();
        workload.spec().path("template").path("spec").path("containers").forEach(containers::add);
        workload.spec().path("template").path("spec").path("initContainers").forEach(containers::add);
        return containers;
    }

    /** Names in {@code {{args.NAME}}} placeholders anywhere in a node, in order of first use. */
    static Set<String> argumentsUsed(JsonNode node) {
        Set<String> used = new LinkedHashSet<>();
        Matcher matcher = ARG.matcher(node.toString());
        while (matcher.find()) {
            used.add(matcher.group(1));
        }
        return used;
    }

    /** The one argument a string consists of ({@code "{{args.stable-hash}}"} → stable-hash). */
    static String soleArgument(String text) {
        Matcher matcher = ARG.matcher(text);
        if (!matcher.matches()) {
            throw new AssertionError("'" + text + "' is not a single {{args.NAME}} placeholder");
        }
        return matcher.group(1);
    }

    /**
     * What Argo does to a metric before it runs: every {@code {{args.NAME}}} inside a string replaced by
     * the argument's value (Argo marshals the metric to JSON, substitutes quoted values, unmarshals).
     */
    static JsonNode fillArguments(JsonNode node, Map<String, String> arguments) {
        String json = node.toString();
        Matcher matcher = ARG.matcher(json);
        StringBuilder filled = new StringBuilder();
        while (matcher.find()) {
            String value = arguments.get(matcher.group(1));
            if (value == null) {
                throw new AssertionError("argument " + matcher.group(1) + " was not supplied");
            }
            String quoted = ExampleManifests.JSON.writeValueAsString(value);
            matcher.appendReplacement(filled, Matcher.quoteReplacement(quoted.substring(1, quoted.length() - 1)));
        }
        matcher.appendTail(filled);
        return ExampleManifests.JSON.readTree(filled.toString());
    }

    /** A template's declared arguments: name → default value (null when the caller must supply it). */
    static Map<String, String> declaredArguments(Manifest template) {
        Map<String, String> args = new LinkedHashMap<>();
        for (JsonNode arg : template.spec().path("args")) {
            args.put(arg.path("name").asString(), arg.has("value") ? arg.path("value").asString() : null);
        }
        return args;
    }

    /** The Web-provider metrics of an (Cluster)AnalysisTemplate. */
    static List<JsonNode> webMetrics(Manifest template) {
        List<JsonNode> metrics = new ArrayList<>();
        for (JsonNode metric : template.spec().path("metrics")) {
            if (metric.path("provider").has("web")) {
                metrics.add(metric);
            }
        }
        return metrics;
    }

    /** The analyses a Rollout runs: its background analysis and every inline analysis step. */
    static List<JsonNode> analyses(Manifest rollout) {
        List<JsonNode> analyses = new ArrayList<>();
        JsonNode canary = rollout.spec().path("strategy").path("canary");
        if (canary.has("analysis")) {
            analyses.add(canary.get("analysis"));
        }
        for (JsonNode step : canary.path("steps")) {
            if (step.has("analysis")) {
                analyses.add(step.get("analysis"));
            }
        }
        return analyses;
    }

    /** The template an analysis refers to: a ClusterAnalysisTemplate with clusterScope, else an AnalysisTemplate. */
    static Manifest template(JsonNode reference) {
        String kind = reference.path("clusterScope").asBoolean(false) ? "ClusterAnalysisTemplate" : "AnalysisTemplate";
        String name = reference.path("templateName").asString();
        List<Manifest> found = ExampleManifests.ofKind(kind).stream().filter(t -> t.name().equals(name)).toList();
        if (found.size() != 1) {
            throw new AssertionError("expected one " + kind + " named " + name + " in the examples, found " + found.size());
        }
        return found.get(0);
    }

    /** Argo's pause or interval text (5m, 30s, 1h, or plain seconds) as a duration. */
    static Duration argoDuration(JsonNode value) {
        return value.isNumber() ? Duration.ofSeconds(value.asLong()) : DurationText.parse(value.asString());
    }
}
