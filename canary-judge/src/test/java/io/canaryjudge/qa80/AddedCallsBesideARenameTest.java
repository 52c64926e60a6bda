package io.canaryjudge.qa80;

import static io.canaryjudge.cli.CompareJson.finding;
import static org.assertj.core.api.Assertions.assertThat;

import io.canaryjudge.SharedFixtures;
import io.canaryjudge.cli.CompareJson;
import io.canaryjudge.qa55.CollapsedSlices;
import io.canaryjudge.qa62.NewMethodCallingOldCodeTest;
import java.io.IOException;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import tools.jackson.databind.JsonNode;

/**
 * A new method adding calls to an old callee beside a sibling renamed under the same caller (issue 10, qa71's "Not
 * fixed" 3): qa55's committed {@code PricingPod} allocation slices (src/test/resources/qa55, README there), {@code b2} and
 * {@code b5} each with {@code Quotes.quote} renamed {@code Quotes.quoteV2} (the same stacks, a new name) and a new
 * {@code Quotes.recompute} asking {@code Quotes.stock} once more on half the requests
 * ({@link NewMethodCallingOldCodeTest#added}), against {@code b6 b1} without history, {@code compare --profile-type
 * alloc_bytes}. Without the rename the same canaries FAIL naming {@code recompute} (q = 0.009, qa71's 2+2 table); with
 * it the gone {@code quote} made the pairing one by the fall of {@code stock}'s direct calls, which never asked their
 * ratio to the rest of the profile, and the canary PASSed at 797cacf3 ("2 rise(s) reported but not counted").
 */
class AddedCallsBesideARenameTest {
    private static final Path RECORDINGS = SharedFixtures.projectRoot().resolve("canary-judge/src/test/resources/qa55");
    private static final String POD = "io.canaryjudge.qa53.PricingPod";
    private static final String RECOMPUTE = POD + "$Quotes.recompute";
    private static final String QUOTE = POD + "$Quotes.quote";
    private static final String STOCK_CALL = POD + "$$Lambda.handle;" + POD + "$Quotes.stock";

    @Test
    void addedCallsBesideARenamedSiblingFail(@TempDir Path dir) throws IOException {
        List<String> canaries = List.of(canary("b2", dir).toString(), canary("b5", dir).toString());
        JsonNode verdict = CompareJson.of(RECORDINGS, List.of("alloc_bytes/b6", "alloc_bytes/b1"), canaries, List.of(),
                "--profile-type", "alloc_bytes");

        String summary = verdict.path("summary").asString();
        assertThat(verdict.path("result").asString()).as(summary).isEqualTo("FAIL");
        assertThat(summary).contains("`" + RECOMPUTE + "`");
        JsonNode row = finding(verdict, RECOMPUTE);
        assertThat(row.path("failing").asBoolean()).as(row.toString()).isTrue();
        assertThat(row.path("explanation").asString()).doesNotContain("a wrapper around some of its calls");
    }

    private static Path canary(String pod, Path dir) throws IOException {
        Path renamed = CollapsedSlices.rewrite(RECORDINGS.resolve("alloc_bytes/" + pod), dir.resolve(pod + "-renamed"),
                line -> {
                    int space = line.lastIndexOf(' ');
                    if (space < 0) {
                        return line;
                    }
                    List<String> frames = List.of(line.substring(0, space).split(";"));
                    return String.join(";", frames.stream().map(f -> f.equals(QUOTE) ? QUOTE + "V2" : f).toList())
                            + line.substring(space);
                });
        return NewMethodCallingOldCodeTest.added(renamed, dir.resolve(pod), Map.of(STOCK_CALL, 0.5));
    }
}
