package io.canaryjudge.qa83;

import static org.assertj.core.api.Assertions.assertThat;

import io.canaryjudge.SharedFixtures;
import io.canaryjudge.qa77.RenamedFrames;
import io.canaryjudge.qa74.GoConnectionVerdicts;
import io.canaryjudge.qa74.GoroutineInstances;
import java.io.IOException;
import java.nio.file.Path;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import tools.jackson.databind.JsonNode;

/**
 * {@code compare} over Go servers speaking HTTP/2, one goroutine profile a minute (src/test/resources/qa83, README
 * there): over TLS with net/http's bundled http2 server ({@code pods/}), and in cleartext with prior knowledge through
 * golang.org/x/net/http2/h2c ({@code h2c/pods/}). Per open HTTP/2 connection the server runs two goroutines, its
 * {@code serverConn.serve} and its {@code serverConn.readFrames}. Before qa83 only net/http's bundled {@code serve}
 * counted as a connection's (it runs under {@code net/http.(*conn).serve}); {@code readFrames} runs on its own, and
 * h2c's {@code serve} runs inside net/http's handler: an unchanged canary going from 10 to 200 HTTP/2 connections
 * FAILed as a goroutine leak.
 */
class GoHttp2ConnectionsCompareTest {
    static final Path RESOURCES = SharedFixtures.projectRoot().resolve("canary-judge/src/test/resources/qa83");
    static final List<String> BASELINE = List.of("b1", "b2", "b3");

    /** The instance folders compare reads (TLS pods): the goroutine profiles and requests.csv, not the scrapes. */
    private static Path pods(Path temp) throws IOException {
        return GoroutineInstances.copy(RESOURCES.resolve("pods"), temp,
                List.of("b1", "b2", "b3", "s1", "r1", "r2", "h1"));
    }

    /** Prints the figures docs/EVALUATION.md "(qa83)" quotes. */
    private static JsonNode compare(Path pods, List<String> baseline, String canary) {
        return GoConnectionVerdicts.compare("qa83", pods, baseline, canary);
    }

    /**
     * r1: unchanged, 10 → 200 HTTP/2 connections (fails before qa83: FAIL, its readFrames goroutines read as a leak);
     * s1 steady at 20, and each baseline pod against the other two and s1.
     */
    @Test
    void anUnchangedCanaryWhoseHttp2ConnectionsGrowDoesNotFail(@TempDir Path temp) throws IOException {
        Path pods = pods(temp);
        GoConnectionVerdicts.assertReadAsConnections(compare(pods, BASELINE, "r1"));
        GoConnectionVerdicts.assertNoneFails("qa83", pods, List.of(List.of("b1", "b2", "b3", "s1"),
                List.of("b2", "b3", "s1", "b1"), List.of("b1", "b3", "s1", "b2"), List.of("b1", "b2", "s1", "b3")));
    }

    /**
     * r2: a goroutine leak (main.awaitAck, 3 a minute) under r1's 10 → 200; h1: stream handlers that never return (under
     * {@code (*http2serverConn).runHandler} and {@code serverHandler.ServeHTTP}). Both FAIL named at main.awaitAck (before
     * qa83 they FAILed naming no site: 200 readFrames goroutines in the rest drowned the leak's share).
     */
    @Test
    void aLeakBesideGrowingHttp2ConnectionsStillFailsNamingWhereItWaits(@TempDir Path temp) throws IOException {
        Path pods = pods(temp);
        for (String canary : List.of("r2", "h1")) {
            GoConnectionVerdicts.assertLeakNamedAtAwaitAck(canary, compare(pods, BASELINE, canary));
        }
    }

    /**
     * h1's hung stream handlers with no application frame (a handler of library code only): {@code main.awaitAck} and
     * {@code main.serveOrders.func1} renamed byte for byte to {@code sync.} names. Under {@code runHandler} and
     * {@code serverHandler.ServeHTTP} they stay the service's: FAIL, not excused as connections.
     */
    @Test
    void aHungStreamHandlerWithOnlyLibraryFramesStillFails(@TempDir Path temp) throws IOException {
        Path pods = pods(temp);
        assertThat(RenamedFrames.inGoroutineProfiles(pods.resolve("h1"), "main.awaitAck", "sync.awaitAck",
                "main.serveOrders.func1", "sync.serveOrders.func1")).isEqualTo(2);
        GoConnectionVerdicts.assertHungHandlersNotExcused(compare(pods, BASELINE, "h1"));
    }

    /**
     * h2c (golang.org/x/net/http2 in cleartext, as behind a mesh's sidecar): the connection's {@code serve} runs under
     * net/http's {@code serverHandler.ServeHTTP} of the connection's first request, and a stream's handler under x/net's
     * {@code runHandler} with no {@code serverHandler.ServeHTTP}. r1 (10 → 200 connections, unchanged) is reported as
     * connections (FAIL before qa83), the baseline pods against each other do not fail, and h1's hung stream handlers
     * FAIL named at main.awaitAck, and still FAIL with their frames renamed to library ones.
     */
    @Test
    void h2cConnectionsAreConnectionsAndItsHungHandlersAreNot(@TempDir Path temp) throws IOException {
        Path pods = GoroutineInstances.copy(RESOURCES.resolve("h2c/pods"), temp,
                List.of("b1", "b2", "b3", "r1", "h1"));
        JsonNode r1 = compare(pods, BASELINE, "r1");
        assertThat(r1.path("result").asString()).as(r1.toString()).isNotEqualTo("FAIL");
        assertThat(r1.toString()).contains("Reported only: the rise is open connections, not a leak");
        for (List<String> aa : List.of(List.of("b2", "b3", "b1"), List.of("b1", "b3", "b2"), List.of("b1", "b2", "b3"))) {
            JsonNode verdict = compare(pods, aa.subList(0, 2), aa.get(2));

            assertThat(verdict.path("result").asString()).as(aa + ": " + verdict).isNotEqualTo("FAIL");
        }
        JsonNode h1 = compare(pods, BASELINE, "h1");
        assertThat(h1.path("result").asString()).as(h1.toString()).isEqualTo("FAIL");
        assertThat(h1.path("summary").asString()).contains("goroutines grow").contains("`main.awaitAck`");

        assertThat(RenamedFrames.inGoroutineProfiles(pods.resolve("h1"), "main.awaitAck", "sync.awaitAck",
                "main.serveOrders.func1", "sync.serveOrders.func1")).isEqualTo(2);
        JsonNode renamed = compare(pods, BASELINE, "h1");
        assertThat(renamed.path("result").asString()).as(renamed.toString()).isEqualTo("FAIL");
        assertThat(renamed.toString()).doesNotContain("the rise is open connections");
    }
}
