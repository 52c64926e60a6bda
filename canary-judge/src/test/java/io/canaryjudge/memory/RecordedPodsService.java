package io.canaryjudge.memory;

import io.canaryjudge.ServiceOnPrometheus;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.time.temporal.ChronoUnit;
import java.util.Map;
import org.springframework.test.context.DynamicPropertyRegistry;
import tools.jackson.databind.JsonNode;

/**
 * What the service tests over a {@link RecordedPod} recording share (qa57's unlike JVMs, qa63's other collectors): the
 * pods' live-object profiles in a local directory under {@code profiles/orders}, their request counts left to the real
 * Prometheus that holds their scrapes ({@link RecordedPrometheus}), as in a cluster; analyses of 15 minutes as Argo
 * Rollouts asks them, the groups selected by their {@code scenario} label.
 */
abstract class RecordedPodsService extends ServiceOnPrometheus {
    protected static Map<String, RecordedPod> pods;

    /** Serves the recording in {@code folder} (profiles copied under {@code root}) from the subclass's property source. */
    protected static void serveRecording(DynamicPropertyRegistry registry, Path root, Path folder) {
        serve(registry, root.resolve("profiles"), () -> start(root, folder), RecordedPrometheus::baseUrl);
    }

    private static RecordedPrometheus start(Path root, Path folder) throws IOException {
        pods = RecordedPod.loadAll(folder);
        for (RecordedPod pod : pods.values()) {
            Path to = root.resolve("profiles/orders").resolve(pod.name());
            pod.copyProfilesForService(folder, to);
            Files.deleteIfExists(to.resolve("requests.csv"));
        }
        return RecordedPrometheus.start(folder, pods, Files.createDirectories(root), true);
    }

    /** The leak the recordings' leaking canaries run ({@code leak-sessions}). */
    protected static final String SITE = "io.canaryjudge.memory.app.SessionRegistry.register";

    /** The verdict's memory check ({@code dataQuality.memory}). */
    protected static JsonNode memory(JsonNode verdict) {
        return verdict.get("dataQuality").get("memory");
    }

    /** 15 minutes ending {@code endMinute} minutes after the pods' JVMs started (all started together). */
    protected JsonNode analyse(String baselineScenario, String canaryScenario, int endMinute) {
        Instant end = Instant.ofEpochMilli(pods.values().stream().mapToLong(RecordedPod::jvmStartMillis).max()
                .orElseThrow()).plus(Duration.ofMinutes(endMinute)).truncatedTo(ChronoUnit.MINUTES);
        String body = """
                {"application": "orders",
                 "baseline": {"labels": {"scenario": "%s"}},
                 "canary": {"labels": {"scenario": "%s"}},
                 "start": "%s", "end": "%s", "profileTypes": ["live_bytes"]}"""
                .formatted(baselineScenario, canaryScenario, end.minus(Duration.ofMinutes(15)), end);
        return analyses(body);
    }
}
