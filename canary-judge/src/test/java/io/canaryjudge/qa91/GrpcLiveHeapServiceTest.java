package io.canaryjudge.qa91;

import static org.assertj.core.api.Assertions.assertThat;

import io.canaryjudge.qa87.Http2HeapThroughPyroscope;
import java.nio.file.Path;
import java.util.List;
import java.util.UUID;
import org.junit.jupiter.api.Test;
import org.springframework.test.context.DynamicPropertyRegistry;
import org.springframework.test.context.DynamicPropertySource;
import tools.jackson.databind.JsonNode;

/**
 * qa88's gRPC-go pods (src/test/resources/qa88: goroutine profiles and scrapes) through the service, a real Prometheus
 * backfilled with their client_golang scrapes and the Pyroscope stand-in serving every baseline pod's heap profiles (b1
 * from qa88/heap, b2 and b3 from qa91/qa88-heap: bench/qa91-heap.py) and the canaries'. The {@code client-golang}
 * preset's heap (the lowest {@code go_memstats_heap_alloc_bytes} a minute) holds garbage that grows with the heap goal:
 * the unchanged r1 (10 → 200 connections) rose +99 MiB an hour there, +69 in its heap profiles' live bytes, and FAILed
 * on the +38 left once its connections' buffers were taken off (docs/EVALUATION.md "(qa88)", "Go heap from the live set
 * (qa91)").
 */
class GrpcLiveHeapServiceTest extends Http2HeapThroughPyroscope {
    static final Path RESOURCES = Path.of("src", "test", "resources");
    static final Path ROOT = Path.of("target", "qa91-grpc-" + UUID.randomUUID()).toAbsolutePath();

    @DynamicPropertySource
    static void properties(DynamicPropertyRegistry registry) {
        Path qa88 = RESOURCES.resolve("qa88/heap");
        Path qa91 = RESOURCES.resolve("qa91/qa88-heap");
        serve(registry, RESOURCES.resolve("qa88/pods"), ROOT, List.of(qa88.resolve("b1"), qa91.resolve("b2"),
                qa91.resolve("b3"), qa88.resolve("r1"), qa88.resolve("r2"), qa88.resolve("h1")), "grpcpod");
    }

    /**
     * r1 over minutes 2-17: judged from its heap profiles' live bytes, less its connections' rise, its heap does not
     * FAIL; the scrape series' growth is reported with both series' slopes (fails before qa91: FAIL on the heap, +6.4 MiB
     * per 10 min beyond the connections').
     */
    @Test
    void anUnchangedCanarysGrpcStepIsNotFailedOnItsLiveHeap() {
        JsonNode r1 = analyse("r1", 17, 15, "qa91 grpc");
        assertEveryFetchRead(r1);

        assertThat(r1.get("result").asString()).as(r1.toString()).isNotEqualTo("FAIL");
        JsonNode heap = heapFinding(r1);
        assertThat(heap).as(r1.toString()).isNotNull();
        assertThat(heap.get("failing").asBoolean()).isFalse();
        assertThat(r1.get("dataQuality").get("memory").get("notes").toString())
                .contains("judged from Go's heap profiles");
    }

    /** r2 and h1, the goroutine leaks beside the same step: FAIL, named where their goroutines wait. */
    @Test
    void aLeakBesideTheStepStillFailsNamingWhereItWaits() {
        for (String pod : List.of("r2", "h1")) {
            JsonNode verdict = analyse(pod, 17, 15, "qa91 grpc");
            assertEveryFetchRead(verdict);

            assertThat(verdict.get("result").asString()).as(pod + ": " + verdict).isEqualTo("FAIL");
            assertThat(verdict.get("summary").asString()).as(pod).contains("goroutines grow").contains("`main.awaitAck`");
        }
    }
}
