package io.canaryjudge.memory;

import static org.assertj.core.api.Assertions.assertThat;

import io.canaryjudge.CanaryJudgeApplication;
import io.canaryjudge.ServiceOnPrometheus;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import org.junit.jupiter.api.Test;
import org.springframework.boot.test.context.SpringBootTest;
import org.springframework.test.context.DynamicPropertyRegistry;
import org.springframework.test.context.DynamicPropertySource;
import tools.jackson.databind.JsonNode;

/**
 * {@code POST /api/v1/analyses} answers MEMORY_GROWTH: the service fetches each pod's heap after GC from a real
 * Prometheus (the Debian package) holding the recorded pods' Micrometer scrapes (backfilled, labels
 * {@code app}, {@code pod}, {@code track}, {@code scenario}), over the request's window and one earlier window,
 * and the pods' live-object profiles from a local directory (their own timestamps). A heap query Prometheus
 * refuses is no memory check (a PASS would be INCONCLUSIVE: {@link HeapSourceDownServiceTest}), one that finds no
 * series a data-quality warning ({@link HeapWithoutSeriesServiceTest}); neither fails the analysis.
 */
@SpringBootTest(classes = CanaryJudgeApplication.class, webEnvironment = SpringBootTest.WebEnvironment.RANDOM_PORT,
        properties = {"canary-judge.local.match-windows=true", "canary-judge.analysis.warmup=0s",
                "canary-judge.analysis.deadline=60s", "canary-judge.analysis.history-windows=1",
                "canary-judge.prometheus.application-label=app", "canary-judge.prometheus.timeout=20s",
                "canary-judge.prometheus.gates.error-ratio.enabled=false",
                "canary-judge.prometheus.gates.latency-p99.enabled=false",
                "canary-judge.configs.otel.heap.exporter=opentelemetry",
                "canary-judge.configs.refused.heap.after-gc=sum by ({{instance_label}}) (no_such_function(jvm_memory_used_bytes{{{selector}}}))"})
class MemoryGrowthServiceTest extends ServiceOnPrometheus {
    static final Path ROOT = Path.of("target", "memory-service-" + UUID.randomUUID()).toAbsolutePath();
    static final List<String> PODS = List.of("baseline-1", "baseline-2", "baseline-3", "leak-sessions-1",
            "leak-sessions-2", "leak-sessions-3", "aa-1", "aa-2", "aa-3");
    static Map<String, RecordedPod> pods;

    @DynamicPropertySource
    static void properties(DynamicPropertyRegistry registry) {
        serve(registry, ROOT.resolve("profiles"), () -> {
            Map<String, RecordedPod> all = RecordedPod.loadAll(RecordedPod.folder());
            pods = new LinkedHashMap<>();
            for (String name : PODS) {
                pods.put(name, all.get(name));
                all.get(name).copyProfilesForService(RecordedPod.folder(), ROOT.resolve("profiles/orders").resolve(name));
            }
            return RecordedPrometheus.start(RecordedPod.folder(), pods, Files.createDirectories(ROOT));
        }, RecordedPrometheus::baseUrl);
        // named configs whose memory check looks at the last 45 minutes of heap, or at the analysis window alone
        Path judgeConfig = ROOT.resolve("judge.yaml");
        try {
            Files.writeString(judgeConfig, "services:\n  wide:\n    memoryGrowth: {window: 45m}\n"
                    + "  narrow:\n    memoryGrowth: {window: 0s}\n");
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
        registry.add("canary-judge.judge-config.file", judgeConfig::toString);
    }

    /** 15 minutes of the canary pods' life from minute 20 (past the warm-up), against the baseline pods. */
    private JsonNode analyse(String scenario, String config) {
        return analyse(scenario, config, Duration.ofMinutes(20));
    }

    /** 15 minutes of the canary pods' life from about {@code age} after their JVMs started. */
    private JsonNode analyse(String scenario, String config, Duration age) {
        Instant start = Instant.ofEpochMilli(pods.get(scenario + "-1").jvmStartMillis()).plus(age)
                .truncatedTo(java.time.temporal.ChronoUnit.MINUTES);
        String body = """
                {"application": "orders",
                 "baseline": {"labels": {"track": "baseline"}},
                 "canary": {"labels": {"track": "canary", "scenario": "%s"}},
                 "start": "%s", "end": "%s", "profileTypes": ["live_bytes"]%s}"""
                .formatted(scenario, start, start.plus(Duration.ofMinutes(15)),
                        config == null ? "" : ", \"config\": \"" + config + "\"");
        return analyses(body);
    }

    @Test
    void aLeakingCanaryFailsWithMemoryGrowthNamedAtTheLeakingSite() {
        JsonNode verdict = analyse("leak-sessions", null);

        assertThat(verdict.get("result").asString()).as(verdict.toString()).isEqualTo("FAIL");
        assertThat(verdict.get("summary").asString()).startsWith("FAIL: canary retains +");
        JsonNode first = verdict.get("findings").get(0);
        assertThat(first.get("kind").asString()).isEqualTo("MEMORY_GROWTH");
        assertThat(first.get("function").asString()).isEqualTo("io.canaryjudge.memory.app.SessionRegistry.register");
        assertThat(verdict.get("incidents").get(0).get("kind").asString()).isEqualTo("MEMORY_GROWTH");
        JsonNode memory = verdict.get("dataQuality").get("memory");
        assertThat(memory.get("judged").asBoolean()).isTrue();
        // 3 baseline and 3 canary pods in the window, and the baseline pods' earlier window as history
        assertThat(memory.get("pods")).hasSize(9);
        assertThat(verdict.get("dataQuality").get("warnings").toString()).doesNotContain("heap after GC");
    }

    @Test
    void anAaCanaryHasNoMemoryGrowthWithItsHeapJudged() {
        JsonNode verdict = analyse("aa", null);

        // live_bytes alone is no fail-on type (a young pod's warming cache moves its live set): the profiles leave
        // the verdict INCONCLUSIVE, and the memory check, judged, adds no growth to it.
        assertThat(verdict.get("result").asString()).as(verdict.toString()).isNotEqualTo("FAIL");
        assertThat(verdict.get("summary").asString()).contains("no abnormal heap growth after GC");
        assertThat(verdict.get("findings").toString()).doesNotContain("MEMORY_GROWTH");
        assertThat(verdict.get("dataQuality").get("memory").get("judged").asBoolean()).isTrue();
    }

    @Test
    void aYoungLeakingCanaryIsComparedWithTheBaselinePodsAtTheSameAge() {
        // Minutes 1–16 of the canary pods: inside the 20-minute warm-up, while the stable version's cache warms too.
        // The service fetches each baseline pod's own minutes 1–16 (20 minutes before the canaries started).
        JsonNode verdict = analyse("leak-sessions", null, Duration.ofMinutes(2));

        assertThat(verdict.get("result").asString()).as(verdict.toString()).isEqualTo("FAIL");
        assertThat(verdict.get("findings").get(0).get("kind").asString()).isEqualTo("MEMORY_GROWTH");
        JsonNode memory = verdict.get("dataQuality").get("memory");
        assertThat(memory.get("reference").asString()).contains("baseline window(s) at the canary pods' age");
        assertThat(memory.get("notes").toString()).contains("pods at the same age (history)");
    }

    @Test
    void aYoungAaCanaryIsNotMistakenForALeakWhileItsCacheWarms() {
        JsonNode verdict = analyse("aa", null, Duration.ofMinutes(2));

        assertThat(verdict.get("findings").toString()).as(verdict.toString()).doesNotContain("MEMORY_GROWTH");
        JsonNode memory = verdict.get("dataQuality").get("memory");
        assertThat(memory.get("judged").asBoolean()).isTrue();
        assertThat(memory.get("reference").asString()).contains("baseline window(s) at the canary pods' age");
    }

    @Test
    void aHeapQueryPrometheusRefusesIsAWarningNotAFailedAnalysis() {
        JsonNode verdict = analyse("leak-sessions", "refused");

        assertThat(verdict.get("result").asString()).as(verdict.toString()).isNotEqualTo("FAIL");
        assertThat(verdict.get("findings").toString()).doesNotContain("MEMORY_GROWTH");
        JsonNode memory = verdict.get("dataQuality").get("memory");
        assertThat(memory == null || memory.isNull()).as(String.valueOf(memory)).isTrue();
        assertThat(verdict.get("dataQuality").get("warnings").toString())
                .contains("heap after GC: the baseline pods' heap could not be read from Prometheus")
                .contains("no_such_function").contains("memory growth not judged");
    }

    @Test
    void aQueryForAnotherExporterFindsNoSeriesAndSaysSo() {
        JsonNode verdict = analyse("leak-sessions", "otel");

        assertThat(verdict.get("findings").toString()).doesNotContain("MEMORY_GROWTH");
        assertThat(verdict.get("dataQuality").get("warnings").toString())
                .contains("heap after GC: Prometheus has no series for the baseline or canary pods");
    }

    @Test
    void aLongerMemoryWindowJudgesTheHeapOverItWhateverTheAnalysisWindow() {
        // The same 15-minute analysis (canary minutes 35–50) with memoryGrowth.window 0s (the analysis window) and
        // 45m: the heap from 45 minutes back, the canary pods' from their minute 20 (their first 20 minutes are
        // warm-up), the baseline pods' from 35.
        JsonNode narrow = analyse("leak-sessions", "narrow", Duration.ofMinutes(35));
        JsonNode wide = analyse("leak-sessions", "wide", Duration.ofMinutes(35));

        assertThat(span(wide, "canary")).isGreaterThan(25.0);
        assertThat(span(wide, "baseline")).isGreaterThan(40.0);
        assertThat(span(narrow, "canary")).isLessThan(16.0);
        assertThat(span(narrow, "baseline")).isLessThan(16.0);
        assertThat(wide.get("result").asString()).isEqualTo("FAIL");
        assertThat(wide.get("findings").get(0).get("kind").asString()).isEqualTo("MEMORY_GROWTH");
    }

    /** The longest span of a group's pods' heap points in a verdict, minutes. */
    private static double span(JsonNode verdict, String group) {
        double longest = 0;
        for (JsonNode pod : verdict.get("dataQuality").get("memory").get("pods")) {
            if (!pod.get("group").asString().equals(group)) {
                continue;
            }
            JsonNode window = pod.get("windowPoints");
            JsonNode points = window == null || window.isEmpty() ? pod.get("points") : window;
            double minutes = (points.get(points.size() - 1).get(0).asLong() - points.get(0).get(0).asLong()) / 60_000.0;
            longest = Math.max(longest, minutes);
        }
        return longest;
    }
}
