package io.canaryjudge.web;

import io.canaryjudge.SharedFixtures;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Map;
import java.util.stream.Stream;

/**
 * Local profile directories for the service tests, built from real recordings: the shipped example (a CPU
 * regression) and the committed A/A scenario (same code in separate JVMs), each pod with its labels.
 */
final class ProfileDirectories {
    static final Path EXAMPLE_SHOP = SharedFixtures.projectRoot().resolve("examples/profiles/shop");
    static final Path SCENARIOS = SharedFixtures.projectRoot().resolve("canary-judge/src/test/resources/scenarios");
    static final String BASELINE_HASH = "6d4f8c7b9";
    static final String CANARY_HASH = "7f9b6c5d4";

    private ProfileDirectories() {
    }

    /**
     * {@code root/shop} (the example, as shipped), {@code root/aa} (A/A: track=baseline / track=canary),
     * {@code root/podinfo} (the example with Flagger's labels: app=podinfo-primary / app=podinfo, namespace=test)
     * and {@code root/steady} (the A/A pods with Flagger's labels).
     */
    static Path build(Path root) {
        try {
            for (String pod : podNames(EXAMPLE_SHOP)) {
                copy(EXAMPLE_SHOP.resolve(pod), root.resolve("shop").resolve(pod), null);
                boolean canary = pod.contains(CANARY_HASH);
                copy(EXAMPLE_SHOP.resolve(pod), root.resolve("podinfo").resolve(pod),
                        Map.of("app", canary ? "podinfo" : "podinfo-primary", "namespace", "test"));
            }
            for (int n = 1; n <= 3; n++) {
                Path baseline = SCENARIOS.resolve("baselines/session-1/pod-" + n);
                Path canary = SCENARIOS.resolve("aa/canary/pod-" + n);
                copy(baseline, root.resolve("aa/aa-base-" + n), Map.of("track", "baseline"));
                copy(canary, root.resolve("aa/aa-canary-" + n), Map.of("track", "canary"));
                copy(baseline, root.resolve("steady/steady-primary-" + n),
                        Map.of("app", "steady-primary", "namespace", "test"));
                copy(canary, root.resolve("steady/steady-" + n), Map.of("app", "steady", "namespace", "test"));
            }
            return root;
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    /**
     * The A/A scenario's pods (recorded 2026-11-25 15:16–15:19 UTC) as application {@code application}: baseline pods
     * labelled {@code rollouts_pod_template_hash=baselineHash}, canary pods {@code canaryHash}, both in namespace
     * {@code shop}; without requests.csv.
     */
    static Path aaAs(Path root, String application, String baselineHash, String canaryHash) {
        try {
            for (int n = 1; n <= 3; n++) {
                copy(SCENARIOS.resolve("baselines/session-1/pod-" + n),
                        root.resolve(application).resolve(application + "-" + baselineHash + "-" + n),
                        Map.of("rollouts_pod_template_hash", baselineHash, "namespace", "shop"));
                copy(SCENARIOS.resolve("aa/canary/pod-" + n),
                        root.resolve(application).resolve(application + "-" + canaryHash + "-" + n),
                        Map.of("rollouts_pod_template_hash", canaryHash, "namespace", "shop"));
            }
            try (Stream<Path> csv = Files.walk(root.resolve(application))) {
                for (Path file : csv.filter(f -> f.getFileName().toString().equals("requests.csv")).toList()) {
                    Files.delete(file);
                }
            }
            return root;
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    static String[] podNames(Path application) throws IOException {
        try (Stream<Path> pods = Files.list(application)) {
            return pods.filter(Files::isDirectory).map(p -> p.getFileName().toString()).sorted().toArray(String[]::new);
        }
    }

    /** Copies a pod directory; with {@code labels}, writes them as its labels.properties instead of the original. */
    private static void copy(Path from, Path to, Map<String, String> labels) throws IOException {
        Files.createDirectories(to);
        try (Stream<Path> files = Files.list(from)) {
            for (Path file : files.toList()) {
                if (labels != null && file.getFileName().toString().equals("labels.properties")) {
                    continue;
                }
                Files.copy(file, to.resolve(file.getFileName()));
            }
        }
        if (labels != null) {
            StringBuilder text = new StringBuilder();
            labels.forEach((name, value) -> text.append(name).append('=').append(value).append('\n'));
            Files.writeString(to.resolve("labels.properties"), text);
        }
    }
}
