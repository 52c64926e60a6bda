package io.canaryjudge.qa58;

import static io.canaryjudge.cli.CompareJson.incident;
import static org.assertj.core.api.Assertions.assertThat;

import io.canaryjudge.SharedFixtures;
import io.canaryjudge.cli.CompareJson;
import io.canaryjudge.qa55.CollapsedSlices;
import java.io.IOException;
import java.nio.file.Path;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import tools.jackson.databind.JsonNode;

/**
 * A failing cost per request beside a small rising incident (issue 10, qa55's "not fixed"): real allocation slices of
 * qa55's {@code PricingPod} pods (src/test/resources/qa55, README there).
 */
class PerRequestBesideSmallIncidentTest {
    static final Path RECORDINGS = SharedFixtures.projectRoot().resolve("canary-judge/src/test/resources/qa55");
    private static final String[] ALLOC = {"--profile-type", "alloc_bytes"};
    private static final String STOCK = "io.canaryjudge.qa53.PricingPod$Quotes.stock";

    /**
     * {@code codec180c} (Jackson writes each audit entry 1.8 times: +43 % allocated bytes per request, 93 % of it
     * under {@code AuditLog.record}) with {@code Quotes.stock}'s stacks ×4 (0.7 % → 2.0 % of allocated bytes, 789 B →
     * 3.26 KiB per request: a small rise beside it), one pod against three with three as history. Before, the cost per
     * request joined the small incident and the summary was "FAIL: `Quotes.stock` +187 % (0.71 % → 2.0 % …); 789 B →
     * 3.26 KiB of allocated bytes per request." — the +43 % and the method carrying it named nowhere.
     */
    @Test
    void aCostPerRequestLeadsWithItsCarrierBesideASmallIncident(@TempDir Path dir) throws IOException {
        Path canary = scaled(RECORDINGS.resolve("alloc_bytes/codec180c"), dir.resolve("codec180c-stock"), 1, STOCK, 4);
        JsonNode verdict = CompareJson.of(RECORDINGS, List.of("alloc_bytes/b6", "alloc_bytes/b5", "alloc_bytes/b1"),
                List.of(canary.toString()), List.of("alloc_bytes/b2", "alloc_bytes/b3", "alloc_bytes/b4"), ALLOC);

        String summary = verdict.path("summary").asString();
        assertThat(verdict.path("result").asString()).as(summary).isEqualTo("FAIL");
        assertThat(summary).startsWith("FAIL: `" + STOCK + "` +") // a failing method leads
                .contains("; allocated bytes per request +")
                .contains("is under `io.canaryjudge.qa53.PricingPod$AuditLog.record`, ");
        assertThat(incident(verdict, STOCK).path("failing").asBoolean()).as(summary).isTrue();
    }

    /**
     * The unchanged {@code b2} with every stack ×1.4 (+43 % per request, spread: shares unchanged) and
     * {@code Quotes.stock}'s stacks ×2.5 more, against three pods with two as history. Before: "FAIL:
     * `PricingPod$$Lambda.handle` +118 % (1.3 % → 2.9 % …); 1.44 KiB → 4.54 KiB of allocated bytes per request." and
     * nothing of the cost per request.
     */
    @Test
    void aSpreadCostPerRequestIsSaidBesideASmallIncident(@TempDir Path dir) throws IOException {
        Path canary = scaled(RECORDINGS.resolve("alloc_bytes/b2"), dir.resolve("b2-spread-stock"), 1.4, STOCK, 2.5);
        JsonNode verdict = CompareJson.of(RECORDINGS, List.of("alloc_bytes/b6", "alloc_bytes/b5", "alloc_bytes/b1"),
                List.of(canary.toString()), List.of("alloc_bytes/b3", "alloc_bytes/b4"), ALLOC);

        String summary = verdict.path("summary").asString();
        assertThat(verdict.path("result").asString()).as(summary).isEqualTo("FAIL");
        assertThat(summary).startsWith("FAIL: `io.canaryjudge.qa53.PricingPod$$Lambda.handle` +")
                .contains("; allocated bytes per request +")
                .contains("no application method carries most of the rise: it is spread across the profile");
    }

    /**
     * A method new in the canary that wraps old code: {@code codec180c} with a new frame {@code Quotes.traced} called
     * between {@code Quotes.lambda$quote$…} and the lambda that calls {@code AuditLog.record} (as a tracing decorator
     * added beside the change would be), its own cost nil. Before, the new frame was the carrier ("most of the rise
     * (100 %) is under `Quotes.traced`, 0 B → 95.8 KiB per request"): nothing in the baseline made it "concentrated"
     * and the cheapest, and the summary was the wrapper's "FAIL: new hot path under `Quotes.traced`, 0.0 % of allocated
     * bytes beside … 0 B of allocated bytes per request." (not failing by itself: the cost per request had joined it).
     * What it wraps ran before; what rose is {@code AuditLog.record}. The same wrapper in the unchanged {@code b2}
     * PASSes, before and after.
     */
    @Test
    void aNewWrapperIsNotNamedForTheRiseOfWhatItWraps(@TempDir Path dir) throws IOException {
        Path canary = wrapped(RECORDINGS.resolve("alloc_bytes/codec180c"), dir.resolve("codec180c-traced"), 1);
        JsonNode verdict = CompareJson.of(RECORDINGS, List.of("alloc_bytes/b6", "alloc_bytes/b5", "alloc_bytes/b1"),
                List.of(canary.toString()), List.of("alloc_bytes/b2", "alloc_bytes/b3", "alloc_bytes/b4"), ALLOC);

        String summary = verdict.path("summary").asString();
        assertThat(verdict.path("result").asString()).as(summary).isEqualTo("FAIL");
        assertThat(summary).startsWith("FAIL: allocated bytes per request +")
                .contains("is under `io.canaryjudge.qa53.PricingPod$AuditLog.record`, ")
                .doesNotContain("is under `" + TRACED + "`");
    }

    /**
     * The same new wrapper around half of the profile (the audit log's 48 % of allocated bytes) in the unchanged
     * {@code b2} with every stack ×1.4: the rise is spread, and before it was said to be under the wrapper.
     */
    @Test
    void aNewWrapperAroundASpreadRiseLeavesItSpread(@TempDir Path dir) throws IOException {
        Path canary = wrapped(RECORDINGS.resolve("alloc_bytes/b2"), dir.resolve("b2-traced"), 1.4);
        JsonNode verdict = CompareJson.of(RECORDINGS, List.of("alloc_bytes/b6", "alloc_bytes/b5", "alloc_bytes/b1"),
                List.of(canary.toString()), List.of("alloc_bytes/b3", "alloc_bytes/b4"), ALLOC);

        String summary = verdict.path("summary").asString();
        assertThat(verdict.path("result").asString()).as(summary).isEqualTo("FAIL");
        assertThat(summary).startsWith("FAIL: allocated bytes per request +")
                .contains("no application method carries most of the rise: it is spread across the profile")
                .doesNotContain("is under `");
    }

    private static final String TRACED = "io.canaryjudge.qa53.PricingPod$Quotes.traced";

    /** {@code source}'s slices ×{@code all}, with {@link #TRACED} called just above {@code Quotes$$Lambda.accept}. */
    static Path wrapped(Path source, Path target, double all) throws IOException {
        Path scaled = scaled(source, target.resolveSibling(target.getFileName() + "-scaled"), all, STOCK, 1);
        return CollapsedSlices.rewrite(scaled, target, line -> line.replace(
                ";io.canaryjudge.qa53.PricingPod$Quotes$$Lambda.accept;",
                ";" + TRACED + ";io.canaryjudge.qa53.PricingPod$Quotes$$Lambda.accept;"));
    }

    /** {@code source}'s slices with every stack's value ×{@code all}, and ×{@code factor} more on stacks through {@code frame}. */
    static Path scaled(Path source, Path target, double all, String frame, double factor) throws IOException {
        return CollapsedSlices.rewrite(source, target, line -> {
            String stack = line.substring(0, line.lastIndexOf(' '));
            return CollapsedSlices.scaled(line, all * (List.of(stack.split(";")).contains(frame) ? factor : 1));
        });
    }
}
