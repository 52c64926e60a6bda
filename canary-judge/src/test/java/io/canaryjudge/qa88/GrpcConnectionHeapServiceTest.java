package io.canaryjudge.qa88;

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
 * qa88's gRPC-go pods (src/test/resources/qa88: goroutine profiles and scrapes, README there) with the canaries' and b1's
 * heap profiles (their live objects, {@code heap/}), through the service and the Pyroscope stand-in, as qa87's
 * {@code GoHttp2ConnectionHeapServiceTest} judges HTTP/2 pods. gRPC-go gives each server connection a 64 KiB write and a
 * 32 KiB read buffer under {@code grpc.(*Server).handleRawConn}; before fix88h none of it counted as the connections',
 * so the unchanged r1 (10 → 200 connections) had +2.5 MiB an hour taken off its heap's ~+100.
 */
class GrpcConnectionHeapServiceTest extends Http2HeapThroughPyroscope {
    static final Path FOLDER = Path.of("src", "test", "resources", "qa88", "pods");
    static final Path HEAP = Path.of("src", "test", "resources", "qa88", "heap");
    static final Path ROOT = Path.of("target", "fix88h-" + UUID.randomUUID()).toAbsolutePath();
    /** Bytes in a mebibyte. */
    static final double MIB = 1024.0 * 1024.0;

    @DynamicPropertySource
    static void properties(DynamicPropertyRegistry registry) {
        serve(registry, FOLDER, ROOT, List.of(HEAP.resolve("b1"), HEAP.resolve("r1"), HEAP.resolve("r2"),
                HEAP.resolve("h1")), "grpcpod");
    }

    /**
     * r1 over minutes 2-17: the rise of the live bytes under gRPC's connection frames is taken off its heap after GC,
     * leaving a canary slope under 45 MiB an hour (before fix88h the 0.5 MiB of HPACK tables under the reader, +2.5 MiB
     * an hour, at least +0.0, left +16.7 MiB per 10 min, ~100 an hour).
     */
    @Test
    void grpcConnectionsBuffersAreTakenOffAnUnchangedCanarysHeap() {
        JsonNode r1 = analyse("r1", 17, 15, "fix88h service");

        JsonNode heap = heapFinding(r1);
        assertThat(heap).as(r1.toString()).isNotNull();
        assertThat(r1.get("dataQuality").get("memory").get("notes").get(0).asString())
                .contains("gRPC's connection serving");
        assertThat(heap.get("canary").asDouble() / MIB).as(r1.toString()).isLessThan(45);
    }

    /** r2 and h1, the leaks beside the same step: FAIL, named where their goroutines wait. */
    @Test
    void aLeakBesideTheStepStillFailsNamingWhereItWaits() {
        for (String pod : List.of("r2", "h1")) {
            JsonNode verdict = analyse(pod, 17, 15, "fix88h service");

            assertThat(verdict.get("result").asString()).as(pod + ": " + verdict).isEqualTo("FAIL");
            assertThat(verdict.get("summary").asString()).as(pod).contains("goroutines grow").contains("`main.awaitAck`");
        }
    }
}
