package io.canaryjudge.qa55;

import static org.assertj.core.api.Assertions.assertThat;

import io.canaryjudge.SharedFixtures;
import io.canaryjudge.cli.CompareJson;
import java.io.IOException;
import java.nio.file.Path;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import tools.jackson.databind.JsonNode;

/**
 * Where a failing cost per request went when no rising incident of its type names a method (issue 10, qa53's "not
 * fixed" (3)): real pods of {@code io.canaryjudge.qa53.PricingPod} (Spring WebFlux, Jackson), src/test/resources/qa55
 * (README there). In {@code codec180c} {@code AuditLog.record} has Jackson write each audit entry 1.8 times.
 */
class CostPerRequestCarrierTest {
    static final Path RECORDINGS = SharedFixtures.projectRoot().resolve("canary-judge/src/test/resources/qa55");
    private static final String[] ALLOC = {"--profile-type", "alloc_bytes"};

    /**
     * One canary pod against three, the other three unchanged pods as history: before, "FAIL: allocated bytes per
     * request +40 % (110 KiB → 154 KiB, q = 0.003)." and nothing more — the method whose allocation rose was named
     * nowhere. Now the summary and the incident say where the extra bytes per request went.
     */
    @Test
    void aFailingCostPerRequestSaysWhichMethodCarriesIt() {
        JsonNode verdict = CompareJson.of(RECORDINGS, List.of("alloc_bytes/b6", "alloc_bytes/b5", "alloc_bytes/b1"),
                List.of("alloc_bytes/codec180c"), List.of("alloc_bytes/b2", "alloc_bytes/b3", "alloc_bytes/b4"), ALLOC);

        String summary = verdict.path("summary").asString();
        assertThat(verdict.path("result").asString()).as(summary).isEqualTo("FAIL");
        JsonNode lead = verdict.path("incidents").get(0);
        assertThat(lead.path("entryFrame").asString()).as(summary).isEqualTo("<total>");
        assertThat(summary).startsWith("FAIL: allocated bytes per request +")
                .contains("; most of the rise (")
                .contains("is under `io.canaryjudge.qa53.PricingPod$AuditLog.record`, ")
                .contains(" per request with its callees");
        assertThat(lead.path("summary").asString()).contains("is under `io.canaryjudge.qa53.PricingPod$AuditLog.record`");
    }

    /**
     * A rise of the cost per request that no method carries: the unchanged pod {@code b2} with every stack's value
     * multiplied by 1.4 (every part of the profile 40 % dearer per request, its shares unchanged, as a JVM-wide
     * slowdown makes it) against three pods, two as history. It FAILs on the cost per request as before; the summary
     * says it is spread, and names no method.
     */
    @Test
    void aRiseSpreadOverTheProfileIsSaidToBeSpread(@TempDir Path dir) throws IOException {
        Path scaled = CollapsedSlices.rewrite(RECORDINGS.resolve("alloc_bytes/b2"), dir.resolve("b2x1.4"),
                line -> CollapsedSlices.scaled(line, 1.4));

        JsonNode verdict = CompareJson.of(RECORDINGS, List.of("alloc_bytes/b6", "alloc_bytes/b5", "alloc_bytes/b1"),
                List.of(scaled.toString()), List.of("alloc_bytes/b3", "alloc_bytes/b4"), ALLOC);

        String summary = verdict.path("summary").asString();
        assertThat(verdict.path("result").asString()).as(summary).isEqualTo("FAIL");
        assertThat(summary).startsWith("FAIL: allocated bytes per request +")
                .contains("no application method carries most of the rise: it is spread across the profile")
                .doesNotContain("is under `");
    }
}
