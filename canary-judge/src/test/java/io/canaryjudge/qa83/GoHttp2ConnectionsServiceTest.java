package io.canaryjudge.qa83;

import io.canaryjudge.memory.ScrapedGoPodsService;
import io.canaryjudge.qa74.GoConnectionVerdicts;
import java.nio.file.Path;
import org.junit.jupiter.api.Test;
import org.springframework.test.context.DynamicPropertyRegistry;
import org.springframework.test.context.DynamicPropertySource;
import tools.jackson.databind.JsonNode;

/**
 * Go servers speaking HTTP/2 (net/http's bundled http2 server over TLS) whose inbound connections grow through the
 * window, through the service as Argo Rollouts asks it: their client_golang scrapes (Go 1.19) backfilled into a real
 * Prometheus, their goroutine profiles (one a minute) in the local directory source (src/test/resources/qa83, README
 * there). Per HTTP/2 connection the server runs {@code (*http2serverConn).serve} (under {@code (*conn).serve}) and
 * {@code (*http2serverConn).readFrames}; before qa83 the second read as the rest, so an unchanged canary going from 10
 * to 200 connections FAILed as a goroutine leak and a leak beside it FAILed naming no site.
 */
class GoHttp2ConnectionsServiceTest extends ScrapedGoPodsService {
    @DynamicPropertySource
    static void properties(DynamicPropertyRegistry registry) {
        serveGoPods(registry, Path.of("src", "test", "resources", "qa83", "pods"), "qa83",
                "{goroutine-*.pb.gz,labels.properties}");
    }

    /** The canary pod against b1-b3 over minutes 2-17 after the first process started. */
    private JsonNode analyse(String pod) {
        return analyseGoPod(pod, 17, "goroutines");
    }

    /**
     * Unchanged canaries: HTTP/2 connections stepping up from 10 to 200 (r1) and steady at 20 (s1). r1's goroutine rise
     * is reported as open connections, not failed (before qa83 it FAILed as a leak). Through the service r1 still FAILs
     * on the heap, a false FAIL left open on issue 13: its 190 more HTTP/2 connections hold about 37 KiB each after GC
     * (HPACK tables, TLS and frame buffers), +4.7 MiB per 10 min against the baseline's +47 KiB, above the 20 MiB an
     * hour that is material (docs/EVALUATION.md "(qa83)", what is left). This test asserts the goroutine part only, so
     * that a fix of the heap case does not break it.
     */
    @Test
    void anUnchangedCanaryWhoseHttp2ConnectionsGrowIsNotFailedForItsGoroutines() {
        JsonNode s1 = analyse("s1");
        assertGoroutinesReadAsConnections(s1, analyse("r1"));
    }

    /**
     * A goroutine leak under the same connection growth (r2) and stream handlers that never return (h1, under
     * {@code (*http2serverConn).runHandler}): FAIL, named where the leaked goroutines wait.
     */
    @Test
    void aLeakBesideGrowingHttp2ConnectionsStillFailsNamingWhereItWaits() {
        for (String pod : new String[] {"r2", "h1"}) {
            GoConnectionVerdicts.assertLeakNamedAtAwaitAck(pod, analyse(pod));
        }
    }
}
