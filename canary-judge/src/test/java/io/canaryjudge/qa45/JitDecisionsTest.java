package io.canaryjudge.qa45;

import static org.assertj.core.api.Assertions.assertThat;

import io.canaryjudge.SharedFixtures;
import io.canaryjudge.cli.CompareJson;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.Test;
import tools.jackson.databind.JsonNode;

/**
 * JIT decisions that differ between JVMs of one build, with one baseline JVM ({@link RoutingPod} pods recorded by
 * async-profiler 4.2, src/test/resources/qa45, README there). In {@code b4} C2 left
 * {@code BigDecimal.toPlainString}'s string allocation in place ({@code Long.toString} 0.35 % → 0.69 % of
 * allocated bytes, {@code BigDecimal.getValueString} 0 → 0.29 %); in {@code b1} escape analysis removed it. In
 * {@code b6} the JIT attributed {@code Enricher.tag}'s inlined loop to a lambda's generated class
 * ({@code Enricher$$Lambda.accept}, 0 → 16 % of CPU in its own code).
 */
class JitDecisionsTest {
    static final Path RECORDINGS = SharedFixtures.projectRoot().resolve("canary-judge/src/test/resources/qa45");
    private static final String[] ALLOC = {"--profile-type", "alloc_bytes", "--value-per-sample", "32768"};
    private static final String[] CPU = {"--profile-type", "cpu"};

    /**
     * One JVM against another of the same build FAILed on JDK frames whose allocation one JVM's compiler removed
     * ("`Receipt.render` +4.4 % … q = 1.9e-168 for `BigDecimal.getValueString`"): nothing in one baseline JVM shows
     * how JIT decisions differ. Now INCONCLUSIVE, saying so.
     */
    @Test
    void anAllocationOneJvmsCompilerRemovedIsNoRegression() {
        JsonNode verdict = CompareJson.of(RECORDINGS, List.of("alloc/b1"), List.of("alloc/b4"), List.of(), ALLOC);

        assertThat(verdict.path("result").asString()).as(verdict.toString()).isEqualTo("INCONCLUSIVE");
        assertThat(failing(verdict)).as(verdict.toString()).isEmpty();
        assertThat(verdict.path("summary").asString()).as(verdict.toString())
                .contains("getValueString")
                .contains("JIT compiles them differently in each JVM")
                .contains("other pods of the baseline version as history");
        assertThat(verdict.path("dataQuality").path("types").get(0).path("noiseSource").asString())
                .contains("JDK, library and generated lambda frames also tested against a prior of how JIT decisions");
    }

    /** Two baseline JVMs against two canary JVMs, the flip split between the groups alike: no FAIL either. */
    @Test
    void twoAgainstTwoWithTheFlipInOneGroupIsNoRegression() {
        JsonNode verdict = CompareJson.of(RECORDINGS, List.of("alloc/b1", "alloc/b5"), List.of("alloc/b4", "alloc/b6"),
                List.of(), ALLOC);

        assertThat(verdict.path("result").asString()).as(verdict.toString()).isNotEqualTo("FAIL");
    }

    /**
     * A JDK cost the application drives still FAILs at the application method: the {@code lookups} canary looks every
     * header up twice in {@code Enricher.tag} (twice the {@code HashMap} lookups and key strings per request).
     */
    @Test
    void twiceTheLookupsStillFailAtTheApplicationMethod() {
        JsonNode verdict = CompareJson.of(RECORDINGS, List.of("alloc/b1"), List.of("alloc/look1"), List.of(), ALLOC);

        assertThat(verdict.path("result").asString()).as(verdict.toString()).isEqualTo("FAIL");
        assertThat(verdict.path("summary").asString()).as(verdict.toString())
                .startsWith("FAIL: `io.canaryjudge.qa45.RoutingPod$Enricher.tag`");
    }

    /** A new application path ({@code Throttle.admit}, about 3 % of CPU) still FAILs beside one baseline JVM. */
    @Test
    void aNewApplicationPathStillFails() {
        JsonNode verdict = CompareJson.of(RECORDINGS, List.of("cpu/b1"), List.of("cpu/newp1"), List.of(), CPU);

        assertThat(verdict.path("result").asString()).as(verdict.toString()).isEqualTo("FAIL");
        assertThat(verdict.path("summary").asString()).as(verdict.toString())
                .contains("new hot path under `io.canaryjudge.qa45.RoutingPod$Throttle.admit`");
    }

    /**
     * A lambda's generated class holds samples only where the JIT attributed inlined code to it: {@code b6}'s
     * {@code Enricher$$Lambda.accept} (0 → 16 % of CPU against {@code b5}) was a "new hot path" FAIL.
     */
    @Test
    void aGeneratedLambdaFrameIsNoNewHotPath() {
        JsonNode verdict = CompareJson.of(RECORDINGS, List.of("cpu/b5"), List.of("cpu/b6"), List.of(), CPU);

        assertThat(failing(verdict)).as(verdict.toString()).noneMatch(f -> f.contains("$$Lambda"));
    }

    private static List<String> failing(JsonNode verdict) {
        List<String> names = new ArrayList<>();
        for (JsonNode finding : verdict.path("findings")) {
            if (finding.path("failing").asBoolean()) {
                names.add(finding.path("function").asString());
            }
        }
        return names;
    }
}
