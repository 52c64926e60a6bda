package io.canaryjudge.qa43;

import static org.assertj.core.api.Assertions.assertThat;

import io.canaryjudge.CanaryJudgeApplication;
import io.canaryjudge.ServiceOnPyroscopeStandIn;
import io.canaryjudge.profile.testing.PyroscopeStandIn;
import io.canaryjudge.scenario.SlicePprofWriter;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.util.Comparator;
import java.util.List;
import java.util.Map;
import java.util.stream.Stream;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.Test;
import org.springframework.boot.test.context.SpringBootTest;
import org.springframework.test.context.DynamicPropertyRegistry;
import org.springframework.test.context.DynamicPropertySource;
import tools.jackson.databind.JsonNode;

/**
 * The qa43 pods through the service, over real HTTP on loopback: the Pyroscope stand-in (WireMock) serves each
 * committed async-profiler slice as Pyroscope stores it (pprof with {@code alloc_in_new_tlab_bytes},
 * {@code alloc_outside_tlab_bytes} and their object counts, {@link SlicePprofWriter}), a slice a minute. b4 and b5
 * are stored as version {@code same}: {@code base} against {@code same} FAILed, where the same pods from the files
 * PASS, until the service counted the samples behind Pyroscope's allocation bytes (its objects series).
 */
@SpringBootTest(classes = CanaryJudgeApplication.class, webEnvironment = SpringBootTest.WebEnvironment.RANDOM_PORT,
        properties = {"canary-judge.analysis.warmup=0s", "canary-judge.analysis.deadline=60s",
                "canary-judge.analysis.history-windows=0"})
class AllocationThroughPyroscopeTest extends ServiceOnPyroscopeStandIn {
    static final Instant T0 = Instant.parse("2026-12-06T10:00:00Z");
    static final Duration SLICE = Duration.ofSeconds(60);
    static Path dir;

    @Override
    protected Duration responseTimeout() {
        return Duration.ofSeconds(90);
    }

    @DynamicPropertySource
    static void properties(DynamicPropertyRegistry registry) throws IOException {
        dir = Files.createTempDirectory("qa43-pyroscope");
        startPyroscope(registry);
        for (String pod : List.of("b1", "b2", "b3", "b4", "b5", "bigbuf1", "bigbuf2")) {
            String version = pod.startsWith("bigbuf") ? "bigbuf" : pod.equals("b4") || pod.equals("b5") ? "same" : "base";
            Path pprofs = Files.createDirectories(dir.resolve(pod));
            for (int s = 1; s <= 4; s++) {
                Instant start = T0.plus(SLICE.multipliedBy(s - 1));
                // itimer at 500 µs: one CPU sample stands for 500,000 ns, as Pyroscope's jfr-parser counts it.
                SlicePprofWriter.convertGzipped(AllocationSignalTest.RECORDINGS.resolve(pod).resolve("slice-" + s + ".jfr.gz"),
                        pprofs.resolve("slice-" + s + ".pb.gz"), 500_000L, true, start.toEpochMilli() * 1_000_000L,
                        SLICE.toNanos());
            }
            pyroscope.addInstance(Map.of("service_name", "enrich", "pod", pod, "rollouts_pod_template_hash", version),
                    pprofs, T0, SLICE);
        }
    }

    /** The recorded pprofs (the stand-in is stopped by the superclass). */
    @AfterAll
    static void deleteRecordings() throws IOException {
        if (dir != null) {
            try (Stream<Path> files = Files.walk(dir)) {
                files.sorted(Comparator.reverseOrder()).forEach(p -> p.toFile().delete());
            }
        }
    }

    private JsonNode analyse(String baseline, String canary) {
        String body = """
                {"application": "enrich",
                 "baseline": {"labels": {"rollouts_pod_template_hash": "%s"}},
                 "canary": {"labels": {"rollouts_pod_template_hash": "%s"}},
                 "start": "%s", "end": "%s", "profileTypes": ["alloc_bytes"]}""".formatted(baseline, canary, T0,
                T0.plus(SLICE.multipliedBy(4)));
        return analyses(body);
    }

    /**
     * The A/A through Pyroscope: the bytes' pprof has no sample counts, and the service took them as unknown, so no
     * sampling noise was modelled and a rarely sampled allocation (AQS wait nodes under {@code OpenLoopPod.serve},
     * q = 0.005) FAILed. The objects series beside the bytes counts the samples, as the files' events do.
     */
    @Test
    void theUnchangedBuildDoesNotFailThroughPyroscope() {
        JsonNode verdict = analyse("base", "same");
        String summary = verdict.path("summary").asString();
        assertThat(verdict.path("result").asString()).as(summary).isNotEqualTo("FAIL");
        assertThat(verdict.path("dataQuality").toString()).as(summary).doesNotContain("sample counts unknown");
    }

    /**
     * Pyroscope serves every slice's bytes but cannot give one slice's object count (its SelectSeries refused after
     * retries; a time-out does the same): the other slices' counts are kept and the missing one is estimated from the
     * same pod's, and the notes say so. One such slice switched the whole type to the model without counts, silently:
     * an A/A through the service became INCONCLUSIVE ("could not detect any rise in a function at 5 % of allocated
     * bytes", a minimum detectable change of 10^72 %), which failed the CI of a stop.
     */
    @Test
    void aSliceWhoseObjectCountPyroscopeCannotGiveCostsNoCounts() {
        pyroscope.fail(PyroscopeStandIn.Route.SELECT_SERIES, PyroscopeStandIn.Fault.error(503, "unavailable")
                .onlyFor(Map.of("pod", "b5")).endingBy(T0.plus(SLICE)));
        try {
            JsonNode verdict = analyse("base", "same");
            String summary = verdict.path("summary").asString();
            assertThat(verdict.path("result").asString()).as(summary).isNotEqualTo("FAIL");
            JsonNode alloc = verdict.path("dataQuality").path("types").get(0);
            assertThat(alloc.path("canary").path("samples").isNumber()).as(alloc.toString()).isTrue();
            assertThat(alloc.path("notes").toString()).doesNotContain("sample counts unknown")
                    .contains("the sample counts of 1 of ").contains("estimated from the same pod's other profiles");
            assertThat(alloc.path("minimumDetectableChange5pct").asDouble()).as(alloc.toString()).isLessThan(10);
        } finally {
            pyroscope.clearFaults();
        }
    }

    /**
     * The larger frame buffer leads the verdict in alloc_bytes at the method that allocates it, as from the files. From
     * Pyroscope the pprof has no sample counts for alloc_bytes, so the noise is learned from slices and pods only and
     * 3 + 2 pods cannot show this function's own spread: INCONCLUSIVE naming it (from the files, 2 + 2 and 3 + 3 FAIL).
     */
    @Test
    void aLargerBufferIsNamedAtItsMethodThroughPyroscope() {
        JsonNode verdict = analyse("base", "bigbuf");
        String summary = verdict.path("summary").asString();
        assertThat(verdict.path("result").asString()).as(summary).isIn("FAIL", "INCONCLUSIVE");
        assertThat(summary).contains("EnrichPod$Framer.frame` +");
        JsonNode lead = verdict.path("incidents").get(0);
        assertThat(lead.path("profileType").asString()).as(summary).isEqualTo("alloc_bytes");
        assertThat(lead.path("entryFrame").asString()).as(summary).endsWith("EnrichPod$Framer.frame");
    }
}
