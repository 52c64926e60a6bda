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
 * qa87's own recording (src/test/resources/qa87/pods, README there), made after the rule was decided on qa83's and
 * judged untouched: Go HTTP/2 pods over TLS, b1-b3 at 20 connections, r1 unchanged and l1 with a heap leak
 * ({@code main.rememberOrder} keeps a copy of an order, ~42 MiB an hour, inlined into {@code main.handle}) both stepping
 * from 10 to 200 connections over minutes 0-10, then flat at 200 to minute 22.
 */
class GoHttp2HeapStepAndLeakServiceTest extends Http2HeapThroughPyroscope {
    static final Path FOLDER = Path.of("src", "test", "resources", "qa87", "pods");
    static final Path ROOT = Path.of("target", "qa87-session-" + UUID.randomUUID()).toAbsolutePath();

    @DynamicPropertySource
    static void properties(DynamicPropertyRegistry registry) {
        serve(registry, FOLDER, ROOT, List.of());
    }

    /**
     * The analysis windows judged: the step (minutes 2-17, as qa83's), the step and its plateau (2-22), the plateau alone
     * (12-22). The service judges the heap and the goroutines over {@code memoryGrowth.window} (30 min) before the end,
     * the profiles over the analysis window only.
     */
    static final int[][] WINDOWS = {{17, 15}, {22, 20}, {22, 10}};

    /**
     * The unchanged canary is not failed on its heap where its profiles see the step (fails before qa87: FAIL "canary
     * retains +5.2 MiB per 10 min after GC" over 2-17, "+3.7 MiB" over 2-22). The plateau alone (its profiles see no
     * connections rising while the heap's 30 minutes hold the step) is asserted in
     * {@link GoHttp2PlateauWindowServiceTest}; here only that its goroutines are not failed.
     */
    @Test
    void anUnchangedCanaryWhoseHttp2ConnectionsStepUpIsNotFailedForItsHeap() {
        for (int[] window : new int[][] {WINDOWS[0], WINDOWS[1]}) {
            JsonNode r1 = analyse("r1", window[0], window[1], "qa87 session");

            assertThat(r1.get("result").asString()).as(r1.toString()).isNotEqualTo("FAIL");
            JsonNode heap = heapFinding(r1);
            assertThat(heap).as(r1.toString()).isNotNull();
            assertThat(heap.get("failing").asBoolean()).as(r1.toString()).isFalse();
            assertThat(heap.get("explanation").asString()).contains("Reported only: the rise is open connections");
        }
        JsonNode plateau = analyse("r1", WINDOWS[2][0], WINDOWS[2][1], "qa87 session");
        assertThat(growth(plateau)).as(plateau.toString()).doesNotContain("<goroutines>");
    }

    /** The heap leak beside the same step FAILs on the heap in every window, named where Go records it. */
    @Test
    void aHeapLeakBesideTheStepStillFailsNamingItsSite() {
        for (int[] window : WINDOWS) {
            JsonNode l1 = analyse("l1", window[0], window[1], "qa87 session");

            assertThat(l1.get("result").asString()).as(l1.toString()).isEqualTo("FAIL");
            JsonNode heap = heapFinding(l1);
            assertThat(heap).as(l1.toString()).isNotNull();
            assertThat(heap.get("failing").asBoolean()).isTrue();
            assertThat(l1.get("summary").asString()).contains("after GC").contains("`main.handle`");
        }
    }
}
