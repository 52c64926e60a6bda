package io.canaryjudge.qa80;

import static io.canaryjudge.cli.CompareJson.finding;
import static org.assertj.core.api.Assertions.assertThat;

import io.canaryjudge.qa67.CollapsedCrossCuttingPods;
import java.io.IOException;
import java.nio.file.Path;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import tools.jackson.databind.JsonNode;

/**
 * The words of a caller's row beside a costless wrapper of a callee that itself got dearer (issue 10, qa71's "Not
 * fixed" 4), on CPU: qa34's committed {@code CrossCuttingPod} JFRs (src/test/resources/qa34, README there), each slice
 * collapsed as {@code canary-judge collapse … --profile-type cpu} does, {@code a1} with every stack through
 * {@code RecommendationService.recommend} ×1.8 and a fifth of them under a new {@code Router.traced}, against
 * {@code b1 b2 b3} ({@code bench/qa67-cpu.sh}'s "dear + traced 0.2"). The verdict and the incidents name
 * {@code recommend} (qa71); at 797cacf3 the caller {@code Router.dispatch}'s failing row said its rise "is part of the
 * same change as `…Router.traced`" ({@code FindingBuilder.markExplainedAncestors} paired it with the wrapper's row).
 */
class WrapperWordsTest extends CollapsedCrossCuttingPods {
    private static final String DISPATCH = POD + "$Router.dispatch";

    @Test
    void theCallersRowNamesTheDearerCalleeNotTheWrapper(@TempDir Path dir) throws IOException {
        Path dear = dearer(pods.resolve("a1"), dir.resolve("a1-dear"), 1.8);
        JsonNode verdict = judge(traced(dear, dir.resolve("a1-dear-traced"), 0.2));

        String summary = verdict.path("summary").asString();
        assertThat(verdict.path("result").asString()).as(summary).isEqualTo("FAIL");
        assertThat(summary).startsWith("FAIL: `" + RECOMMEND + "` +");
        JsonNode row = finding(verdict, DISPATCH);
        String explanation = row.path("explanation").asString();
        assertThat(explanation).as(row.toString()).doesNotContain("same change as `" + TRACED + "`")
                .contains("Its rise is part of the same change as `" + RECOMMEND + "`");
    }
}
