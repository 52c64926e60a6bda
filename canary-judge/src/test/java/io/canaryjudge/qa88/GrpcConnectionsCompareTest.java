package io.canaryjudge.qa88;

import static org.assertj.core.api.Assertions.assertThat;

import io.canaryjudge.SharedFixtures;
import io.canaryjudge.qa74.GoConnectionVerdicts;
import io.canaryjudge.qa74.GoroutineInstances;
import io.canaryjudge.qa77.RenamedFrames;
import java.io.IOException;
import java.nio.file.Path;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import tools.jackson.databind.JsonNode;

/**
 * {@code compare} over gRPC-go servers (gRPC-go 1.33's own HTTP/2 transport, Go 1.19), one goroutine profile a minute
 * (src/test/resources/qa88, README there). Per open gRPC connection the server runs three goroutines: its reader
 * ({@code (*http2Server).HandleStreams}), its writer ({@code (*loopyWriter).run}) and {@code (*http2Server).keepalive};
 * before qa88 none counted as a connection's, so an unchanged canary going from 10 to 200 connections FAILed as a
 * goroutine leak, and a leak beside it FAILed without the site.
 */
class GrpcConnectionsCompareTest {
    static final Path RESOURCES = SharedFixtures.projectRoot().resolve("canary-judge/src/test/resources/qa88");
    static final List<String> BASELINE = List.of("b1", "b2", "b3");

    /** The instance folders compare reads: the goroutine profiles and requests.csv, not the scrapes. */
    static Path pods(Path temp) throws IOException {
        return GoroutineInstances.copy(RESOURCES.resolve("pods"), temp,
                List.of("b1", "b2", "b3", "s1", "r1", "r2", "h1"));
    }

    /** Prints the figures docs/EVALUATION.md "(qa88)" quotes. */
    private static JsonNode compare(Path pods, List<String> baseline, String canary) {
        return GoConnectionVerdicts.compare("qa88", pods, baseline, canary);
    }

    /**
     * r1: unchanged, 10 → 200 gRPC connections (fails before qa88: FAIL, its transport's goroutines read as a leak); s1
     * steady at 20, and each baseline pod against the other two and s1.
     */
    @Test
    void anUnchangedCanaryWhoseGrpcConnectionsGrowDoesNotFail(@TempDir Path temp) throws IOException {
        Path pods = pods(temp);
        GoConnectionVerdicts.assertReadAsConnections(compare(pods, BASELINE, "r1"));
        GoConnectionVerdicts.assertNoneFails("qa88", pods, List.of(List.of("b1", "b2", "b3", "s1"),
                List.of("b2", "b3", "s1", "b1"), List.of("b1", "b3", "s1", "b2"), List.of("b1", "b2", "s1", "b3")));
    }

    /**
     * r2: a goroutine leak a unary handler starts (main.awaitAck, 3 a minute) under r1's 10 → 200; h1: unary handlers
     * that never return (under {@code grpc.(*Server).handleStream}). Both FAIL named at main.awaitAck.
     */
    @Test
    void aLeakBesideGrowingGrpcConnectionsStillFailsNamingWhereItWaits(@TempDir Path temp) throws IOException {
        Path pods = pods(temp);
        for (String canary : List.of("r2", "h1")) {
            GoConnectionVerdicts.assertLeakNamedAtAwaitAck(canary, compare(pods, BASELINE, canary));
        }
    }

    /**
     * h1's hung handlers with no application frame (a gRPC proxy's handler of library code only): {@code main.awaitAck},
     * {@code main.orders.Get} and {@code main._Orders_Get_Handler} renamed byte for byte to {@code sync.} names. Under
     * {@code grpc.(*Server).handleStream} they stay the service's: FAIL, not excused as connections.
     */
    @Test
    void aHungGrpcHandlerWithOnlyLibraryFramesStillFails(@TempDir Path temp) throws IOException {
        Path pods = pods(temp);
        assertThat(RenamedFrames.inGoroutineProfiles(pods.resolve("h1"), "main.awaitAck", "sync.awaitAck",
                "main.orders.Get", "sync.orders.Get", "main._Orders_Get_Handler", "sync._Orders_Get_Handler"))
                .isEqualTo(3);
        GoConnectionVerdicts.assertHungHandlersNotExcused(compare(pods, BASELINE, "h1"));
    }
}
