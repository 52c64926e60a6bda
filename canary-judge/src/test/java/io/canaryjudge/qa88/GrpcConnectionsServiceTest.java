package io.canaryjudge.qa88;

import io.canaryjudge.memory.ScrapedGoPodsService;
import io.canaryjudge.qa74.GoConnectionVerdicts;
import java.nio.file.Path;
import org.junit.jupiter.api.Test;
import org.springframework.test.context.DynamicPropertyRegistry;
import org.springframework.test.context.DynamicPropertySource;
import tools.jackson.databind.JsonNode;

/**
 * gRPC-go servers (gRPC-go 1.33's own HTTP/2 transport) whose inbound connections grow through the window, through the
 * service as Argo Rollouts asks it: their client_golang scrapes (Go 1.19) backfilled into a real Prometheus, their
 * goroutine profiles (one a minute) in the local directory source (src/test/resources/qa88, README there). Per gRPC
 * connection the server runs its transport's reader, writer (loopyWriter) and keepalive goroutines; before qa88 all
 * three read as the rest, so an unchanged canary going from 10 to 200 connections FAILed as a goroutine leak.
 */
class GrpcConnectionsServiceTest extends ScrapedGoPodsService {
    @DynamicPropertySource
    static void properties(DynamicPropertyRegistry registry) {
        serveGoPods(registry, Path.of("src", "test", "resources", "qa88", "pods"), "qa88",
                "{goroutine-*.pb.gz,labels.properties}");
    }

    /** The canary pod against b1-b3 over minutes 2-17 after the first process started. */
    private JsonNode analyse(String pod) {
        return analyseGoPod(pod, 17, "goroutines");
    }

    /**
     * Unchanged canaries: gRPC connections stepping up from 10 to 200 (r1) and steady at 20 (s1). r1's goroutine rise is
     * reported as open connections, not failed (before qa88 it FAILed as a leak). This test asserts the goroutine part
     * only: what r1's connections hold on the heap is judged apart (docs/EVALUATION.md "(qa88)").
     */
    @Test
    void anUnchangedCanaryWhoseGrpcConnectionsGrowIsNotFailedForItsGoroutines() {
        JsonNode s1 = analyse("s1");
        assertGoroutinesReadAsConnections(s1, analyse("r1"));
    }

    /**
     * A goroutine leak a unary handler starts under the same connection growth (r2) and unary handlers that never return
     * (h1, under {@code grpc.(*Server).handleStream}): FAIL, named where the leaked goroutines wait.
     */
    @Test
    void aLeakBesideGrowingGrpcConnectionsStillFailsNamingWhereItWaits() {
        for (String pod : new String[] {"r2", "h1"}) {
            GoConnectionVerdicts.assertLeakNamedAtAwaitAck(pod, analyse(pod));
        }
    }
}
