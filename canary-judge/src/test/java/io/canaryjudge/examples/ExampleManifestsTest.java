package io.canaryjudge.examples;

import static org.assertj.core.api.Assertions.assertThat;

import io.canaryjudge.testing.SharedFixtures;
import java.io.IOException;
import java.io.Reader;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.stream.Stream;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.MethodSource;
import org.yaml.snakeyaml.LoaderOptions;
import org.yaml.snakeyaml.Yaml;
import org.yaml.snakeyaml.constructor.SafeConstructor;

/**
 * Checks the shipped Argo Rollouts and Flagger manifests against the real CRDs in ../shared/schemas:
 * every field exists in the CRD's OpenAPI schema, has the declared type, and required fields are
 * present. (A structural subset of OpenAPI validation: enough to catch misspelt or misplaced fields.)
 */
class ExampleManifestsTest {

    static Stream<Arguments> manifests() {
        return Stream.of(
                Arguments.of("examples/argo-rollouts/analysis-template.yaml", "argo-rollouts-analysis-template-crd.yaml"),
                Arguments.of("examples/argo-rollouts/rollout.yaml", "argo-rollouts-rollout-crd.yaml"),
                Arguments.of("examples/flagger/canary.yaml", "flagger-crd.yaml"));
    }

    @ParameterizedTest
    @MethodSource("manifests")
    void manifestMatchesItsCrdSchema(String manifest, String crdFile) throws IOException {
        Path root = SharedFixtures.projectRoot();
        Map<String, Object> document = load(root.resolve(manifest)).get(0);
        String kind = (String) document.get("kind");
        String version = ((String) document.get("apiVersion")).replaceAll(".*/", "");
        Map<String, Object> schema = schemaFor(load(SharedFixtures.schemas().resolve(crdFile)), kind, version);

        List<String> problems = new ArrayList<>();
        Map<String, Object> body = new java.util.LinkedHashMap<>(document);
        body.remove("apiVersion");
        body.remove("kind");
        body.remove("metadata");
        check(body, schema, "", problems);
        assertThat(problems).as(manifest + " against " + crdFile).isEmpty();
    }

    @SuppressWarnings("unchecked")
    private static Map<String, Object> schemaFor(List<Map<String, Object>> crds, String kind, String version) {
        for (Map<String, Object> crd : crds) {
            Map<String, Object> spec = (Map<String, Object>) crd.get("spec");
            if (spec == null || !kind.equals(((Map<String, Object>) spec.get("names")).get("kind"))) {
                continue;
            }
            for (Map<String, Object> v : (List<Map<String, Object>>) spec.get("versions")) {
                if (version.equals(v.get("name"))) {
                    return (Map<String, Object>) ((Map<String, Object>) v.get("schema")).get("openAPIV3Schema");
                }
            }
        }
        throw new AssertionError("no CRD schema for " + kind + "/" + version);
    }

    @SuppressWarnings("unchecked")
    private static void check(Object value, Map<String, Object> schema, String path, List<String> problems) {
        if (schema == null || Boolean.TRUE.equals(schema.get("x-kubernetes-preserve-unknown-fields")) && !schema.containsKey("properties")) {
            return;
        }
        if (Boolean.TRUE.equals(schema.get("x-kubernetes-int-or-string"))) {
            if (!(value instanceof String || value instanceof Integer || value instanceof Long)) {
                problems.add(path + ": expected int or string");
            }
            return;
        }
        String type = (String) schema.get("type");
        if ("object".equals(type) || schema.containsKey("properties")) {
            if (!(value instanceof Map)) {
                problems.add(path + ": expected an object");
                return;
            }
            Map<String, Object> object = (Map<String, Object>) value;
            Map<String, Object> properties = (Map<String, Object>) schema.get("properties");
            Object additional = schema.get("additionalProperties");
            for (Map.Entry<String, Object> field : object.entrySet()) {
                String fieldPath = path + "." + field.getKey();
                if (properties != null && properties.containsKey(field.getKey())) {
                    check(field.getValue(), (Map<String, Object>) properties.get(field.getKey()), fieldPath, problems);
                } else if (additional instanceof Map) {
                    check(field.getValue(), (Map<String, Object>) additional, fieldPath, problems);
                } else if (properties != null && !Boolean.TRUE.equals(schema.get("x-kubernetes-preserve-unknown-fields"))) {
                    problems.add(fieldPath + ": not a field of the CRD");
                }
            }
            List<String> required = (List<String>) schema.getOrDefault("required", List.of());
            for (String name : required) {
                if (!object.containsKey(name)) {
                    problems.add(path + "." + name + ": required by the CRD but missing");
                }
            }
        } else if ("array".equals(type)) {
            if (!(value instanceof List)) {
                problems.add(path + ": expected an array");
                return;
            }
            List<Object> items = (List<Object>) value;
            for (int i = 0; i < items.size(); i++) {
                check(items.get(i), (Map<String, Object>) schema.get("items"), path + "[" + i + "]", problems);
            }
        } else if ("string".equals(type) && !(value instanceof String)) {
            problems.add(path + ": expected a string, got " + value);
        } else if ("integer".equals(type) && !(value instanceof Integer || value instanceof Long)) {
            problems.add(path + ": expected an integer, got " + value);
        } else if ("boolean".equals(type) && !(value instanceof Boolean)) {
            problems.add(path + ": expected a boolean, got " + value);
        }
    }

    @SuppressWarnings("unchecked")
    private static List<Map<String, Object>> load(Path file) throws IOException {
        Yaml yaml = new Yaml(new SafeConstructor(new LoaderOptions()));
        List<Map<String, Object>> documents = new ArrayList<>();
        try (Reader reader = Files.newBufferedReader(file)) {
            for (Object document : yaml.loadAll(reader)) {
                if (document instanceof Map) {
                    documents.add((Map<String, Object>) document);
                }
            }
        }
        return documents;
    }
}
