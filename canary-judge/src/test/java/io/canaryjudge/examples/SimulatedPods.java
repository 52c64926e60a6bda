package io.canaryjudge.examples;

import io.canaryjudge.SharedFixtures;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.io.Writer;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Properties;
import java.util.TreeMap;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import java.util.stream.Stream;
import tools.jackson.databind.JsonNode;

/**
 * The example application's pods as a profile store would hold their profiles, for the judge's local
 * profile source ({@code DIRECTORY/APPLICATION/POD/} with a {@code labels.properties}): the profiles are
 * the shipped recordings ({@code examples/profiles/shop}, a canary with a CPU regression), the labels are
 * what the example's Pyroscope agent settings ({@code PYROSCOPE_LABELS} with the downward API) give a pod
 * of a given name, namespace and labels. A change to those settings changes what the requests find.
 */
final class SimulatedPods {
    /** The shipped recordings' stable and canary ReplicaSet hashes (examples/profiles/README.md). */
    static final String RECORDED_BASELINE_HASH = "6d4f8c7b9";
    static final String RECORDED_CANARY_HASH = "7f9b6c5d4";

    private static final Pattern LABEL_FIELD = Pattern.compile("metadata\\.labels\\['([^']+)']");

    /**
     * One Kubernetes pod.
     *
     * @param name      the pod's name
     * @param namespace its namespace
     * @param labels    its labels (Kubernetes label names, e.g. {@code rollouts-pod-template-hash})
     */
    record Pod(String name, String namespace, Map<String, String> labels) {
    }

    private SimulatedPods() {
    }

    /** The recorded pod directories with the given {@code rollouts_pod_template_hash}, sorted by name. */
    static List<Path> recordedPods(String hash) {
        Path shop = SharedFixtures.projectRoot().resolve("examples/profiles/shop");
        try (Stream<Path> pods = Files.list(shop)) {
            List<Path> found = new ArrayList<>();
            for (Path pod : pods.sorted().toList()) {
                if (hash.equals(readLabels(pod.resolve("labels.properties")).get("rollouts_pod_template_hash"))) {
                    found.add(pod);
                }
            }
            if (found.isEmpty()) {
                throw new IllegalStateException("no recorded pod with rollouts_pod_template_hash=" + hash + " in " + shop);
            }
            return found;
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    /**
     * Writes {@code pod}'s directory under {@code root/application}: the recorded profiles of
     * {@code recorded} and the labels the agent container's settings give the pod.
     *
     * @return the labels written
     */
    static Map<String, String> write(Path root, JsonNode agentContainer, Pod pod, Path recorded) {
        Map<String, String> labels = profileLabels(agentContainer, pod);
        String application = ExampleWiring.environment(agentContainer).get("PYROSCOPE_APPLICATION_NAME")
                .path("value").asString();
        Path dir = root.resolve(application).resolve(pod.name());
        try (Stream<Path> files = Files.list(recorded)) {
            Files.createDirectories(dir);
            for (Path file : files.toList()) {
                if (!file.getFileName().toString().equals("labels.properties")) {
                    Files.copy(file, dir.resolve(file.getFileName()));
                }
            }
            Properties properties = new Properties();
            properties.putAll(labels);
            try (Writer writer = Files.newBufferedWriter(dir.resolve("labels.properties"), StandardCharsets.UTF_8)) {
                properties.store(writer, "labels the example's Pyroscope agent settings give pod " + pod.name());
            }
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
        return labels;
    }

    /**
     * What the Pyroscope agent labels a pod's profiles with: {@code PYROSCOPE_LABELS} after Kubernetes has
     * filled the downward-API variables and expanded {@code $(VAR)} references, pairs with an empty value
     * dropped (the agent skips them). {@code service_name} is set by Pyroscope from the application name.
     */
    static Map<String, String> profileLabels(JsonNode container, Pod pod) {
        Map<String, String> values = new LinkedHashMap<>();
        for (JsonNode variable : container.path("env")) {
            String value;
            if (variable.has("value")) {
                value = expand(variable.path("value").asString(), values);
            } else {
                value = field(variable.path("valueFrom").path("fieldRef").path("fieldPath").asString(), pod);
            }
            values.put(variable.path("name").asString(), value);
        }
        Map<String, String> labels = new TreeMap<>();
        for (String pair : values.getOrDefault("PYROSCOPE_LABELS", "").split(",")) {
            String[] nameValue = pair.split("=");
            if (nameValue.length == 2 && !nameValue[0].isBlank() && !nameValue[1].isBlank()) {
                labels.put(nameValue[0].strip(), nameValue[1].strip());
            }
        }
        return labels;
    }

    private static String field(String path, Pod pod) {
        Matcher label = LABEL_FIELD.matcher(path);
        if (label.matches()) {
            return pod.labels().getOrDefault(label.group(1), "");
        }
        return switch (path) {
            case "metadata.name" -> pod.name();
            case "metadata.namespace" -> pod.namespace();
            default -> throw new AssertionError("the simulation knows no downward-API field " + path);
        };
    }

    /** Kubernetes' $(VAR) expansion: defined variables are replaced, others stay as written. */
    private static String expand(String value, Map<String, String> defined) {
        Matcher reference = ExampleWiring.ENV_REFERENCE.matcher(value);
        StringBuilder out = new StringBuilder();
        while (reference.find()) {
            String replacement = defined.getOrDefault(reference.group(1), reference.group());
            reference.appendReplacement(out, Matcher.quoteReplacement(replacement));
        }
        reference.appendTail(out);
        return out.toString();
    }

    private static Map<String, String> readLabels(Path file) throws IOException {
        Properties properties = new Properties();
        if (Files.isRegularFile(file)) {
            try (var reader = Files.newBufferedReader(file, StandardCharsets.UTF_8)) {
                properties.load(reader);
            }
        }
        Map<String, String> labels = new TreeMap<>();
        properties.forEach((k, v) -> labels.put(k.toString(), v.toString()));
        return labels;
    }
}
