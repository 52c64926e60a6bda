package io.canaryjudge.web;

import static org.assertj.core.api.Assertions.assertThat;

import io.canaryjudge.CanaryJudgeApplication;
import io.canaryjudge.ServiceOnPyroscopeStandIn;
import io.canaryjudge.SharedFixtures;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.springframework.boot.test.context.SpringBootTest;
import org.springframework.test.context.DynamicPropertyRegistry;
import org.springframework.test.context.DynamicPropertySource;
import tools.jackson.databind.JsonNode;

/**
 * Young canary pods through the service's Pyroscope path (the stand-in, WireMock on loopback, serving the recorded
 * young-canary pods of {@code src/test/resources/young-canary/session-1}, 10 s slices) with the service's default
 * warm-up (2 min after a canary pod's first profile, for a pod first seen inside the window), one observation per
 * 10 s slice (as the Pyroscope agent uploads; the service's default is 60 s). A canary pod started
 * 30 s before the window is not first seen inside it: its JVM's start — the JIT compiling 35–46 % of its CPU for its
 * first 40 s — was judged as the canary's code, and the verdict FAILed (a new hot path of allocations in
 * {@code Object.clone}, which warm JVMs intrinsify).
 */
@SpringBootTest(classes = CanaryJudgeApplication.class, webEnvironment = SpringBootTest.WebEnvironment.RANDOM_PORT,
        properties = {"canary-judge.analysis.deadline=30s", "canary-judge.analysis.history-windows=0",
                "canary-judge.analysis.slice=10s"})
class PyroscopeYoungCanaryTest extends ServiceOnPyroscopeStandIn {
    static final Instant T0 = Instant.parse("2026-11-25T10:00:00Z");
    static final Duration SLICE = Duration.ofSeconds(10);
    static final Path SESSION = SharedFixtures.projectRoot().resolve("canary-judge/src/test/resources/young-canary/session-1");

    @DynamicPropertySource
    static void properties(DynamicPropertyRegistry registry) {
        startPyroscope(registry);
        for (int n = 1; n <= 3; n++) {
            // Warm baseline pods, 9 slices from T0; the young canaries' 9 slices from 30 s before it.
            pyroscope.addInstance(Map.of("service_name", "shop", "pod", "shop-base-" + n, "rollouts_pod_template_hash",
                    "base", "jfr_event", "itimer"), SESSION.resolve("baseline/pod-" + n), T0, SLICE);
            pyroscope.addInstance(Map.of("service_name", "shop", "pod", "shop-canary-" + n, "rollouts_pod_template_hash",
                    "canary", "jfr_event", "itimer"), SESSION.resolve("aa/pod-" + n), T0.minusSeconds(30), SLICE);
            // The same canaries started 10 s into the window.
            pyroscope.addInstance(Map.of("service_name", "shop", "pod", "shop-late-" + n, "rollouts_pod_template_hash",
                    "late", "jfr_event", "itimer"), SESSION.resolve("aa/pod-" + n), T0.plusSeconds(10), SLICE);
        }
    }

    private JsonNode analyse(Instant start, Instant end) {
        return analyse("canary", start, end);
    }

    private JsonNode analyse(String canaryHash, Instant start, Instant end) {
        String body = """
                {"application": "shop",
                 "baseline": {"labels": {"rollouts_pod_template_hash": "base"}},
                 "canary": {"labels": {"rollouts_pod_template_hash": "%s"}},
                 "start": "%s", "end": "%s"}""".formatted(canaryHash, start, end);
        return analyses(body);
    }

    private static List<String> warnings(JsonNode verdict) {
        List<String> warnings = new ArrayList<>();
        verdict.path("dataQuality").path("warnings").forEach(w -> warnings.add(w.asString()));
        return warnings;
    }

    /** The window T0..T0+60 s holds the canaries' 4th to 9th slices: their JVMs' last 10 s of heavy compiling. */
    @Test
    void canaryPodsStartedJustBeforeTheWindowHaveTheirWarmUpLeftOut() {
        JsonNode verdict = analyse(T0, T0.plusSeconds(60));

        assertThat(verdict.path("result").asString()).as(verdict.toString()).isNotEqualTo("FAIL");
        assertThat(warnings(verdict)).as(verdict.toString()).filteredOn(w -> w.contains("left out as JVM warm-up"))
                .hasSize(3).allSatisfy(w -> assertThat(w).startsWith("canary pod shop-canary-")
                        .contains("the JIT compiler took"));
    }

    /**
     * Canary pods first seen inside the window lose their first 2 min (the service's warm-up): here all of the window.
     * The verdict said "no canary profiles of application "shop", rollouts_pod_template_hash="late" between …", which
     * sends a user to the canary's labels or its agent, while its pods were there.
     */
    @Test
    void canaryPodsStartedInsideTheWindowAreLeftOutByTheServicesWarmUpAndTheVerdictSaysSo() {
        JsonNode verdict = analyse("late", T0, T0.plusSeconds(90));

        assertThat(verdict.path("result").asString()).as(verdict.toString()).isEqualTo("INCONCLUSIVE");
        assertThat(verdict.path("summary").asString()).as(verdict.toString())
                .startsWith("INCONCLUSIVE: every canary pod started inside the window, and its warm-up (the first 2 min")
                .contains("shop-late-1, shop-late-2, shop-late-3")
                .contains("judge a window that ends at least 2 min after the canary pods started")
                .doesNotContain("no canary profiles");
    }
}
