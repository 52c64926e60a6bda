package io.canaryjudge.qa79;

import static org.assertj.core.api.Assertions.assertThat;

import io.canaryjudge.SharedFixtures;
import io.canaryjudge.cli.CompareJson;
import java.nio.file.Path;
import java.util.List;
import org.junit.jupiter.api.Test;
import tools.jackson.databind.JsonNode;

/**
 * Canaries that serve a different request mix (issue 10, qa79): real pods of {@link MixPod} (four endpoints of unlike
 * cost, driven over HTTP by {@link MixLoad}), their CPU as collapsed slices with {@code requests.csv} and
 * {@code endpoints.csv}, src/test/resources/qa79 (README there). Baseline pods b1, b3, b4 and aa1 served the global mix
 * (/search 20 %, /quote 30 %, /product 40 %, /cart 10 %); s2x and s4x, the same code, /search at twice and four times its
 * share (an A/B route); rank130s, {@code SearchService.rank} 30 % dearer, /search at twice its share.
 */
class RequestMixTest {
    static final Path RECORDINGS = SharedFixtures.projectRoot().resolve("canary-judge/src/test/resources/qa79/cpu");
    private static final String[] CPU = {"--profile-type", "cpu"};
    private static final List<String> BASELINE = List.of("b1", "b3", "b4");

    /**
     * The same code with /search at four times its share: before, "FAIL: CPU per request +203 % (…)" — a search costs
     * more than the other requests, so the mix alone raises the cost per request (here with the contention of that
     * recording session beside it). Now the rise is within what the mix moves (×4.0) and the verdict says so.
     */
    @Test
    void aRiseTheMixExplainsIsNotFailed() {
        JsonNode verdict = CompareJson.of(RECORDINGS, BASELINE, List.of("s4x"), List.of(), CPU);

        String summary = verdict.path("summary").asString();
        assertThat(verdict.path("result").asString()).as(summary).isEqualTo("INCONCLUSIVE");
        assertThat(summary).startsWith("INCONCLUSIVE: the canary served another request mix than the baseline (")
                .contains("/search 80 % of the canary's requests against 20 %, ×4.0");
        JsonNode total = CompareJson.finding(verdict, "<total>");
        assertThat(total.path("failing").asBoolean()).isFalse();
        assertThat(total.path("explanation").asString()).contains("Not counted as a regression: the canary served "
                + "another request mix");
        JsonNode mix = verdict.path("dataQuality").path("requestMix");
        assertThat(mix.path("differs").asBoolean()).isTrue();
        assertThat(mix.path("largestRatio").asDouble()).isBetween(3.9, 4.1);
    }

    /**
     * /search at twice its share, nothing failing: before, "INCONCLUSIVE: no material regression seen, but these data
     * could only detect …", the mix named nowhere. An endpoint the canary served less of hides its code's regressions,
     * so the verdict names the mix and how large a regression it could hide.
     */
    @Test
    void aCanaryOnAnotherMixSaysSo() {
        JsonNode verdict = CompareJson.of(RECORDINGS, BASELINE, List.of("s2x"), List.of(), CPU);

        String summary = verdict.path("summary").asString();
        assertThat(verdict.path("result").asString()).as(summary).isEqualTo("INCONCLUSIVE");
        assertThat(summary).contains("the canary served another request mix than the baseline (")
                .contains("/search 40 % of the canary's requests against 20 %, ×2.0")
                .contains("could hide in the mix");
        JsonNode mix = verdict.path("dataQuality").path("requestMix");
        assertThat(mix.path("differs").asBoolean()).isTrue();
        assertThat(mix.path("largestRatio").asDouble()).isBetween(1.9, 2.1);
        assertThat(mix.path("endpoints")).hasSize(4);
    }

    /**
     * A real +30 % in {@code SearchService.rank} under /search at twice its share: before, "FAIL: `…rank` +107 % (26.2 %
     * → 54.3 % of CPU …)", the same FAIL an unchanged canary gets once the mix's own +65 % (s2x) is credible. The rank's
     * cost per request rose ×2.6 against the mix's ×2.0, which these pods' noise cannot tell apart: INCONCLUSIVE naming
     * the mix and the function, never PASS.
     */
    @Test
    void aRegressionUnderTheMixIsNamedNotPassed() {
        JsonNode verdict = CompareJson.of(RECORDINGS, BASELINE, List.of("rank130s"), List.of(), CPU);

        String summary = verdict.path("summary").asString();
        assertThat(verdict.path("result").asString()).as(summary).isEqualTo("INCONCLUSIVE");
        assertThat(summary).contains("another request mix");
        JsonNode rank = CompareJson.finding(verdict, "io.canaryjudge.qa79.MixPod$SearchService.rank");
        assertThat(rank.path("kind").asString()).isEqualTo("REGRESSION");
        assertThat(rank.path("explanation").asString()).contains("Not counted as a regression: the canary served "
                + "another request mix");
    }

    /** An unchanged canary on the global mix: the mix is reported, does not differ, and changes nothing. */
    @Test
    void theGlobalMixChangesNothing() {
        JsonNode verdict = CompareJson.of(RECORDINGS, BASELINE, List.of("aa1"), List.of(), CPU);

        String summary = verdict.path("summary").asString();
        assertThat(verdict.path("result").asString()).as(summary).isNotEqualTo("FAIL");
        assertThat(summary).doesNotContain("request mix");
        JsonNode mix = verdict.path("dataQuality").path("requestMix");
        assertThat(mix.path("differs").asBoolean()).isFalse();
        assertThat(mix.path("largestRatio").asDouble()).isBetween(0.98, 1.05);
    }
}
