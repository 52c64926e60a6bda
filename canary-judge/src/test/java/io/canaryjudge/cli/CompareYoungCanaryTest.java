package io.canaryjudge.cli;

import static org.assertj.core.api.Assertions.assertThat;

import io.canaryjudge.SharedFixtures;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;
import tools.jackson.databind.JsonNode;
import tools.jackson.databind.json.JsonMapper;

/**
 * A young canary JVM, as Argo Rollouts' first analysis sees it: the canary pod started with the window, so its
 * profiles hold its JVM's start (interpreted and C1 code, C2 compiling), beside three warm baseline pods. Real shop
 * pods recorded by async-profiler ({@code src/test/resources/young-canary/README.md}), judged by {@code compare} with
 * default settings, as a user gives them.
 */
class CompareYoungCanaryTest {
    private static final Path DIR = SharedFixtures.projectRoot().resolve("canary-judge/src/test/resources/young-canary");
    private static final String SHOP = "io.canaryjudge.scenario.shop.";
    private static final JsonMapper JSON = JsonMapper.builder().build();

    /** {@code compare} of a session's three baseline pods and the given canary pods, default settings. */
    private static JsonNode compare(String session, String... canaryPods) {
        List<String> args = new ArrayList<>(List.of("compare", "--format", "json"));
        for (int i = 1; i <= 3; i++) {
            args.addAll(List.of("--baseline", DIR.resolve(session + "/baseline/pod-" + i).toString()));
        }
        for (String pod : canaryPods) {
            args.addAll(List.of("--canary", DIR.resolve(session + "/" + pod).toString()));
        }
        CliRun run = CliRun.of(args.toArray(String[]::new));
        assertThat(run.status()).as(run.err()).isIn(0, 1, 2);
        return JSON.readTree(run.out());
    }

    private static List<JsonNode> findings(JsonNode verdict, String function) {
        List<JsonNode> found = new ArrayList<>();
        verdict.path("findings").forEach(f -> {
            if (f.path("function").asString().equals(function)) {
                found.add(f);
            }
        });
        return found;
    }

    /**
     * Three canary pods started with the window, the same code as the baseline's: their first 40 s were the JIT
     * compiling (35-46 % of their CPU), and their application code ran interpreted or as C1 code meanwhile
     * ({@code OrderSerializer.toJson} +68 % of CPU with its callees: FAIL). Those slices are warm-up now, left out
     * and said so; what remains is too little to tell, and the verdict says to judge a later window.
     */
    @Test
    void youngCanariesOfUnchangedCodeAreNotFailedForTheirWarmUp() {
        JsonNode verdict = compare("session-1", "aa/pod-1", "aa/pod-2", "aa/pod-3");

        String summary = verdict.path("summary").asString();
        assertThat(verdict.path("result").asString()).as(summary).isEqualTo("INCONCLUSIVE");
        assertThat(summary).contains("left out as JVM warm-up").contains("a later window");
        assertThat(VerdictNodes.warnings(verdict)).filteredOn(w -> w.contains("left out as JVM warm-up")).hasSize(3)
                .allSatisfy(w -> assertThat(w).contains("the JIT compiler took"));
        // The JIT's own work is there, large, and never the culprit.
        assertThat(findings(verdict, "libjvm.so.Compile::Compile")).allSatisfy(f -> {
            assertThat(f.path("failing").asBoolean()).isFalse();
            assertThat(f.path("explanation").asString()).contains("JVM or operating-system work");
        });
    }

    /**
     * Argo's usual layout, one young canary pod beside three: never FAIL. {@code aa-2min}: pods started 2 min before
     * their window; a recompilation early in it ran {@code LatencyReporter.publish} uncompiled again, so its array
     * copies showed in {@code Object.clone} (5.4 % of allocated bytes) while the caller's own share fell from 12 % to
     * 1 % — less than half what the caller lost, which was read as code that replaced something else: FAIL.
     */
    @ParameterizedTest
    @ValueSource(strings = {"aa/pod-1", "aa/pod-2", "aa/pod-3", "aa-2min/pod-1", "aa-2min/pod-3"})
    void oneYoungCanaryPodOfUnchangedCodeDoesNotFail(String pod) {
        JsonNode verdict = compare("session-1", pod);

        assertThat(verdict.path("result").asString()).as(verdict.path("summary").asString()).isNotEqualTo("FAIL");
    }

    /**
     * Twice the discount rules in three young canaries recorded beside their baseline: {@code
     * PriceCalculator.applyDiscounts} FAILs, named, with the warm-up left out.
     */
    @Test
    void aRegressionInYoungCanariesStillFailsNamingItsMethod() {
        JsonNode verdict = compare("session-2", "regression/pod-1", "regression/pod-2", "regression/pod-3");

        assertThat(verdict.path("result").asString()).as(verdict.path("summary").asString()).isEqualTo("FAIL");
        assertThat(verdict.path("incidents").get(0).path("entryFrame").asString())
                .as(verdict.path("summary").asString()).isEqualTo(SHOP + "PriceCalculator.applyDiscounts");
        assertThat(VerdictNodes.warnings(verdict)).filteredOn(w -> w.contains("left out as JVM warm-up")).hasSize(3);
    }

    /** Every request also serialising an audit snapshot, in one young canary pod: a new hot path named at its method. */
    @Test
    void aNewHotPathInAYoungCanaryStillFails() {
        JsonNode verdict = compare("session-1", "new-hot-path/pod-1");

        assertThat(verdict.path("result").asString()).as(verdict.path("summary").asString()).isEqualTo("FAIL");
        assertThat(verdict.path("summary").asString()).contains(SHOP + "AuditTrail.serializeSnapshot");
    }
}
