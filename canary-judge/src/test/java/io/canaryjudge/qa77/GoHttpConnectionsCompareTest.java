package io.canaryjudge.qa77;

import static org.assertj.core.api.Assertions.assertThat;

import io.canaryjudge.SharedFixtures;
import io.canaryjudge.cli.CompareJson;
import io.canaryjudge.qa74.GoConnectionVerdicts;
import io.canaryjudge.qa74.GoroutineInstances;
import java.io.IOException;
import java.nio.file.Path;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import tools.jackson.databind.JsonNode;

/**
 * {@code compare} over Go {@code net/http} servers' goroutine profiles, one saved a minute (src/test/resources/qa77,
 * README there): each profile's total is the pod's goroutines, and a server runs one per open connection. An unchanged
 * canary whose keep-alive connections went from 10 to 200 FAILed as a goroutine leak before qa77; now its rise is read
 * as connections, while a leak beside the same growth still FAILs, named among the goroutines outside connection serving.
 */
class GoHttpConnectionsCompareTest {
    static final Path PODS = SharedFixtures.projectRoot().resolve("canary-judge/src/test/resources/qa77/pods");
    static final List<String> BASELINE = List.of("b1", "b2", "b3");

    /** The instance folders compare reads: the goroutine profiles and requests.csv, not the scrapes. */
    private static Path pods(Path temp) throws IOException {
        return GoroutineInstances.copy(PODS, temp, List.of("b1", "b2", "b3", "s1", "r1", "r2", "h1", "c1", "c2"));
    }

    private static JsonNode compare(Path pods, String canary) {
        JsonNode verdict = CompareJson.of(pods, BASELINE, List.of(canary), List.of());
        // the figures docs/EVALUATION.md "(qa77)" quotes
        System.err.println("qa77 compare " + canary + ": " + verdict.path("summary").asString() + " | "
                + verdict.path("dataQuality").path("warnings"));
        return verdict;
    }

    @Test
    void anUnchangedCanaryWhoseConnectionsGrowDoesNotFail(@TempDir Path temp) throws IOException {
        Path pods = pods(temp);
        for (String canary : List.of("r1", "s1", "c1")) {
            JsonNode verdict = compare(pods, canary);

            assertThat(verdict.path("result").asString()).as(canary + ": " + verdict).isNotEqualTo("FAIL");
            assertThat(verdict.path("findings").toString()).as(canary).doesNotContain("\"failing\":true");
        }
        assertThat(compare(pods, "r1").toString()).contains("Reported only: the rise is open connections, not a leak");
    }

    @Test
    void aLeakBesideGrowingConnectionsStillFailsNamingWhereItWaits(@TempDir Path temp) throws IOException {
        Path pods = pods(temp);
        for (String canary : List.of("r2", "h1", "c2")) {
            GoConnectionVerdicts.assertLeakNamedAtAwaitAck(canary, compare(pods, canary));
        }
    }

    /**
     * h1's hung handlers with no application frame, as a handler of library code only ({@code httputil.ReverseProxy},
     * {@code http.FileServer}) hangs: h1's profiles with {@code main.awaitAck} and {@code main.serveOrders.func1}
     * renamed byte for byte to {@code sync.}-style library names (same length, so the protobuf stays valid). Still under
     * {@code net/http.serverHandler.ServeHTTP}, they are the service's: before the review fix they had no application
     * frame and were excused as open connections (INCONCLUSIVE, "the rise is open connections … 27 to 254").
     */
    @Test
    void aHungHandlerWithOnlyLibraryFramesStillFails(@TempDir Path temp) throws IOException {
        Path pods = pods(temp);
        assertThat(RenamedFrames.inGoroutineProfiles(pods.resolve("h1"), "main.awaitAck", "sync.awaitAck",
                "main.serveOrders.func1", "sync.serveOrders.func1")).isEqualTo(2);
        GoConnectionVerdicts.assertHungHandlersNotExcused(compare(pods, "h1"));
    }

    /**
     * b1's goroutine-03 and r1's goroutine-11 and -14 each hold a goroutine Go listed with no stack (a sample with no
     * locations): the goroutines are compared (over 1,000 in each group) and the empty stack is left to the total.
     * Before qa77 its leaf was read in CostOwners.below: an internal error (exit 70) for the whole comparison.
     */
    @Test
    void aGoroutineWithoutAStackIsComparedNotAnInternalError(@TempDir Path temp) throws IOException {
        JsonNode verdict = compare(pods(temp), "r1");

        assertThat(verdict.path("result").asString()).as(verdict.toString()).isEqualTo("INCONCLUSIVE");
        JsonNode type = verdict.path("dataQuality").path("types").get(0);
        assertThat(type.path("profileType").asString()).isEqualTo("goroutines");
        assertThat(type.path("judged").asBoolean()).as(type.toString()).isTrue();
    }
}
