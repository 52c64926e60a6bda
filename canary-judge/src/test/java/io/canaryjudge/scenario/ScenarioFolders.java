package io.canaryjudge.scenario;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.stream.Stream;

/** Where the committed recordings live, found from the working directory (module or repository root). */
final class ScenarioFolders {
    private ScenarioFolders() {
    }

    /** {@code canary-judge/src/test/resources/scenarios}. */
    static Path scenarios() {
        return find("canary-judge/src/test/resources/scenarios");
    }

    /** The shipped example's application (its directory under {@code examples/profiles}). */
    static final String EXAMPLE_APPLICATION = "shop";
    /** {@code rollouts_pod_template_hash} of the example's baseline pods. */
    static final String EXAMPLE_BASELINE_HASH = "6d4f8c7b9";
    /** {@code rollouts_pod_template_hash} of the example's canary pods. */
    static final String EXAMPLE_CANARY_HASH = "7f9b6c5d4";
    /** Pod name suffixes of the example's pods, as a ReplicaSet would generate them; pod N gets the Nth. */
    static final List<String> EXAMPLE_BASELINE_SUFFIXES = List.of("k2x7p", "w5n3j", "q8d4s", "t3b6f", "z7c2m");
    static final List<String> EXAMPLE_CANARY_SUFFIXES = List.of("m4q8z", "r9t2w", "v6h1c", "x5j9k", "p2n8d");

    /** {@code examples/profiles}, the shipped example (laid out by application and pod). */
    static Path example() {
        return find("examples/profiles");
    }

    /** The example's pod directories of one pod-template hash, in name order. */
    static List<Path> examplePods(Path example, String hash) throws IOException {
        try (Stream<Path> pods = Files.list(example.resolve(EXAMPLE_APPLICATION))) {
            return pods.filter(Files::isDirectory)
                    .filter(p -> p.getFileName().toString().startsWith(EXAMPLE_APPLICATION + "-" + hash + "-"))
                    .sorted().toList();
        }
    }

    /** The directory of example pod {@code n} (1-based) of a pod-template hash. */
    static Path examplePod(Path example, String hash, int n) {
        List<String> suffixes = hash.equals(EXAMPLE_BASELINE_HASH) ? EXAMPLE_BASELINE_SUFFIXES : EXAMPLE_CANARY_SUFFIXES;
        if (n < 1 || n > suffixes.size()) {
            throw new IllegalArgumentException("the example has names for at most " + suffixes.size() + " pods per side");
        }
        return example.resolve(EXAMPLE_APPLICATION).resolve(EXAMPLE_APPLICATION + "-" + hash + "-" + suffixes.get(n - 1));
    }

    private static Path find(String relative) {
        for (Path dir = Path.of("").toAbsolutePath(); dir != null; dir = dir.getParent()) {
            Path candidate = dir.resolve(relative);
            if (Files.isDirectory(candidate)) {
                return candidate;
            }
        }
        throw new IllegalStateException("folder " + relative + " not found above " + Path.of("").toAbsolutePath());
    }
}
