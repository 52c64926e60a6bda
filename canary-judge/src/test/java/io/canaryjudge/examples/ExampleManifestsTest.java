package io.canaryjudge.examples;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.List;
import java.util.Set;
import java.util.function.Consumer;
import java.util.stream.Collectors;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.MethodSource;
import tools.jackson.core.JsonPointer;
import tools.jackson.databind.JsonNode;
import tools.jackson.databind.node.ArrayNode;
import tools.jackson.databind.node.ObjectNode;

/**
 * Every example YAML document is a Kubernetes object of a known kind, and every Argo Rollouts and
 * Flagger object is valid against the published CRD schema in {@code ../shared/schemas}, checked by a
 * real JSON-Schema validator ({@link StructuralSchema}). The negative cases break one real example
 * at a time — a misspelt field, a wrong type, a value outside an enum or pattern, a duplicate list
 * key — and must fail, so the validation is shown to bite on each CRD.
 */
class ExampleManifestsTest {
    /** Core kinds the examples use; they have no schema here and are checked by JudgeManifestsTest. */
    private static final Set<String> CORE_KINDS = Set.of("v1 Service", "v1 ConfigMap", "v1 ServiceAccount",
            "apps/v1 Deployment", "apps/v1 DaemonSet", "rbac.authorization.k8s.io/v1 Role",
            "rbac.authorization.k8s.io/v1 RoleBinding", "rbac.authorization.k8s.io/v1 ClusterRole",
            "rbac.authorization.k8s.io/v1 ClusterRoleBinding");

    static List<Manifest> customResources() {
        return ExampleManifests.all().stream()
                .filter(m -> CrdSchemas.load().forObject(m.apiVersion(), m.kind()).isPresent())
                .toList();
    }

    @Test
    void everyExampleDocumentIsAnObjectOfAKnownKind() {
        List<Manifest> all = ExampleManifests.all();
        assertThat(ExampleManifests.files()).as("example files").hasSizeGreaterThanOrEqualTo(9);
        for (Manifest manifest : all) {
            String kind = manifest.apiVersion() + " " + manifest.kind();
            assertThat(CORE_KINDS.contains(kind) || CrdSchemas.load().kinds().contains(kind))
                    .as(manifest + ": apiVersion and kind '" + kind + "' are neither a core kind the examples "
                            + "use nor defined by a CRD in ../shared/schemas")
                    .isTrue();
            assertThat(manifest.name()).as(manifest + ": metadata.name").isNotEmpty();
        }
    }

    @Test
    void everyCrdKindTheJudgeIntegratesWithHasAnExample() {
        Set<String> kinds = customResources().stream().map(Manifest::kind).collect(Collectors.toSet());
        assertThat(kinds).contains("Rollout", "AnalysisTemplate", "ClusterAnalysisTemplate", "Canary");
    }

    @ParameterizedTest(name = "{0}")
    @MethodSource("customResources")
    void customResourceIsValidAgainstItsCrdSchema(Manifest manifest) {
        StructuralSchema schema = CrdSchemas.load().forObject(manifest.apiVersion(), manifest.kind()).orElseThrow();
        assertThat(schema.validate(manifest.content())).as(manifest + " against its CRD").isEmpty();
    }

    static Stream<Arguments> brokenExamples() {
        return Stream.of(
                broken("argo-rollouts/analysis-template.yaml", "AnalysisTemplate", "a misspelt field",
                        rename("/spec/metrics/0/provider/web", "jsonPath", "jsonpath"), "jsonpath"),
                broken("argo-rollouts/analysis-template.yaml", "AnalysisTemplate", "a string for an integer",
                        set("/spec/metrics/0/provider/web", "timeoutSeconds", "8"), "timeoutSeconds"),
                broken("argo-rollouts/cluster-analysis-template.yaml", "ClusterAnalysisTemplate",
                        "a fraction for an int-or-string", set("/spec/metrics/0", "count", 1.5), "count"),
                broken("argo-rollouts/cluster-analysis-template.yaml", "ClusterAnalysisTemplate", "a misspelt condition",
                        rename("/spec/metrics/0", "successCondition", "successConditon"), "successConditon"),
                broken("argo-rollouts/rollout-inline-analysis.yaml", "Rollout", "a misspelt template reference",
                        rename("/spec/strategy/canary/steps/2/analysis/templates/0", "templateName", "template"),
                        "template"),
                broken("argo-rollouts/rollout-inline-analysis.yaml", "Rollout", "a fraction for a pause duration",
                        set("/spec/strategy/canary/steps/1/pause", "duration", 5.5), "duration"),
                broken("argo-rollouts/rollout-background-analysis.yaml", "Rollout", "a duplicate env variable",
                        duplicateFirst("/spec/template/spec/containers/0/env"), "duplicate"),
                broken("argo-rollouts/rollout-background-analysis.yaml", "Rollout", "a misspelt metadata field",
                        set("/metadata", "lables", ExampleManifests.JSON.createObjectNode().put("a", "b")), "lables"),
                broken("flagger/canary.yaml", "Canary", "a webhook type Flagger does not have",
                        set("/spec/analysis/webhooks/0", "type", "rollback-on-pass"), "type"),
                broken("flagger/canary.yaml", "Canary", "a number in the string-only metadata",
                        set("/spec/analysis/webhooks/0/metadata", "lookback", 5), "lookback"),
                broken("flagger/canary.yaml", "Canary", "a timeout outside the pattern",
                        set("/spec/analysis/webhooks/0", "timeout", "8 seconds"), "timeout"),
                broken("flagger/canary-confirm-promotion.yaml", "Canary", "a misspelt analysis field",
                        rename("/spec/analysis", "threshold", "threshhold"), "threshhold"));
    }

    @ParameterizedTest(name = "{1} with {2}")
    @MethodSource("brokenExamples")
    void brokenExampleFailsValidation(String file, String kind, String breakage, Consumer<ObjectNode> mutation,
            String named) {
        Manifest manifest = ExampleManifests.one(file, kind);
        ObjectNode copy = (ObjectNode) manifest.content().deepCopy();
        mutation.accept(copy);
        StructuralSchema schema = CrdSchemas.load().forObject(manifest.apiVersion(), manifest.kind()).orElseThrow();

        assertThat(schema.validate(manifest.content())).as("the unbroken example is valid").isEmpty();
        List<String> problems = schema.validate(copy);
        assertThat(problems).as(file + " with " + breakage).isNotEmpty();
        assertThat(problems).as("a problem names " + named).anyMatch(p -> p.contains(named));
    }

    private static Arguments broken(String file, String kind, String breakage, Consumer<ObjectNode> mutation,
            String named) {
        return Arguments.of(file, kind, breakage, mutation, named);
    }

    private static Consumer<ObjectNode> rename(String parent, String from, String to) {
        return root -> {
            ObjectNode object = (ObjectNode) root.at(JsonPointer.compile(parent));
            JsonNode value = object.remove(from);
            assertThat(value).as(parent + "/" + from + " exists in the example").isNotNull();
            object.set(to, value);
        };
    }

    private static Consumer<ObjectNode> set(String parent, String field, Object value) {
        return root -> {
            JsonNode target = root.at(JsonPointer.compile(parent));
            assertThat(target.isObject()).as(parent + " exists in the example").isTrue();
            ((ObjectNode) target).set(field, ExampleManifests.JSON.valueToTree(value));
        };
    }

    private static Consumer<ObjectNode> duplicateFirst(String list) {
        return root -> {
            ArrayNode array = (ArrayNode) root.at(JsonPointer.compile(list));
            assertThat(array.isEmpty()).as(list + " has items in the example").isFalse();
            array.add(array.get(0).deepCopy());
        };
    }
}
