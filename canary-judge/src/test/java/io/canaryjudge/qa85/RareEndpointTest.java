package io.canaryjudge.qa85;

import static org.assertj.core.api.Assertions.assertThat;

import io.canaryjudge.SharedFixtures;
import io.canaryjudge.cli.CompareJson;
import java.nio.file.Path;
import java.util.List;
import org.junit.jupiter.api.Test;
import tools.jackson.databind.JsonNode;

/**
 * A rare endpoint the canary amplifies (issue 10, qa85): real pods of {@link io.canaryjudge.qa79.MixPod} with its fifth
 * endpoint, /export → {@code ExportService.render} (its own loop, ~1/20 of a search), driven over HTTP by
 * {@link io.canaryjudge.qa79.MixLoad}, their CPU as collapsed slices with {@code requests.csv} and
 * {@code endpoints.csv}, src/test/resources/qa85 (README there). Baseline pods aa1 and b4 and the A/A canaries b1
 * and aa2 served /export at 0.5 % of their requests (no sample of its code in aa1 and b4, one in b1 and aa2); amp20 and
 * amp10, the same code, at 20 % and 10 % (an A/B route sending a rare client type to the canary); new20 at 20 % with a
 * real new function under /product, {@code CatalogService.audit} (SHA-256 of the page; the JIT inlined it into
 * {@code CatalogService.render}, so the new path is the digest's intrinsic stub under render).
 */
class RareEndpointTest {
    static final Path RECORDINGS = SharedFixtures.projectRoot().resolve("canary-judge/src/test/resources/qa85/cpu");
    private static final String[] CPU = {"--profile-type", "cpu"};
    private static final List<String> BASELINE = List.of("aa1", "b4");
    private static final String EXPORT = "io.canaryjudge.qa79.MixPod$ExportService.render";
    private static final String DIGEST = ".sha256_implCompressMB";
    private static final String AUDIT = "io.canaryjudge.qa79.MixPod$CatalogService.audit";

    /**
     * The same code with /export at 40 and 20 times its share: before, "FAIL: new hot path under
     * `…ExportService.render`, 2.2 % of CPU" (0.84 % at ×20): the baseline's zero samples read as absence. Its baseline
     * share is bounded by sampling (below 0.05 % at 95 %), and the mix can raise code only /export runs 40-fold per
     * request: INCONCLUSIVE naming the mix, the new path reported, not failed.
     */
    @Test
    void anAmplifiedRareEndpointIsNotANewHotPath() {
        for (String canary : List.of("amp20", "amp10")) {
            JsonNode verdict = CompareJson.of(RECORDINGS, BASELINE, List.of(canary), List.of(), CPU);

            String summary = verdict.path("summary").asString();
            assertThat(verdict.path("result").asString()).as(canary + ": " + summary).isEqualTo("INCONCLUSIVE");
            assertThat(summary).as(canary).startsWith("INCONCLUSIVE: the canary served another request mix than the "
                    + "baseline (").contains("/export ");
            JsonNode export = CompareJson.finding(verdict, EXPORT);
            assertThat(export.path("kind").asString()).as(canary).isEqualTo("NEW_HOT_PATH");
            assertThat(export.path("failing").asBoolean()).as(canary).isFalse();
            assertThat(export.path("explanation").asString()).as(canary).contains("Not counted as a new hot path: the "
                    + "canary served another request mix").contains("by sampling alone (95 %)");
        }
    }

    /**
     * A real new path under /product (the audit's SHA-256 digest, 7.4 % of the canary's CPU) under the same amplified
     * mix: it enters under {@code CatalogService.render}, which the baseline runs a lot, and is far beyond what the mix
     * could raise a sampling-bounded baseline share to (×108 against ×33), so it still FAILs naming it; the amplified
     * /export beside it is reported, not failed.
     */
    @Test
    void aRealNewPathUnderTheSameMixStillFails() {
        JsonNode verdict = CompareJson.of(RECORDINGS, BASELINE, List.of("new20"), List.of(), CPU);

        String summary = verdict.path("summary").asString();
        assertThat(verdict.path("result").asString()).as(summary).isEqualTo("FAIL");
        assertThat(summary).startsWith("FAIL: new hot path under `io.canaryjudge.qa79.MixPod$CatalogService.render`")
                .doesNotContain("ExportService");
        JsonNode digest = CompareJson.finding(verdict, DIGEST);
        assertThat(digest.path("kind").asString()).isEqualTo("NEW_HOT_PATH");
        assertThat(digest.path("failing").asBoolean()).isTrue();
        assertThat(digest.path("explanation").asString()).contains("Counted although the canary served another "
                + "request mix");
        assertThat(CompareJson.finding(verdict, EXPORT).path("failing").asBoolean()).isFalse();
    }

    /**
     * Whose code a new path is (fix85): {@code CatalogService.audit} itself, 1.2 % of new20's CPU, is under the
     * sampling bound times the mix's ratio (a rise of at least ×12 against ×33), and was excused before as if /export
     * ran it ("Not counted as a new hot path"); its cost enters under {@code CatalogService.render}, 5.6 % of the
     * baseline, which no rare endpoint explains, so it FAILs naming that frame.
     */
    @Test
    void aSmallNewPathUnderACommonFrameIsNotExcusedByTheMix() {
        JsonNode verdict = CompareJson.of(RECORDINGS, BASELINE, List.of("new20"), List.of(), CPU);

        JsonNode audit = CompareJson.finding(verdict, AUDIT);
        assertThat(audit.path("kind").asString()).isEqualTo("NEW_HOT_PATH");
        assertThat(audit.path("canary").asDouble()).isLessThan(0.02);
        assertThat(audit.path("failing").asBoolean()).as(audit.path("explanation").asString()).isTrue();
        assertThat(audit.path("explanation").asString()).contains("Counted although the canary served another "
                + "request mix").contains("it enters under `io.canaryjudge.qa79.MixPod$CatalogService.render`");
    }

    /** Unchanged canaries on the baseline's mix: the mix does not differ and nothing fails. */
    @Test
    void theBaselineMixChangesNothing() {
        for (String canary : List.of("b1", "aa2")) {
            JsonNode verdict = CompareJson.of(RECORDINGS, BASELINE, List.of(canary), List.of(), CPU);

            String summary = verdict.path("summary").asString();
            assertThat(verdict.path("result").asString()).as(canary + ": " + summary).isNotEqualTo("FAIL");
            assertThat(summary).as(canary).doesNotContain("request mix");
            assertThat(verdict.path("dataQuality").path("requestMix").path("differs").asBoolean()).as(canary).isFalse();
        }
    }
}
