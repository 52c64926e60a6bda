package io.canaryjudge.memory;

import static org.assertj.core.api.Assertions.assertThat;

import io.canaryjudge.CanaryJudgeApplication;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.time.temporal.ChronoUnit;
import java.util.Map;
import java.util.UUID;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.springframework.boot.test.context.SpringBootTest;
import org.springframework.boot.test.web.server.LocalServerPort;
import org.springframework.http.MediaType;
import org.springframework.test.context.DynamicPropertyRegistry;
import org.springframework.test.context.DynamicPropertySource;
import org.springframework.test.web.reactive.server.WebTestClient;
import tools.jackson.databind.JsonNode;
import tools.jackson.databind.json.JsonMapper;

/**
 * qa63: {@code POST /api/v1/analyses} on the recording of {@code bench/qa63-record.sh} ({@code src/test/resources/qa63},
 * README there): baseline pods G1 with a 256 MiB heap (JDK 17); canaries leaking on Parallel, on ZGC without generations
 * (JDK 17) and on generational ZGC (JDK 25), the same code on generational ZGC, and on G1 running System.gc() every 4
 * minutes (a full collection the baseline pods never have). A real Prometheus holds the pods' scrapes (Micrometer's
 * heap pools, live data size, start time, request counter); their live-object profiles are in a local directory.
 * Analyses of 15 minutes ending at the pods' 25th minute; the memory check looks 30 minutes back (ages 0-25).
 */
@SpringBootTest(classes = CanaryJudgeApplication.class, webEnvironment = SpringBootTest.WebEnvironment.RANDOM_PORT,
        properties = {"canary-judge.local.match-windows=true", "canary-judge.analysis.warmup=0s",
                "canary-judge.analysis.deadline=60s", "canary-judge.analysis.history-windows=0",
                "canary-judge.analysis.slice=5m",
                "canary-judge.prometheus.application-label=app", "canary-judge.prometheus.timeout=20s",
                "canary-judge.prometheus.gates.error-ratio.enabled=false",
                "canary-judge.prometheus.gates.latency-p99.enabled=false"})
class OtherCollectorsServiceTest {
    static final JsonMapper JSON = JsonMapper.builder().build();
    static final Path ROOT = Path.of("target", "qa63-service-" + UUID.randomUUID()).toAbsolutePath();
    static RecordedPrometheus prometheus;
    static Map<String, RecordedPod> pods;

    @LocalServerPort
    int port;

    WebTestClient client;

    static Path folder() {
        return RecordedPod.folder().resolveSibling("qa63");
    }

    @DynamicPropertySource
    static void properties(DynamicPropertyRegistry registry) {
        try {
            pods = RecordedPod.loadAll(folder());
            for (RecordedPod pod : pods.values()) {
                Path to = ROOT.resolve("profiles/orders").resolve(pod.name());
                pod.copyProfilesForService(folder(), to);
                // the request counts come from Prometheus, as in a cluster
                Files.deleteIfExists(to.resolve("requests.csv"));
            }
            prometheus = RecordedPrometheus.start(folder(), pods, Files.createDirectories(ROOT), true);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
        registry.add("canary-judge.local.directory", () -> ROOT.resolve("profiles").toString());
        registry.add("canary-judge.prometheus.url", () -> prometheus.baseUrl().toString());
    }

    @AfterAll
    static void stop() {
        if (prometheus != null) {
            prometheus.close();
        }
    }

    @BeforeEach
    void client() {
        client = WebTestClient.bindToServer().baseUrl("http://127.0.0.1:" + port)
                .responseTimeout(Duration.ofSeconds(120)).build();
    }

    /** 15 minutes ending {@code endMinute} minutes after the pods' JVMs started (all started together). */
    JsonNode analyse(String baselineScenario, String canaryScenario, int endMinute) {
        Instant end = Instant.ofEpochMilli(pods.values().stream().mapToLong(RecordedPod::jvmStartMillis).max()
                .orElseThrow()).plus(Duration.ofMinutes(endMinute)).truncatedTo(ChronoUnit.MINUTES);
        String body = """
                {"application": "orders",
                 "baseline": {"labels": {"scenario": "%s"}},
                 "canary": {"labels": {"scenario": "%s"}},
                 "start": "%s", "end": "%s", "profileTypes": ["live_bytes"]}"""
                .formatted(baselineScenario, canaryScenario, end.minus(Duration.ofMinutes(15)), end);
        return JSON.readTree(client.post().uri("/api/v1/analyses").contentType(MediaType.APPLICATION_JSON)
                .bodyValue(body).exchange().expectStatus().isOk().expectBody(String.class).returnResult()
                .getResponseBody());
    }

    static final String SITE = "io.canaryjudge.memory.app.SessionRegistry.register";

    static JsonNode memory(JsonNode verdict) {
        return verdict.get("dataQuality").get("memory");
    }

    @Test
    void leaksOnParallelZgcAndGenerationalZgcFailNamingTheirSite() {
        for (String leak : new String[] {"leak-parallel", "leak-zgc", "leak-genzgc"}) {
            JsonNode verdict = analyse("baseline", leak, 25);

            assertThat(verdict.get("result").asString()).as(leak + ": " + memory(verdict)).isEqualTo("FAIL");
            JsonNode first = verdict.get("findings").get(0);
            assertThat(first.get("kind").asString()).as(leak).isEqualTo("MEMORY_GROWTH");
            assertThat(first.get("function").asString()).as(leak).isEqualTo(SITE);
        }
    }

    @Test
    void unchangedCanariesOnGenerationalZgcOrWithFullCollectionsHaveNoGrowth() {
        for (String canary : new String[] {"aa-genzgc", "aa-fullgc"}) {
            JsonNode verdict = analyse("baseline", canary, 25);

            assertThat(verdict.get("findings").toString()).as(canary + ": " + memory(verdict))
                    .doesNotContain("MEMORY_GROWTH");
        }
    }
}
