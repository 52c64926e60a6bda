package io.canaryjudge.qa48;

import static org.assertj.core.api.Assertions.assertThat;

import io.canaryjudge.CanaryJudgeApplication;
import io.canaryjudge.ServiceOnPyroscopeStandIn;
import io.canaryjudge.SharedFixtures;
import io.canaryjudge.scenario.SlicePprofWriter;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.springframework.boot.test.context.SpringBootTest;
import org.springframework.http.MediaType;
import org.springframework.test.context.DynamicPropertyRegistry;
import org.springframework.test.context.DynamicPropertySource;
import tools.jackson.databind.JsonNode;

/**
 * The native allocation types (malloc_bytes, malloc_leak_bytes) asked of the service's Pyroscope source, which has no
 * profile type IDs for them (Pyroscope's Java agent does not upload async-profiler's nativemem events): over real HTTP,
 * an INCONCLUSIVE verdict that names the type, why and what to do, never a stack trace. Before, it said the type "has no
 * Pyroscope profile type IDs configured", a setting the service does not have. The pods are qa42's recorded LedgerPod
 * JVMs.
 */
@SpringBootTest(classes = CanaryJudgeApplication.class, webEnvironment = SpringBootTest.WebEnvironment.RANDOM_PORT,
        properties = {"canary-judge.analysis.deadline=60s", "canary-judge.analysis.history-windows=0",
                "canary-judge.analysis.slice=10s", "canary-judge.analysis.warmup=0s"})
class PyroscopeNativeTypesTest extends ServiceOnPyroscopeStandIn {
    static final Instant T0 = Instant.parse("2026-12-06T13:00:00Z");
    static final Duration SLICE = Duration.ofSeconds(10);
    static final Path RECORDINGS = SharedFixtures.projectRoot().resolve("canary-judge/src/test/resources/qa42");

    @Override
    protected Duration responseTimeout() {
        return Duration.ofSeconds(90);
    }

    @DynamicPropertySource
    static void properties(DynamicPropertyRegistry registry) throws IOException {
        startPyroscope(registry);
        Path pprof = Files.createTempDirectory("qa48-pprof");
        pyroscope.addInstance(Map.of("service_name", "ledger", "pod", "ledger-base-1", "rollouts_pod_template_hash", "base",
                "jfr_event", "itimer"), converted(RECORDINGS.resolve("now/b"), 3, pprof.resolve("b")), T0, SLICE);
        pyroscope.addInstance(Map.of("service_name", "ledger", "pod", "ledger-canary-1", "rollouts_pod_template_hash",
                "canary", "jfr_event", "itimer"), converted(RECORDINGS.resolve("now/a"), 1, pprof.resolve("a")), T0, SLICE);
    }

    private static Path converted(Path pod, int first, Path into) throws IOException {
        Files.createDirectories(into);
        for (int i = 0; i < 3; i++) {
            long startNanos = T0.plus(SLICE.multipliedBy(i)).toEpochMilli() * 1_000_000L;
            SlicePprofWriter.convertGzipped(pod.resolve("slice-" + (first + i) + ".jfr.gz"),
                    into.resolve("slice-" + (i + 1) + ".pb.gz"), 4_000_000L, false, startNanos, SLICE.toNanos());
        }
        return into;
    }

    @Test
    void nativeAllocationTypesAskedOfPyroscopeAreAClearAnswerWithoutAStackTrace() {
        for (String types : List.of("[\"malloc_leak_bytes\"]", "[\"cpu\", \"malloc_bytes\"]")) {
            String body = """
                    {"application": "ledger", "profileTypes": %s,
                     "baseline": {"labels": {"rollouts_pod_template_hash": "base"}},
                     "canary": {"labels": {"rollouts_pod_template_hash": "canary"}},
                     "start": "%s", "end": "%s"}""".formatted(types, T0, T0.plus(SLICE.multipliedBy(3)));
            JsonNode verdict = JSON.readTree(client.post().uri("/api/v1/analyses")
                    .contentType(MediaType.APPLICATION_JSON).bodyValue(body).exchange().expectStatus().isOk()
                    .expectBody(String.class).returnResult().getResponseBody());

            assertThat(verdict.path("result").asString()).as(verdict.toString()).isEqualTo("INCONCLUSIVE");
            assertThat(verdict.path("summary").asString()).as(types)
                    .contains("is not one this Pyroscope source reads")
                    .contains("Pyroscope's Java agent uploads no native allocation profiles (async-profiler's nativemem)")
                    .contains("leave it out of profileTypes, or judge such recordings as files")
                    .doesNotContain("Exception").doesNotContain("\tat ");
        }
    }
}
