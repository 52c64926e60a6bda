package io.canaryjudge.qa87;

import static org.assertj.core.api.Assertions.assertThat;

import io.canaryjudge.profile.testing.PyroscopeStandIn.Call;
import io.canaryjudge.profile.testing.PyroscopeStandIn.Route;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.UUID;
import io.canaryjudge.profile.testing.PyroscopeStandIn.Fault;
import java.util.Map;
import org.junit.jupiter.api.MethodOrderer;
import org.junit.jupiter.api.Order;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestMethodOrder;
import org.springframework.test.context.DynamicPropertyRegistry;
import org.springframework.test.context.DynamicPropertySource;
import tools.jackson.databind.JsonNode;

/**
 * An analysis window wholly after a weight step (qa87's session, src/test/resources/qa87/pods: r1 and l1 step from 10
 * to 200 HTTP/2 connections over minutes 0-10, then stay at 200 to minute 22), judged over minutes 12-22. The service
 * judges the heap over {@code memoryGrowth.window} (30 min by default) before the window's end, so the heap's series
 * holds the step while the analysis window's own goroutine and heap profiles show no connections rising: the open
 * connections are judged from the canary's profiles over the heap's window, fetched only when the heap FAILs
 * (docs/EVALUATION.md "(qa87)", "A window after the step").
 */
@TestMethodOrder(MethodOrderer.OrderAnnotation.class)
class GoHttp2PlateauWindowServiceTest extends Http2HeapThroughPyroscope {
    static final Path FOLDER = Path.of("src", "test", "resources", "qa87", "pods");
    static final Path ROOT = Path.of("target", "fix87w-plateau-" + UUID.randomUUID()).toAbsolutePath();
    /** The plateau: minutes 12-22, after the step ended at minute 10. */
    static final int END = 22;
    static final int MINUTES = 10;

    @DynamicPropertySource
    static void properties(DynamicPropertyRegistry registry) {
        serve(registry, FOLDER, ROOT, List.of());
    }

    /**
     * The unchanged canary's heap rise over the heap's window is its open connections, seen in its profiles over that
     * window: reported, not failed. Fails before (FAIL "canary retains +3.7 MiB per 10 min after GC": the analysis
     * window's profiles saw no connections rising). The canary's profiles were asked for from before the window.
     */
    @Test
    @Order(1)
    void anUnchangedCanaryJudgedAfterItsStepIsNotFailedForItsHeap() {
        JsonNode r1 = analyse("r1", END, MINUTES, "fix87w plateau");

        assertThat(r1.get("result").asString()).as(r1.toString()).isNotEqualTo("FAIL");
        JsonNode heap = heapFinding(r1);
        assertThat(heap).as(r1.toString()).isNotNull();
        assertThat(heap.get("failing").asBoolean()).as(r1.toString()).isFalse();
        assertThat(heap.get("explanation").asString()).contains("Reported only: the rise is open connections");
        assertThat(canaryCallsBeforeTheWindow("r1")).isNotEmpty();
    }

    /** l1's heap leak beside the same step still FAILs over the same window, named where Go records it. */
    @Test
    @Order(2)
    void aHeapLeakBesideTheStepStillFailsAfterIt() {
        JsonNode l1 = analyse("l1", END, MINUTES, "fix87w plateau");

        assertThat(l1.get("result").asString()).as(l1.toString()).isEqualTo("FAIL");
        JsonNode heap = heapFinding(l1);
        assertThat(heap).as(l1.toString()).isNotNull();
        assertThat(heap.get("failing").asBoolean()).isTrue();
        assertThat(l1.get("summary").asString()).contains("after GC").contains("`main.handle`");
    }

    /**
     * When the canary's profiles before the analysis window cannot be read, the connections are judged as without them
     * (r1 FAILs on its heap as before) and a warning says so. Last: its failing calls count against the application's
     * circuit.
     */
    @Test
    @Order(3)
    void profilesOverTheHeapWindowThatCannotBeReadAreAWarning() {
        Instant start = end(END).minus(Duration.ofMinutes(MINUTES));
        pyroscope.fail(Route.SELECT_MERGE_PROFILE, Fault.error(400, "invalid_argument").onlyFor(Map.of("replica", "r1"))
                .endingBy(start));
        try {
            JsonNode r1 = analyse("r1", END, MINUTES, "fix87w plateau, earlier profiles unreadable");

            assertThat(r1.get("result").asString()).as(r1.toString()).isEqualTo("FAIL");
            assertThat(heapFinding(r1).get("failing").asBoolean()).isTrue();
            assertThat(r1.get("dataQuality").get("warnings").toString())
                    .contains("goroutine and heap profiles over the heap's window")
                    .contains("judged from the analysis window's profiles");
        } finally {
            pyroscope.clearFaults();
        }
    }

    /** The stand-in's profile queries for the pod {@code replica} alone that start before the analysis window. */
    private static List<Call> canaryCallsBeforeTheWindow(String replica) {
        Instant start = end(END).minus(Duration.ofMinutes(MINUTES));
        return pyroscope.calls(Route.SELECT_MERGE_PROFILE).stream()
                .filter(c -> replica.equals(c.selector().get("replica")) && c.startMs() < start.toEpochMilli())
                .toList();
    }
}
