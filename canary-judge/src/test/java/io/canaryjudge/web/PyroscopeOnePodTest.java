package io.canaryjudge.web;

import static org.assertj.core.api.Assertions.assertThat;

import io.canaryjudge.CanaryJudgeApplication;
import io.canaryjudge.SharedFixtures;
import io.canaryjudge.profile.testing.PyroscopeStandIn;
import io.canaryjudge.scenario.SlicePprofWriter;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.Map;
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

/**
 * One baseline pod beside one canary pod through the service's Pyroscope path (a Flagger canary of a service with
 * {@code replicas: 1}): the recorded qa42 {@code LedgerPod} JVMs (src/test/resources/qa42), the baseline pod's window
 * at T0, its own earlier 20 s before it (fetched as history, history-windows 1), an A/A canary. The verdict does not
 * fail, and it says that the pod's own earlier window teaches no JVM-to-JVM noise and what would.
 */
@SpringBootTest(classes = CanaryJudgeApplication.class, webEnvironment = SpringBootTest.WebEnvironment.RANDOM_PORT,
        properties = {"canary-judge.analysis.deadline=60s", "canary-judge.analysis.history-windows=1",
                "canary-judge.analysis.slice=10s", "canary-judge.analysis.warmup=0s"})
class PyroscopeOnePodTest {
    static final Instant T0 = Instant.parse("2026-12-06T13:00:00Z");
    static final Duration SLICE = Duration.ofSeconds(10);
    static final Path RECORDINGS = SharedFixtures.projectRoot().resolve("canary-judge/src/test/resources/qa42");
    static PyroscopeStandIn pyroscope;

    @LocalServerPort
    int port;

    WebTestClient client;

    @DynamicPropertySource
    static void properties(DynamicPropertyRegistry registry) throws IOException {
        pyroscope = PyroscopeStandIn.start();
        Path pprof = Files.createTempDirectory("qa42-pprof");
        Map<String, String> base = Map.of("service_name", "ledger", "pod", "ledger-base-1",
                "rollouts_pod_template_hash", "base", "jfr_event", "itimer");
        Instant earlier = T0.minus(SLICE.multipliedBy(2));
        pyroscope.addInstance(base, converted(RECORDINGS.resolve("hist/b"), List.of(1, 2), pprof.resolve("hist-b"),
                earlier), earlier, SLICE);
        pyroscope.addInstance(base, converted(RECORDINGS.resolve("now/b"), List.of(3, 4, 5, 6), pprof.resolve("now-b"),
                T0), T0, SLICE);
        pyroscope.addInstance(Map.of("service_name", "ledger", "pod", "ledger-canary-1",
                "rollouts_pod_template_hash", "canary", "jfr_event", "itimer"),
                converted(RECORDINGS.resolve("now/a"), List.of(1, 2, 3, 4), pprof.resolve("now-a"), T0), T0, SLICE);
        registry.add("canary-judge.pyroscope.url", pyroscope::url);
    }

    /** The pod's gzipped JFR slices as Pyroscope's pprof (itimer, 4 ms a sample), stamped from {@code start}. */
    private static Path converted(Path pod, List<Integer> slices, Path into, Instant start) throws IOException {
        Files.createDirectories(into);
        for (int i = 0; i < slices.size(); i++) {
            long startNanos = start.plus(SLICE.multipliedBy(i)).toEpochMilli() * 1_000_000L;
            SlicePprofWriter.convertGzipped(pod.resolve("slice-" + slices.get(i) + ".jfr.gz"),
                    into.resolve("slice-" + (i + 1) + ".pb.gz"), 4_000_000L, false, startNanos, SLICE.toNanos());
        }
        return into;
    }

    @AfterAll
    static void stop() {
        if (pyroscope != null) {
            pyroscope.close();
        }
    }

    @BeforeEach
    void client() {
        client = WebTestClient.bindToServer().baseUrl("http://127.0.0.1:" + port)
                .responseTimeout(Duration.ofSeconds(90)).build();
    }

    @Test
    void oneBaselinePodsOwnEarlierWindowIsNamedForWhatItCannotShow() {
        String body = """
                {"application": "ledger",
                 "baseline": {"labels": {"rollouts_pod_template_hash": "base"}},
                 "canary": {"labels": {"rollouts_pod_template_hash": "canary"}},
                 "start": "%s", "end": "%s"}""".formatted(T0, T0.plus(SLICE.multipliedBy(4)));
        JsonNode verdict = AnalysisApiTest.JSON.readTree(client.post().uri("/api/v1/analyses")
                .contentType(MediaType.APPLICATION_JSON).bodyValue(body).exchange().expectStatus().isOk()
                .expectBody(String.class).returnResult().getResponseBody());

        assertThat(verdict.path("result").asString()).as(verdict.toString()).isEqualTo("INCONCLUSIVE");
        assertThat(verdict.path("summary").asString()).as(verdict.toString())
                .contains("give other pods of the baseline version as history");
        assertThat(verdict.path("dataQuality").path("types").get(0).path("noiseSource").asString())
                .as(verdict.toString()).contains("earlier windows of the baseline pod's own JVM");
    }
}
