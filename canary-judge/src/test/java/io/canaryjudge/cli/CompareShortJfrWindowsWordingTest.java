package io.canaryjudge.cli;

import static org.assertj.core.api.Assertions.assertThat;

import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import tools.jackson.databind.JsonNode;
import tools.jackson.databind.json.JsonMapper;

/**
 * How verdicts of 60-second JFR windows read (docs/heldout4.md's recordings, one window per pod cut with
 * {@code --slice 10s}): what they say about the heap and about a program that is not the baseline's.
 */
class CompareShortJfrWindowsWordingTest {
    private static final JsonMapper JSON = JsonMapper.builder().build();
    private static final Path HELDOUT = Path.of("src/test/resources/heldout4");
    private static JsonNode otherProgram;
    private static JsonNode oneVsOne;

    @BeforeAll
    static void judge() {
        otherProgram = compare(List.of("baseline/b1", "baseline/b2", "baseline/b3"), List.of("other/c1"));
        oneVsOne = compare(List.of("baseline/b1"), List.of("aa/c1"));
    }

    private static JsonNode compare(List<String> baseline, List<String> canary) {
        List<String> args = new ArrayList<>(List.of("compare", "--format", "json", "--slice", "10s"));
        baseline.forEach(b -> args.addAll(List.of("--baseline", HELDOUT.resolve(b + "/window.jfr.gz").toString())));
        canary.forEach(c -> args.addAll(List.of("--canary", HELDOUT.resolve(c + "/window.jfr.gz").toString())));
        CliRun run = CliRun.of(args.toArray(String[]::new));
        assertThat(run.status()).as(run.err()).isIn(0, 1, 2);
        return JSON.readTree(run.out());
    }

    /** The shipped example (README's first command): 2 + 2 shop pods, the canary's applyDiscounts +112 %. */
    private static JsonNode shopExample() {
        String s = "../examples/profiles/shop/";
        CliRun run = CliRun.of("compare", "--format", "json", "--baseline", s + "shop-6d4f8c7b9-k2x7p",
                "--baseline", s + "shop-6d4f8c7b9-w5n3j", "--canary", s + "shop-7f9b6c5d4-m4q8z",
                "--canary", s + "shop-7f9b6c5d4-r9t2w");
        return JSON.readTree(run.out());
    }

    private static String incident(JsonNode verdict, String entryFrame) {
        for (JsonNode incident : verdict.get("incidents")) {
            if (incident.get("entryFrame").asString().equals(entryFrame)) {
                return incident.get("summary").asString();
            }
        }
        throw new AssertionError("no incident at " + entryFrame + ": " + verdict.get("incidents"));
    }

    @Test
    void anEntryFrameThatIsGoneItselfIsNamedGoneNotItsCallerGoneUnderIt() {
        // BatchCompressor.compress does not run in the other program; IngestPipeline.processBatch is its caller.
        // The incident read "`…processBatch` gone under `…BatchCompressor.compress` (85.3 % of CPU …)".
        String summary = incident(otherProgram, "io.canaryjudge.heldout4.BatchCompressor.compress");
        assertThat(summary).doesNotContain("gone under")
                .startsWith("`io.canaryjudge.heldout4.BatchCompressor.compress` gone (");
    }

    @Test
    void aWindowTooShortForTheHeapCheckIsSaidToBeTooShort() {
        // "no canary pod has enough heap points after GC (at least 4 minutes with a collection, over 10 min)" blamed
        // the heap points of a 1-minute window that no number of collections could make long enough.
        assertThat(oneVsOne.get("dataQuality").get("warnings").toString())
                .contains("memory growth not judged: the canary pods' heap after GC covers at most 1 min of each pod,"
                        + " at least 10 min needed")
                .doesNotContain("enough heap points");
    }

    @Test
    void aFailOrInconclusiveDoesNotEndItsSummaryWithAHeapCheckThatTookNoPart() {
        assertThat(otherProgram.get("result").asString()).isEqualTo("FAIL");
        assertThat(oneVsOne.get("result").asString()).isEqualTo("INCONCLUSIVE");
        for (JsonNode verdict : List.of(otherProgram, oneVsOne)) {
            assertThat(verdict.get("summary").asString()).doesNotContain("memory growth").doesNotContain("heap");
            assertThat(verdict.get("dataQuality").get("warnings").toString()).contains("memory growth not judged");
        }
    }

    @Test
    void canaryPodsOfOneAgeAreThatOldNotOneToOneMinutesOld() {
        assertThat(otherProgram.get("dataQuality").get("memory").get("notes").toString())
                .contains("canary pods are 1 min old and").doesNotContain("1 to 1 min");
    }

    @Test
    void sharesNormalisedFarFromTheRawOnesSaySo() {
        // The shipped example's headline reads 19.5 % → 41.3 % of CPU where a flame graph shows other shares: the
        // rise took share from every other function, and the judge compares shares normalised for that.
        String notes = shopExample().get("dataQuality").get("types").get(0).get("notes").toString();
        assertThat(notes).containsPattern("shares are normalised for composition: the canary's typical function holds"
                + " 1[0-9] % less of the total than the baseline's");
        // An unchanged canary's shares need no such word.
        assertThat(oneVsOne.get("dataQuality").get("types").toString()).doesNotContain("normalised for composition");
    }

    @Test
    void anIncidentsDetailAddsUpToItsHeadline() {
        // The shipped example: "+112 % (19.5 % → 41.3 % of CPU with its callees …)" then "Below it: its own code
        // +14.3 % of CPU, java.lang +0.71 % …": the headline's shares are normalised, the split was raw.
        JsonNode incident = shopExample().get("incidents").get(0);
        double rise = 100 * (incident.get("canary").asDouble() - incident.get("baseline").asDouble());
        java.util.regex.Matcher own = java.util.regex.Pattern.compile("its own code \\+([0-9.]+) % of CPU")
                .matcher(incident.get("detail").asString());
        assertThat(own.find()).as(incident.get("detail").asString()).isTrue();
        // applyDiscounts' own code carries nearly all of it (its self share: 18.3 % → 38.9 %, +20.6 points)
        assertThat(Double.parseDouble(own.group(1))).as(incident.get("detail").asString()).isBetween(0.9 * rise, rise);
    }
}
