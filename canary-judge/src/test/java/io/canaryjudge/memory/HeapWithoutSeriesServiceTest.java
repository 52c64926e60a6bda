package io.canaryjudge.memory;

import static org.assertj.core.api.Assertions.assertThat;

import io.canaryjudge.CanaryJudgeApplication;
import io.canaryjudge.ServiceOnPrometheus;
import io.canaryjudge.metrics.testing.PrometheusProcess;
import java.nio.file.Path;
import java.time.Duration;
import java.util.UUID;
import org.junit.jupiter.api.Test;
import org.springframework.boot.test.context.SpringBootTest;
import org.springframework.test.context.DynamicPropertyRegistry;
import org.springframework.test.context.DynamicPropertySource;
import tools.jackson.databind.JsonNode;

/**
 * A real Prometheus that is up but holds no heap series for the pods (it scrapes nothing: an application that
 * exports no JVM metrics): no memory check from it, and no reason to hold back a PASS. Where the pods have heap files
 * (heap.csv) the service judges those instead.
 */
@SpringBootTest(classes = CanaryJudgeApplication.class, webEnvironment = SpringBootTest.WebEnvironment.RANDOM_PORT,
        properties = {"canary-judge.analysis.deadline=60s", "canary-judge.prometheus.timeout=20s"})
class HeapWithoutSeriesServiceTest extends ServiceOnPrometheus {
    static final Path ROOT = Path.of("target", "heap-no-series-" + UUID.randomUUID()).toAbsolutePath();

    @DynamicPropertySource
    static void properties(DynamicPropertyRegistry registry) {
        HeapFilePods.write(ROOT);
        serve(registry, ROOT, () -> PrometheusProcess.scraping("", Duration.ofMinutes(1)), PrometheusProcess::baseUrl);
    }

    private JsonNode analyse(String application, String canaryTrack) {
        return analyses(HeapFilePods.request(application, canaryTrack));
    }

    @Test
    void aCanaryWhosePodsExportNoHeapMetricPassesWithAWarning() {
        JsonNode verdict = analyse(HeapFilePods.WITHOUT_HEAP, "flat");

        assertThat(verdict.get("result").asString()).as(verdict.toString()).isEqualTo("PASS");
        assertThat(verdict.get("dataQuality").get("warnings").toString())
                .contains("heap after GC: Prometheus has no series for the baseline or canary pods")
                .contains("memory growth not judged");
        JsonNode memory = verdict.get("dataQuality").get("memory");
        assertThat(memory == null || memory.isNull()).as(String.valueOf(memory)).isTrue();
    }

    @Test
    void withoutSeriesInPrometheusThePodsHeapCsvIsJudged() {
        JsonNode verdict = analyse(HeapFilePods.APPLICATION, "leak");

        assertThat(verdict.get("result").asString()).as(verdict.toString()).isEqualTo("FAIL");
        assertThat(verdict.get("findings").get(0).get("kind").asString()).isEqualTo("MEMORY_GROWTH");
        assertThat(verdict.get("dataQuality").get("warnings").toString())
                .contains("Prometheus has no series for the baseline or canary pods; judged from the local source's files");
    }
}
