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
 * The recorded qa41 pods (src/test/resources/qa41) through the service's Pyroscope path, as Argo's analysis asks: the
 * baseline pods' night window (40 requests/s) is the 40 s before the analysis window, their window at three times the
 * load the window itself, and the service fetches the earlier window as history (history-windows 1). The same pods'
 * earlier window is their own JVMs' (the same pod names), the A/A canaries are not failed, and the noise source says
 * what the noise was learned from.
 */
@SpringBootTest(classes = CanaryJudgeApplication.class, webEnvironment = SpringBootTest.WebEnvironment.RANDOM_PORT,
        properties = {"canary-judge.analysis.deadline=60s", "canary-judge.analysis.history-windows=1",
                "canary-judge.analysis.slice=10s", "canary-judge.analysis.warmup=0s"})
class PyroscopeHistoryUnlikeNowTest {
    static final Instant T0 = Instant.parse("2026-12-06T10:00:00Z");
    static final Duration SLICE = Duration.ofSeconds(10);
    static final Path RECORDINGS = SharedFixtures.projectRoot().resolve("canary-judge/src/test/resources/qa41");
    static PyroscopeStandIn pyroscope;

    @LocalServerPort
    int port;

    WebTestClient client;

    @DynamicPropertySource
    static void properties(DynamicPropertyRegistry registry) throws IOException {
        pyroscope = PyroscopeStandIn.start();
        Path pprof = Files.createTempDirectory("qa41-pprof");
        for (int n = 1; n <= 3; n++) {
            Map<String, String> base = Map.of("service_name", "catalog", "pod", "catalog-base-" + n,
                    "rollouts_pod_template_hash", "base", "jfr_event", "itimer");
            pyroscope.addInstance(base, converted(RECORDINGS.resolve("night/b" + n), pprof.resolve("night-b" + n),
                    T0.minus(SLICE.multipliedBy(4))), T0.minus(SLICE.multipliedBy(4)), SLICE);
            pyroscope.addInstance(base, converted(RECORDINGS.resolve("now/b" + n), pprof.resolve("now-b" + n), T0), T0,
                    SLICE);
            pyroscope.addInstance(Map.of("service_name", "catalog", "pod", "catalog-canary-" + n,
                    "rollouts_pod_template_hash", "canary", "jfr_event", "itimer"),
                    converted(RECORDINGS.resolve("now/a" + n), pprof.resolve("now-a" + n), T0), T0, SLICE);
        }
        registry.add("canary-judge.pyroscope.url", pyroscope::url);
    }

    /** The pod's gzipped JFR slices as Pyroscope's pprof (itimer, 500 µs a sample), stamped from {@code start}. */
    private static Path converted(Path pod, Path into, Instant start) throws IOException {
        Files.createDirectories(into);
        for (int k = 1; k <= 4; k++) {
            long startNanos = start.plus(SLICE.multipliedBy(k - 1)).toEpochMilli() * 1_000_000L;
            SlicePprofWriter.convertGzipped(pod.resolve("slice-" + k + ".jfr.gz"), into.resolve("slice-" + k + ".pb.gz"),
                    500_000L, true, startNanos, SLICE.toNanos());
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
    void theBaselinePodsEarlierWindowAtAThirdOfTheLoadTeachesTheirOwnJvmsNoise() {
        String body = """
                {"application": "catalog",
                 "baseline": {"labels": {"rollouts_pod_template_hash": "base"}},
                 "canary": {"labels": {"rollouts_pod_template_hash": "canary"}},
                 "start": "%s", "end": "%s"}""".formatted(T0, T0.plus(SLICE.multipliedBy(4)));
        JsonNode verdict = AnalysisApiTest.JSON.readTree(client.post().uri("/api/v1/analyses")
                .contentType(MediaType.APPLICATION_JSON).bodyValue(body).exchange().expectStatus().isOk()
                .expectBody(String.class).returnResult().getResponseBody());

        assertThat(verdict.path("result").asString()).as(verdict.toString()).isEqualTo("PASS");
        assertThat(verdict.path("dataQuality").path("types").get(0).path("noiseSource").asString())
                .as(verdict.toString())
                .startsWith("history: 3 earlier window(s) of 3 instance(s) (3 of them the baseline pods' own JVMs)");
    }
}
