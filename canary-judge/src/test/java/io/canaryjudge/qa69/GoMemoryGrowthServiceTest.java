package io.canaryjudge.qa69;

import static org.assertj.core.api.Assertions.assertThat;

import io.canaryjudge.memory.ScrapedGoPodsService;
import java.io.IOException;
import java.nio.file.Path;
import org.junit.jupiter.api.Test;
import org.springframework.test.context.DynamicPropertyRegistry;
import org.springframework.test.context.DynamicPropertySource;
import tools.jackson.databind.JsonNode;

/**
 * Go pods' memory growth through the service as Argo Rollouts asks it, their client_golang 1.14 scrapes (Go 1.19) backfilled
 * into a real Prometheus (src/test/resources/qa69/memory, README there): {@code heap.exporter: client-golang} asks
 * {@code go_memstats_heap_alloc_bytes} at its lowest per minute. Before qa69 no heap query fitted a Go service: every one
 * asked JVM metrics, Prometheus had no series, and a leaking Go canary's memory growth was not judged.
 */
class GoMemoryGrowthServiceTest extends ScrapedGoPodsService {
    @DynamicPropertySource
    static void properties(DynamicPropertyRegistry registry) {
        serveGoPods(registry, Path.of("src", "test", "resources", "qa69", "memory", "pods"), "qa69",
                "{heap-20.pb.gz,heap-21.pb.gz,labels.properties}");
    }

    /** The canary pod {@code pod} against b1-b3 over the 15 minutes ending 21 minutes after the first process started. */
    private JsonNode analyse(String pod) {
        return analyseGoPod(pod, 21, "live_bytes");
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
