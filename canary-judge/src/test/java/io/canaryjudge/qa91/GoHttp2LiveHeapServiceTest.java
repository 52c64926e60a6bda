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
 * qa87's Go HTTP/2 session (src/test/resources/qa87/pods) through the service with every baseline pod's heap profiles
 * (b1 there, b2 and b3 from qa91/qa87-heap: bench/qa91-heap.py), so that a failing client_golang heap is judged from
 * the profiles' live bytes ({@code GoLiveHeap}). l1 keeps ~42 MiB an hour in {@code main.handle} beside the same
 * connection step as the unchanged r1; its scrape series rose +81 MiB an hour, its profiles +41.
 */
class GoHttp2LiveHeapServiceTest extends Http2HeapThroughPyroscope {
    static final Path RESOURCES = Path.of("src", "test", "resources");
    static final Path ROOT = Path.of("target", "qa91-http2-" + UUID.randomUUID()).toAbsolutePath();
    /** The step (minutes 2-17), the step and its plateau (2-22), the plateau alone (12-22): end minute, minutes. */
    static final int[][] WINDOWS = {{17, 15}, {22, 20}, {22, 10}};

    @DynamicPropertySource
    static void properties(DynamicPropertyRegistry registry) {
        Path qa91 = RESOURCES.resolve("qa91/qa87-heap");
        serve(registry, RESOURCES.resolve("qa87/pods"), ROOT, List.of(qa91.resolve("b2"), qa91.resolve("b3")), "gopod");
    }

    /** The unchanged r1: its heap is reported, not failed, in every window. */
    @Test
    void theUnchangedCanaryIsNotFailedOnItsHeap() {
        for (int[] window : WINDOWS) {
            JsonNode r1 = analyse("r1", window[0], window[1], "qa91 http2");
            assertEveryFetchRead(r1);

            assertThat(r1.get("result").asString()).as(r1.toString()).isNotEqualTo("FAIL");
            JsonNode heap = heapFinding(r1);
            if (heap != null) {
                assertThat(heap.get("failing").asBoolean()).as(r1.toString()).isFalse();
            }
        }
    }

    /**
     * l1, a heap leak beside the step: FAIL on its live heap in every window, naming {@code main.handle}. Over the plateau
     * (12-22) the heap is judged from the profiles only because the baseline's were fetched over the heap's window too
     * (with the analysis window's alone the baseline covered none of the canary's first ages: the note was absent).
     */
    @Test
    void aHeapLeakBesideTheStepFailsOnItsLiveHeap() {
        for (int[] window : WINDOWS) {
            JsonNode l1 = analyse("l1", window[0], window[1], "qa91 http2");
            assertEveryFetchRead(l1);

            assertThat(l1.get("result").asString()).as(l1.toString()).isEqualTo("FAIL");
            JsonNode heap = heapFinding(l1);
            assertThat(heap).as(l1.toString()).isNotNull();
            assertThat(heap.get("failing").asBoolean()).isTrue();
            assertThat(l1.get("summary").asString()).contains("after GC").contains("`main.handle`");
            assertThat(l1.get("dataQuality").get("memory").get("notes").toString())
                    .contains("judged from Go's heap profiles");
        }
    }
}
