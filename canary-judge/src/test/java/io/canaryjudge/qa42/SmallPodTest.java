package io.canaryjudge.qa42;

import static org.assertj.core.api.Assertions.assertThat;

import io.canaryjudge.SharedFixtures;
import io.canaryjudge.cli.CompareJson;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.Test;
import tools.jackson.databind.JsonNode;

/**
 * A canary pod that started late (src/test/resources/qa42/late: one 4 s slice of a {@link LedgerPod} JVM, 17
 * requests, 147 CPU samples) beside a canary pod of 2,590 samples ({@code now/a}), both the unchanged build.
 */
class SmallPodTest {
    static final Path RECORDINGS = SharedFixtures.projectRoot().resolve("canary-judge/src/test/resources/qa42");

    /**
     * Such a pod counts as much as any other in its group's mean share and cost per request (recorded layouts: the
     * A/A canary's CPU per request +35 to +183 % with it), and the verdict asked for "more pods" without naming it.
     * Now a data-quality warning names the pod and what it does to the comparison.
     */
    @Test
    void aPodWithATenthOfItsGroupsSamplesIsNamed() {
        JsonNode verdict = CompareJson.of(RECORDINGS, List.of("now/b"), List.of("now/a", "late"));

        assertThat(warnings(verdict)).as(verdict.toString()).anySatisfy(w -> assertThat(w)
                .startsWith("canary pod " + RECORDINGS.resolve("late") + " holds under a tenth of the samples")
                .contains("cpu: 147 against 2,590"));
        assertThat(warnings(verdict).stream().filter(w -> w.contains("holds under a tenth"))).hasSize(1);
    }

    @Test
    void podsOfLikeSizeAreNotNamed() {
        JsonNode verdict = CompareJson.of(RECORDINGS, List.of("now/b"), List.of("now/a"));

        assertThat(warnings(verdict)).as(verdict.toString()).noneMatch(w -> w.contains("holds under a tenth"));
    }

    private static List<String> warnings(JsonNode verdict) {
        List<String> warnings = new ArrayList<>();
        verdict.path("dataQuality").path("warnings").forEach(w -> warnings.add(w.asString()));
        return warnings;
    }
}
