package io.canaryjudge.examples;

import io.canaryjudge.SharedFixtures;
import java.io.IOException;
import java.io.Reader;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.stream.Stream;
import org.yaml.snakeyaml.LoaderOptions;
import org.yaml.snakeyaml.Yaml;
import org.yaml.snakeyaml.constructor.SafeConstructor;
import tools.jackson.databind.JsonNode;
import tools.jackson.databind.json.JsonMapper;

/**
 * Every Kubernetes object in the shipped examples: all documents of every {@code .yaml}/{@code .yml}
 * file under the example folders that hold manifests. YAML is read with SnakeYAML's YAML 1.1 rules,
 * as Kubernetes' own YAML reader (go-yaml v2) reads it ({@code yes}/{@code on} are booleans there too).
 */
final class ExampleManifests {
    /** Folders under {@code examples/} whose YAML files are all Kubernetes manifests. */
    static final List<String> FOLDERS = List.of("argo-rollouts", "flagger", "kubernetes", "profiler");

    static final JsonMapper JSON = JsonMapper.builder().build();

    private ExampleManifests() {
    }

    /** All objects of all example files, in file order. */
    static List<Manifest> all() {
        List<Manifest> manifests = new ArrayList<>();
        for (Path file : files()) {
            manifests.addAll(load(file));
        }
        return manifests;
    }

    /** The example files holding manifests, relative to the project root, sorted. */
    static List<Path> files() {
        Path root = SharedFixtures.projectRoot();
        List<Path> files = new ArrayList<>();
        for (String folder : FOLDERS) {
            Path dir = root.resolve("examples").resolve(folder);
            try (Stream<Path> walk = Files.walk(dir)) {
                walk.filter(p -> p.toString().endsWith(".yaml") || p.toString().endsWith(".yml"))
                        .map(root::relativize)
                        .forEach(files::add);
            } catch (IOException e) {
                throw new UncheckedIOException(e);
            }
        }
        files.sort(null);
        return files;
    }

    /** The objects of one file (relative to the project root); empty documents are skipped. */
    static List<Manifest> load(Path relativeFile) {
        Yaml yaml = new Yaml(new SafeConstructor(new LoaderOptions()));
        List<Manifest> manifests = new ArrayList<>();
        try (Reader reader = Files.newBufferedReader(SharedFixtures.projectRoot().resolve(relativeFile))) {
            int index = 0;
            for (Object document : yaml.loadAll(reader)) {
                if (document != null) {
                    manifests.add(new Manifest(relativeFile, index, JSON.valueToTree(document)));
                }
                index++;
            }
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
        return manifests;
    }

    /** The objects of a kind across all examples. */
    static List<Manifest> ofKind(String kind) {
        return all().stream().filter(m -> m.kind().equals(kind)).toList();
    }

    /** The one object of {@code kind} in {@code file} (relative to {@code examples/}). */
    static Manifest one(String file, String kind) {
        List<Manifest> found = load(Path.of("examples", file)).stream().filter(m -> m.kind().equals(kind)).toList();
        if (found.size() != 1) {
            throw new AssertionError("expected one " + kind + " in examples/" + file + ", found " + found.size());
        }
        return found.get(0);
    }

    /** The object of {@code kind} named {@code name} in {@code file} (relative to {@code examples/}). */
    static Manifest one(String file, String kind, String name) {
        return load(Path.of("examples", file)).stream()
                .filter(m -> m.kind().equals(kind) && m.name().equals(name))
                .findFirst()
                .orElseThrow(() -> new AssertionError("no " + kind + " " + name + " in examples/" + file));
    }

    /** A YAML text as a JSON tree (for embedded documents such as a ConfigMap's application.yaml). */
    static JsonNode parseYaml(String text) {
        return JSON.valueToTree(new Yaml(new SafeConstructor(new LoaderOptions())).load(text));
    }
}
