package io.canaryjudge.qa69;

import static org.assertj.core.api.Assertions.assertThat;

import io.canaryjudge.CanaryJudgeApplication;
import io.canaryjudge.memory.ScrapedPod;
import io.canaryjudge.memory.ScrapedPodsService;
import io.canaryjudge.metrics.testing.PrometheusProcess;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.time.temporal.ChronoUnit;
import java.util.UUID;
import org.junit.jupiter.api.Test;
import org.springframework.boot.test.context.SpringBootTest;
import org.springframework.test.context.DynamicPropertyRegistry;
import org.springframework.test.context.DynamicPropertySource;
import tools.jackson.databind.JsonNode;

/**
 * Go pods' memory growth through the service as Argo Rollouts asks it, their client_golang 1.14 scrapes (Go 1.19) backfilled
 * into a real Prometheus (src/test/resources/qa69/memory, README there): {@code heap.exporter: client-golang} asks
 * {@code go_memstats_heap_alloc_bytes} at its lowest per minute. Before qa69 no heap query fitted a Go service: every one
 * asked JVM metrics, Prometheus had no series, and a leaking Go canary's memory growth was not judged.
 */
@SpringBootTest(classes = CanaryJudgeApplication.class, webEnvironment = SpringBootTest.WebEnvironment.RANDOM_PORT,
        properties = {"canary-judge.analysis.warmup=0s", "canary-judge.analysis.deadline=60s",
                "canary-judge.analysis.history-windows=1", "canary-judge.prometheus.application-label=app",
                "canary-judge.prometheus.timeout=20s", "canary-judge.prometheus.exporter=jmx-exporter",
                "canary-judge.prometheus.heap.exporter=client-golang"})
class GoMemoryGrowthServiceTest extends ScrapedPodsService {
    static final Path FOLDER = Path.of("src", "test", "resources", "qa69", "memory", "pods");
    static final Path ROOT = Path.of("target", "qa69-service-" + UUID.randomUUID()).toAbsolutePath();
    static final String APP = "gopod";

    @DynamicPropertySource
    static void properties(DynamicPropertyRegistry registry) {
        serve(registry, ROOT.resolve("profiles"), () -> {
            prometheus = backfill(FOLDER, ROOT, APP, "{heap-20.pb.gz,heap-21.pb.gz,labels.properties}");
            return prometheus;
        }, PrometheusProcess::baseUrl);
    }

    /** The canary pod {@code pod} against b1-b3 over the 15 minutes ending 21 minutes after the first process started. */
    private JsonNode analyse(String pod) {
        long firstStart = pods.stream().mapToLong(ScrapedPod::jvmStartMillis).min().orElseThrow();
        Instant end = Instant.ofEpochMilli(firstStart).plus(Duration.ofMinutes(21)).truncatedTo(ChronoUnit.MINUTES);
        return analyses("""
                {"application": "%s", "baseline": {"labels": {"track": "baseline"}},
                 "canary": {"labels": {"track": "canary", "replica": "%s"}},
                 "start": "%s", "end": "%s", "profileTypes": ["live_bytes"]}"""
                .formatted(APP, pod, end.minus(Duration.ofMinutes(15)), end));
    }

    /** A map never pruned, 0.7 MiB a minute: fails as memory growth, named where Go's heap profile puts it. */
    @Test
    void aGoCanaryThatKeepsEveryOrderFailsOnItsHeap() throws IOException {
        JsonNode verdict = analyse("l1");

        assertThat(verdict.get("result").asString()).as(verdict.toString()).isEqualTo("FAIL");
        JsonNode finding = verdict.get("findings").get(0);
        assertThat(finding.get("kind").asString()).isEqualTo("MEMORY_GROWTH");
        // Go 1.19 compiles rememberOrder's make+copy into a direct runtime.mallocgc call and its heap profile skips the
        // allocating frame: the copies are under main.handle in Go's own profile (go tool pprof -traces)
        assertThat(finding.get("function").asString()).isEqualTo("main.handle");
        assertThat(verdict.get("summary").asString()).contains("MiB per 10 min");
    }

    @Test
    void anUnchangedGoCanaryDoesNotFailOnItsHeap() {
        JsonNode verdict = analyse("b4");

        assertThat(growth(verdict)).as(verdict.toString()).isEmpty();
        assertThat(verdict.get("result").asString()).isNotEqualTo("FAIL");
        // judged: each pod's heap came from Prometheus
        assertThat(verdict.get("dataQuality").get("memory").get("pods")).isNotEmpty();
        assertThat(verdict.get("dataQuality").get("warnings").toString()).doesNotContain("Prometheus has no series");
    }
}
