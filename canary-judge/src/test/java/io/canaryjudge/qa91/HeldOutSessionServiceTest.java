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
 * qa91's held-out session (src/test/resources/qa91/session, README there: bench/qa91-record.sh), recorded while the
 * rule was written and judged only once it was committed: Go 1.19 HTTP/2 pods, b1-b3 at 20 connections, r1 unchanged and
 * l1 keeping ~0.7 MiB a minute in {@code main.handle}, both stepping from 10 to 200 connections over minutes 0-10, then
 * flat to minute 20; every pod's heap and goroutine profiles served by the Pyroscope stand-in, its client_golang scrapes
 * backfilled into a real Prometheus.
 */
class HeldOutSessionServiceTest extends Http2HeapThroughPyroscope {
    static final Path PODS = Path.of("src", "test", "resources", "qa91", "session", "pods");
    static final Path ROOT = Path.of("target", "qa91-session-" + UUID.randomUUID()).toAbsolutePath();
    /** The step and the start of its plateau (minutes 2-17), step and plateau (2-20), the plateau alone (10-20). */
    static final int[][] WINDOWS = {{17, 15}, {20, 18}, {20, 10}};

    @DynamicPropertySource
    static void properties(DynamicPropertyRegistry registry) {
        serve(registry, PODS, ROOT, List.of(), "gopod");
    }

    /** The unchanged r1: not failed on its heap in any window. */
    @Test
    void theUnchangedCanaryIsNotFailedOnItsHeap() {
        for (int[] window : WINDOWS) {
            JsonNode r1 = analyse("r1", window[0], window[1], "qa91 held-out");
            assertEveryFetchRead(r1);

            assertThat(r1.get("result").asString()).as(r1.toString()).isNotEqualTo("FAIL");
        }
    }

    /** l1, the heap leak beside the step: FAIL on its heap in every window, naming {@code main.handle}. */
    @Test
    void theLeakFailsNamingItsSite() {
        for (int[] window : WINDOWS) {
            JsonNode l1 = analyse("l1", window[0], window[1], "qa91 held-out");
            assertEveryFetchRead(l1);

            assertThat(l1.get("result").asString()).as(l1.toString()).isEqualTo("FAIL");
            JsonNode heap = heapFinding(l1);
            assertThat(heap).as(l1.toString()).isNotNull();
            assertThat(heap.get("failing").asBoolean()).isTrue();
            assertThat(l1.get("summary").asString()).contains("after GC").contains("`main.handle`");
        }
    }
}
