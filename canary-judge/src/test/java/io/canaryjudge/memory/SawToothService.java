package io.canaryjudge.memory;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.time.temporal.ChronoUnit;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import java.util.function.UnaryOperator;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeEach;
import org.springframework.boot.test.web.server.LocalServerPort;
import org.springframework.http.MediaType;
import org.springframework.test.context.DynamicPropertyRegistry;
import org.springframework.test.web.reactive.server.WebTestClient;
import tools.jackson.databind.JsonNode;
import tools.jackson.databind.json.JsonMapper;

/**
 * The service over the saw-tooth recording (docs/EVALUATION.md "Saw-tooth recording": G1 JVMs marking their old
 * generation every 2–3.3 minutes): a real Prometheus holding the pods' Micrometer scrapes (backfilled, labels
 * {@code app}, {@code pod}, {@code track}, {@code scenario}) and the pods' live-object profiles and request counts in a
 * local directory; analyses asked as Argo Rollouts asks them ({@code POST /api/v1/analyses}) over loopback.
 */
abstract class SawToothService {
    static final JsonMapper JSON = JsonMapper.builder().build();
    static final List<String> PODS = List.of("baseline-1", "baseline-2", "baseline-3", "aa-1", "aa-2", "aa-3",
            "bigger-flat-1", "bigger-flat-2", "bigger-flat-3", "leak-sessions-1", "leak-sessions-2", "leak-sessions-3",
            "leak-listeners-1", "leak-listeners-2", "leak-listeners-3");
    static RecordedPrometheus prometheus;
    static Map<String, RecordedPod> pods;

    @LocalServerPort
    int port;

    WebTestClient client;

    /**
     * Starts the recording's Prometheus and registers the service's settings; {@code front} gives the URL the service
     * asks for Prometheus's (itself, or a proxy before it). Each test class calls it from its own
     * {@code @DynamicPropertySource}.
     */
    static void register(DynamicPropertyRegistry registry, UnaryOperator<String> front) {
        try {
            // a folder of its own per test class (they run in one JVM, each with its own service and Prometheus)
            Path root = Path.of("target", "sawtooth-service-" + UUID.randomUUID()).toAbsolutePath();
            Map<String, RecordedPod> all = RecordedPod.loadAll(RecordedPod.sawToothFolder());
            pods = new LinkedHashMap<>();
            for (String name : PODS) {
                pods.put(name, all.get(name));
                all.get(name).copyProfilesForService(RecordedPod.sawToothFolder(), root.resolve("profiles/orders").resolve(name));
            }
            prometheus = RecordedPrometheus.start(RecordedPod.sawToothFolder(), pods, Files.createDirectories(root));
            registry.add("canary-judge.local.directory", () -> root.resolve("profiles").toString());
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
        String url = front.apply(prometheus.baseUrl().toString());
        registry.add("canary-judge.prometheus.url", () -> url);
    }

    @AfterAll
    static void stop() {
        if (prometheus != null) {
            prometheus.close();
            prometheus = null;
        }
    }

    @BeforeEach
    void client() {
        client = WebTestClient.bindToServer().baseUrl("http://127.0.0.1:" + port)
                .responseTimeout(Duration.ofSeconds(120)).build();
    }

    /** 15 minutes of the {@code scenario}'s canary pods' life from about {@code age} after their JVMs started. */
    JsonNode analyse(String scenario, String config, Duration age) {
        Instant start = Instant.ofEpochMilli(pods.get(scenario + "-1").jvmStartMillis()).plus(age)
                .truncatedTo(ChronoUnit.MINUTES);
        String body = """
                {"application": "orders",
                 "baseline": {"labels": {"track": "baseline"}},
                 "canary": {"labels": {"track": "canary", "scenario": "%s"}},
                 "start": "%s", "end": "%s", "profileTypes": ["live_bytes"]%s}"""
                .formatted(scenario, start, start.plus(Duration.ofMinutes(15)),
                        config == null ? "" : ", \"config\": \"" + config + "\"");
        return JSON.readTree(client.post().uri("/api/v1/analyses").contentType(MediaType.APPLICATION_JSON)
                .bodyValue(body).exchange().expectStatus().isOk().expectBody(String.class).returnResult()
                .getResponseBody());
    }
}
