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
 * The same shop code on a pod whose JVM sees one CPU ({@code -XX:ActiveProcessorCount=1}, as a container CPU limit of 1
 * gives it): JVM ergonomics choose SerialGC there and G1 on the baseline's two CPUs, with no GC flag anywhere. Real
 * async-profiler recordings ({@code src/test/resources/qa28/README.md}), judged by {@code compare} at default settings.
 * pprof carries no JVM flags, so only the frames can say that the collector differs.
 */
class CompareUnlikeNodeCollectorTest {
    private static final Path DIR = SharedFixtures.projectRoot().resolve("canary-judge/src/test/resources/qa28");
    private static final JsonMapper JSON = JsonMapper.builder().build();

    private static JsonNode compare(List<String> baseline, List<String> canary) {
        List<String> args = new ArrayList<>(List.of("compare", "--format", "json"));
        baseline.forEach(p -> args.addAll(List.of("--baseline", DIR.resolve(p).toString())));
        canary.forEach(p -> args.addAll(List.of("--canary", DIR.resolve(p).toString())));
        CliRun run = CliRun.of(args.toArray(String[]::new));
        assertThat(run.status()).as(run.err()).isIn(0, 1, 2);
        return JSON.readTree(run.out());
    }

    private static final List<String> BASELINE = List.of("cpu1/baseline/pod-1", "cpu1/baseline/pod-2", "cpu1/baseline/pod-3");

    /**
     * Three canary pods with one CPU beside three with two: G1's workers gone, SerialGC's collections in the VM thread
     * new. Before, nothing in the summary or warnings said so, and the GC incidents read "JVM work (JVM runtime): new hot
     * path under `…OopOopIterateDispatch<DefNewScanClosure>…`".
     */
    @Test
    void theSameCodeOnOneCpuIsNotFailedAndTheCollectorIsNamed() {
        JsonNode verdict = compare(BASELINE, List.of("cpu1/canary/pod-1", "cpu1/canary/pod-2", "cpu1/canary/pod-3"));

        String summary = verdict.path("summary").asString();
        assertThat(verdict.path("result").asString()).as(summary).isNotEqualTo("FAIL");
        assertThat(summary).contains("another garbage collector (Serial in the canary, G1 in the baseline")
                .contains("not the application's code");
        assertThat(VerdictNodes.warnings(verdict)).anySatisfy(w -> assertThat(w)
                .contains("different garbage collectors (Serial in the canary, G1 in the baseline").contains("ergonomics"));
        List<String> gcIncidents = new ArrayList<>();
        verdict.path("incidents").forEach(i -> {
            if (i.path("entryFrame").asString().matches(".*(DefNew|GenCollectedHeap|OopOopIterate|G1).*")) {
                gcIncidents.add(i.path("summary").asString());
            }
        });
        assertThat(gcIncidents).isNotEmpty().allSatisfy(s -> assertThat(s).startsWith("JVM work (garbage collection)"));
    }

    /** Argo's usual layout: each one-CPU canary pod alone beside the three baseline pods. */
    @ParameterizedTest
    @ValueSource(strings = {"cpu1/canary/pod-1", "cpu1/canary/pod-2", "cpu1/canary/pod-3"})
    void oneCanaryPodOnOneCpuIsNotFailed(String pod) {
        JsonNode verdict = compare(BASELINE, List.of(pod));

        assertThat(verdict.path("result").asString()).as(verdict.path("summary").asString()).isNotEqualTo("FAIL");
    }

    /** Pods of one collector: nothing said of collectors. */
    @Test
    void podsOfOneCollectorSayNothingOfCollectors() {
        JsonNode verdict = compare(List.of("cpu1/baseline/pod-1", "cpu1/baseline/pod-2"), List.of("cpu1/baseline/pod-3"));

        assertThat(verdict.path("summary").asString()).doesNotContain("garbage collector");
        assertThat(VerdictNodes.warnings(verdict)).noneSatisfy(w -> assertThat(w).contains("garbage collectors"));
    }

    /**
     * A real regression on the one-CPU node ({@code discountRuleFactor=2.0}: {@code PriceCalculator.applyDiscounts}, 17 %
     * of CPU, does twice the work; recorded beside baseline pods of its own) still FAILs at its method; the collector note says the collector's write barriers run in the code's frames.
     */
    @Test
    void aRegressionOnOneCpuStillFailsAtItsMethod() {
        JsonNode verdict = compare(List.of("reg-cpu1/baseline/pod-1", "reg-cpu1/baseline/pod-2", "reg-cpu1/baseline/pod-3"),
                List.of("reg-cpu1/canary/pod-1", "reg-cpu1/canary/pod-2",
                "reg-cpu1/canary/pod-3"));

        String summary = verdict.path("summary").asString();
        assertThat(verdict.path("result").asString()).as(summary).isEqualTo("FAIL");
        assertThat(verdict.path("incidents").get(0).path("entryFrame").asString())
                .isEqualTo("io.canaryjudge.scenario.shop.PriceCalculator.applyDiscounts");
        assertThat(summary).startsWith("FAIL: `io.canaryjudge.scenario.shop.PriceCalculator.applyDiscounts` +")
                .contains("another garbage collector (Serial in the canary, G1 in the baseline").endsWith("judge the canary beside baseline pods with the same CPU and memory limits.");
    }
}
