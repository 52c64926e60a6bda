package io.canaryjudge.qa77;

import static org.assertj.core.api.Assertions.assertThat;

import io.canaryjudge.memory.ScrapedGoPodsService;
import java.nio.file.Path;
import org.junit.jupiter.api.Test;
import org.springframework.test.context.DynamicPropertyRegistry;
import org.springframework.test.context.DynamicPropertySource;
import tools.jackson.databind.JsonNode;

/**
 * Go {@code net/http} servers whose inbound keep-alive connections grow through the window, through the service as Argo
 * Rollouts asks it: their client_golang scrapes (Go 1.19) backfilled into a real Prometheus, their goroutine profiles
 * (one a minute) in the local directory source (src/test/resources/qa77, README there). The server runs a goroutine per
 * open connection, so an unchanged canary going from 10 to 200 connections raises {@code go_goroutines} as a leak
 * does: before qa77 it FAILed naming no site. Now the goroutine profiles tell net/http's connection goroutines from the
 * rest ({@code ConnectionGoroutines}); a leak beside them still FAILs, named among the rest.
 */
class GoHttpConnectionsServiceTest extends ScrapedGoPodsService {
    @DynamicPropertySource
    static void properties(DynamicPropertyRegistry registry) {
        serveGoPods(registry, Path.of("src", "test", "resources", "qa77", "pods"), "qa77",
                "{goroutine-*.pb.gz,labels.properties}");
    }

    /** The canary pod against b1-b3 over minutes 2-17 after the first process started. */
    private JsonNode analyse(String pod) {
        return analyseGoPod(pod, 17, "goroutines");
    }

    /**
     * Unchanged canaries: connections stepping up from 10 to 200 (r1), steady at 20 (s1), coming and going under a
     * 1-second client idle timeout (c1). r1's rise is reported as open connections, not failed; before qa77 it FAILed.
     */
    @Test
    void anUnchangedCanaryWhoseConnectionsGrowDoesNotFail() {
        for (String pod : new String[] {"r1", "s1", "c1"}) {
            JsonNode verdict = analyse(pod);

            assertThat(verdict.get("result").asString()).as(pod + ": " + verdict).isNotEqualTo("FAIL");
            assertThat(growth(verdict)).as(pod).doesNotContain("<goroutines>");
            if (pod.equals("r1")) {
                assertThat(growth(verdict)).contains("<goroutines> (reported)");
                assertThat(verdict.toString()).contains("Reported only: the rise is open connections, not a leak");
            }
        }
    }

    /**
     * A goroutine leak under the same connection growth (r2), a handler that never returns (h1, its goroutines under
     * net/http.(*conn).serve with the application's frames below) and a leak under connection churn (c2): FAIL, named
     * where the leaked goroutines wait.
     */
    @Test
    void aLeakBesideGrowingConnectionsStillFailsNamingWhereItWaits() {
        for (String pod : new String[] {"r2", "h1", "c2"}) {
            JsonNode verdict = analyse(pod);

            assertThat(verdict.get("result").asString()).as(pod + ": " + verdict).isEqualTo("FAIL");
            JsonNode finding = verdict.get("findings").get(0);
            assertThat(finding.get("function").asString()).as(pod).isEqualTo("<goroutines>");
            assertThat(verdict.get("summary").asString()).as(pod).contains("goroutines grow").contains("`main.awaitAck`");
        }
    }
}
