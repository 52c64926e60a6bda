package io.canaryjudge.qa42;

import static org.assertj.core.api.Assertions.assertThat;

import io.canaryjudge.SharedFixtures;
import io.canaryjudge.cli.CompareJson;
import java.nio.file.Path;
import java.util.List;
import org.junit.jupiter.api.Test;
import tools.jackson.databind.JsonNode;

/**
 * A canary pod that served a fraction of the baseline pod's traffic (src/test/resources/qa42/lighter, README in
 * qa42): recorded {@link LedgerPod} JVMs under async-profiler's allocation sampling only, {@code base40} the baseline
 * at 40 requests/s (it served 53/s catching up after warm-up), {@code alloc15} the allocation-only canary (each
 * journal line copied into a 512-byte record) at 15/s, {@code base15} the unchanged build at 15/s.
 */
class LighterAllocatingCanaryTest {
    static final Path RECORDINGS = SharedFixtures.projectRoot().resolve("canary-judge/src/test/resources/qa42/lighter");

    /**
     * At 30 % of the baseline's request rate every share rise was reported, not failed ("shares rose as load alone
     * can move them"): `Journal.serialize` 3.3 % -> 45.5 % of allocated bytes was INCONCLUSIVE. A lighter load keeps a
     * fixed-rate allocation's bytes per second and lowers per-request ones; this function allocated over twice as many
     * bytes per second as the baseline's while serving a third of the requests, which no load effect does.
     */
    @Test
    void anAllocationRiseNoLighterLoadExplainsFails() {
        JsonNode verdict = CompareJson.of(RECORDINGS, List.of("base40"), List.of("alloc15"));

        assertThat(verdict.path("result").asString()).as(verdict.toString()).isEqualTo("FAIL");
        JsonNode failing = failing(verdict);
        assertThat(failing.path("function").asString()).isEqualTo("io.canaryjudge.qa42.LedgerPod$Journal.serialize");
        assertThat(failing.path("explanation").asString()).contains("Counted although the canary pods served")
                .contains("allocation per second rose at least");
    }

    /** The unchanged build at the same lighter load is not failed. */
    @Test
    void theUnchangedBuildAtTheSameLighterLoadIsNotFailed() {
        JsonNode verdict = CompareJson.of(RECORDINGS, List.of("base40"), List.of("base15"));

        assertThat(verdict.path("result").asString()).as(verdict.toString()).isNotEqualTo("FAIL");
    }

    private static JsonNode failing(JsonNode verdict) {
        for (JsonNode finding : verdict.path("findings")) {
            if (finding.path("failing").asBoolean()) {
                return finding;
            }
        }
        throw new AssertionError("no failing finding: " + verdict);
    }
}
