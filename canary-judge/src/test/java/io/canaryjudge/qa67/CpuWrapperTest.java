package io.canaryjudge.qa67;

import static io.canaryjudge.cli.CompareJson.finding;
import static io.canaryjudge.cli.CompareJson.incident;
import static org.assertj.core.api.Assertions.assertThat;

import java.io.IOException;
import java.nio.file.Path;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import tools.jackson.databind.JsonNode;

/**
 * qa62's and qa65's wrappers on CPU (they were tested on allocation slices only): qa34's committed {@code CrossCuttingPod}
 * JFRs (src/test/resources/qa34, README there), each slice collapsed as {@code canary-judge collapse … --profile-type cpu}
 * does, {@code a1} as the canary with a new {@code Router.traced} above {@code RecommendationService.recommend} on a share
 * of its stacks, against {@code b1 b2 b3} without history ({@code bench/qa67-cpu.sh}).
 */
class CpuWrapperTest extends CollapsedCrossCuttingPods {
    /**
     * Around 5 % of the calls: before (92e20eea) "FAIL: new hot path under `Router.traced`, 0.0 % of CPU beside
     * `RecommendationService.recommend`, which it wraps"; the unchanged {@code a1} is INCONCLUSIVE here (three pods, no
     * history), and so is the wrapped one now.
     */
    @Test
    void aWrapperAroundFewCallsIsNoNewHotPathOnCpu(@TempDir Path dir) throws IOException {
        JsonNode verdict = judge(traced(pods.resolve("a1"), dir.resolve("a1-traced"), 0.05));

        String summary = verdict.path("summary").asString();
        assertThat(verdict.path("result").asString()).as(summary).isNotEqualTo("FAIL");
        JsonNode row = finding(verdict, TRACED);
        assertThat(row.path("failing").asBoolean()).isFalse();
        assertThat(row.path("explanation").asString()).contains("a wrapper around some of its calls");
    }

    /** qa62's costless wrapper on CPU: around every call, said as a frame that costs nothing, not a hot path. */
    @Test
    void aWrapperAroundEveryCallCostsNothingOnCpu(@TempDir Path dir) throws IOException {
        JsonNode verdict = judge(traced(pods.resolve("a1"), dir.resolve("a1-traced"), 1.0));

        String summary = verdict.path("summary").asString();
        assertThat(verdict.path("result").asString()).as(summary).isNotEqualTo("FAIL");
        assertThat(summary).doesNotContain(TRACED);
        for (JsonNode i : verdict.path("incidents")) {
            if (i.path("entryFrame").asString().equals(TRACED)) {
                assertThat(i.path("summary").asString()).startsWith("new frame `" + TRACED + "` wrapping `" + RECOMMEND)
                        .endsWith("of CPU with it), no cost of its own");
                return;
            }
        }
        throw new AssertionError("no incident at " + TRACED + ": " + summary);
    }

    /**
     * A fifth of the calls traced in {@code a1} whose {@code recommend} runs 1.8 times as dear (every stack through it
     * ×1.8, {@code bench/qa67-scale.py}): the FAIL is the callee's. At 20794fe6 the callers' rise ({@code Router.dispatch}
     * +14 %, q = 0.005) joined the wrapper's incident: "FAIL: new hot path under `Router.traced`, 0.0 % of CPU beside
     * `RecommendationService.recommend`, which it wraps (11.1 % with it)" (qa67's "Not fixed" 4); now it is named at the
     * callee, and the wrapper is said to cost nothing of its own (qa71).
     */
    @Test
    void aWrapperOfADearerCalleeLeavesTheFailToTheCalleeOnCpu(@TempDir Path dir) throws IOException {
        Path dear = dearer(pods.resolve("a1"), dir.resolve("a1-dear"), 1.8);
        JsonNode verdict = judge(traced(dear, dir.resolve("a1-dear-traced"), 0.2));

        String summary = verdict.path("summary").asString();
        assertThat(verdict.path("result").asString()).as(summary).isEqualTo("FAIL");
        assertThat(summary).startsWith("FAIL: `" + RECOMMEND + "` +").doesNotContain(TRACED);
        JsonNode wrapper = incident(verdict, TRACED);
        assertThat(wrapper.path("failing").asBoolean()).isFalse();
        assertThat(wrapper.path("summary").asString()).endsWith("no cost of its own");
    }
}
