package io.canaryjudge.examples;

import io.canaryjudge.SharedFixtures;
import java.io.IOException;
import java.io.Reader;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Map;
import java.util.Optional;
import java.util.TreeMap;
import java.util.stream.Stream;
import org.yaml.snakeyaml.LoaderOptions;
import org.yaml.snakeyaml.Yaml;
import org.yaml.snakeyaml.constructor.SafeConstructor;
import tools.jackson.databind.JsonNode;

/**
 * The published CustomResourceDefinitions in {@code ../shared/schemas} (Argo Rollouts, Flagger), one
 * {@link StructuralSchema} per served kind and version, looked up by {@code apiVersion} and {@code kind}.
 */
final class CrdSchemas {
    private static CrdSchemas loaded;

    /** {@code group/version kind} → schema. */
    private final Map<String, StructuralSchema> schemas;

    private CrdSchemas(Map<String, StructuralSchema> schemas) {
        this.schemas = schemas;
    }

    /** Loaded once: the Argo Rollouts CRDs are over half a megabyte each. */
    static synchronized CrdSchemas load() {
        if (loaded == null) {
            Map<String, StructuralSchema> schemas = new TreeMap<>();
            try (Stream<Path> files = Files.list(SharedFixtures.schemas())) {
                for (Path file : files.filter(p -> p.toString().endsWith(".yaml")).sorted().toList()) {
                    readCrds(file, schemas);
                }
            } catch (IOException e) {
                throw new UncheckedIOException(e);
            }
            loaded = new CrdSchemas(schemas);
        }
        return loaded;
    }

    /** The schema for an object's {@code apiVersion} and {@code kind}; empty for kinds no CRD defines. */
    Optional<StructuralSchema> forObject(String apiVersion, String kind) {
        return Optional.ofNullable(schemas.get(apiVersion + " " + kind));
    }

    /** {@code group/version kind} of every kind the CRDs define. */
    java.util.Set<String> kinds() {
        return schemas.keySet();
    }

    private static void readCrds(Path file, Map<String, StructuralSchema> schemas) throws IOException {
        Yaml yaml = new Yaml(new SafeConstructor(new LoaderOptions()));
        try (Reader reader = Files.newBufferedReader(file)) {
            for (Object document : yaml.loadAll(reader)) {
                JsonNode crd = ExampleManifests.JSON.valueToTree(document);
                if (!"CustomResourceDefinition".equals(crd.path("kind").asString(""))) {
                    continue;
                }
                String group = crd.path("spec").path("group").asString();
                String kind = crd.path("spec").path("names").path("kind").asString();
                for (JsonNode version : crd.path("spec").path("versions")) {
                    if (version.path("served").asBoolean(true)) {
                        schemas.put(group + "/" + version.path("name").asString() + " " + kind,
                                StructuralSchema.of(version.path("schema").path("openAPIV3Schema")));
                    }
                }
            }
        }
    }
}
