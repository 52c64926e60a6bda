package io.canaryjudge.qa87;

import static org.assertj.core.api.Assertions.assertThat;

import java.nio.file.Path;
import java.util.List;
import java.util.UUID;
import org.junit.jupiter.api.Test;
import org.springframework.test.context.DynamicPropertyRegistry;
import org.springframework.test.context.DynamicPropertySource;
import tools.jackson.databind.JsonNode;

/**
 * qa83's recording (src/test/resources/qa83: goroutine profiles and scrapes) with r1's and r2's heap profiles
 * (src/test/resources/qa87/qa83-heap, their live objects), through the service and the Pyroscope stand-in. r1, an
 * unchanged canary whose HTTP/2 connections go from 10 to 200, FAILed on the heap before qa87: +4.7 MiB per 10 min after
 * GC, the ~37 KiB each open connection holds (HPACK tables, write scheduler, TLS and frame buffers).
 */
class GoHttp2ConnectionHeapServiceTest extends Http2HeapThroughPyroscope {
    static final Path FOLDER = Path.of("src", "test", "resources", "qa83", "pods");
    static final Path HEAP = Path.of("src", "test", "resources", "qa87", "qa83-heap");
    static final Path ROOT = Path.of("target", "qa87-qa83-" + UUID.randomUUID()).toAbsolutePath();

    @DynamicPropertySource
    static void properties(DynamicPropertyRegistry registry) {
        serve(registry, FOLDER, ROOT, List.of(HEAP.resolve("r1"), HEAP.resolve("r2")));
    }

    /**
     * r1 over minutes 2-17, as qa83 judged it: its heap rise is reported as open connections, not failed; its goroutines
     * too. Fails before qa87 (FAIL "canary retains +4.7 MiB per 10 min after GC").
     */
    @Test
    void anUnchangedCanaryWhoseHttp2ConnectionsGrowIsNotFailedForItsHeap() {
        JsonNode r1 = analyse("r1", 17, 15, "qa87 qa83-data");

        assertThat(r1.get("result").asString()).as(r1.toString()).isNotEqualTo("FAIL");
        JsonNode heap = heapFinding(r1);
        assertThat(heap).as(r1.toString()).isNotNull();
        assertThat(heap.get("failing").asBoolean()).isFalse();
        assertThat(heap.get("explanation").asString()).contains("Reported only: the rise is open connections");
        assertThat(r1.get("dataQuality").get("memory").get("notes").get(0).asString())
                .startsWith("the heap's rise is open connections, not a leak");
    }

    /** r2, qa74's goroutine leak beside the same step: still FAILs on its goroutines, named where they wait. */
    @Test
    void aGoroutineLeakBesideTheStepStillFails() {
        JsonNode r2 = analyse("r2", 17, 15, "qa87 qa83-data");

        assertThat(r2.get("result").asString()).as(r2.toString()).isEqualTo("FAIL");
        assertThat(r2.get("summary").asString()).contains("goroutines grow").contains("`main.awaitAck`");
    }
}
