package io.canaryjudge.examples;

import tools.jackson.databind.JsonNode;
import java.nio.file.Path;

/**
 * One Kubernetes object from an example file: a document of a (possibly multi-document) YAML file.
 *
 * @param file    the file, relative to the project root (e.g. {@code examples/flagger/canary.yaml})
 * @param index   the document's position in the file, 0-based
 * @param content the object as a JSON tree
 */
record Manifest(Path file, int index, JsonNode content) {

    String apiVersion() {
        return content.path("apiVersion").asString("");
    }

    String kind() {
        return content.path("kind").asString("");
    }

    String name() {
        return content.path("metadata").path("name").asString("");
    }

    String namespace() {
        return content.path("metadata").path("namespace").asString("");
    }

    JsonNode spec() {
        return content.path("spec");
    }

    /** For test names and messages: {@code examples/flagger/canary.yaml#1 Canary checkout}. */
    @Override
    public String toString() {
        return file + "#" + index + " " + kind() + " " + name();
    }
}
