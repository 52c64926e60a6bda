package io.canaryjudge.qa24;

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
 * A canary pod restarted inside the analysis window, through the service's Pyroscope path (the stand-in serving real
 * shop JVMs, {@code src/test/resources/qa24}, 10 s slices as the agent uploads them; the service's 2 min warm-up).
 * Kubernetes restarts a pod under the same name, so its Pyroscope series goes on under the same {@code pod} label: the
 * old JVM's slices, a pause, then a new JVM's. The service saw the pod first long before the window, judged the new JVM's
 * warm-up as the canary's code, and said nothing: a restarted canary PASSed as a steady one, and a crash-looping one
 * (two restarts in a 4-minute window) PASSed quietly.
 */
@SpringBootTest(classes = CanaryJudgeApplication.class, webEnvironment = SpringBootTest.WebEnvironment.RANDOM_PORT,
        properties = {"canary-judge.analysis.deadline=30s", "canary-judge.analysis.history-windows=0",
                "canary-judge.analysis.slice=10s", "canary-judge.pyroscope.timeout=20s"})
class PodRestartsInTheWindowTest extends ServiceOnPyroscopeStandIn {
    static final Instant T0 = Instant.parse("2026-11-25T10:00:00Z");
    static final Duration SLICE = Duration.ofSeconds(10);
    static final Path RECORDINGS = SharedFixtures.projectRoot().resolve("canary-judge/src/test/resources/qa24");

    /** {@code count} slices of a recording from its {@code from}-th (1-based), stamped from T0 + {@code at} s. */
    static void slices(String hash, String pod, String recording, int from, int count, int at) {
        for (int i = 0; i < count; i++) {
            Instant start = T0.plusSeconds(at).plus(SLICE.multipliedBy(i));
            pyroscope.addProfile(Map.of("service_name", "shop", "pod", pod, "rollouts_pod_template_hash", hash,
                    "jfr_event", "itimer"), start, start.plus(SLICE),
                    RECORDINGS.resolve(recording).resolve("slice-" + (from + i) + ".pb.gz"));
        }
    }

    @DynamicPropertySource
    static void properties(DynamicPropertyRegistry registry) {
        startPyroscope(registry);
        for (int n = 1; n <= 3; n++) {
            slices("base", "shop-base-" + n, "baseline/pod-" + n, 1, 24, 0);
        }
        // Restarted once: the warm JVM (up since 1 min before the window) until T0 + 2 min, 20 s without profiles, a new
        // JVM under the same name.
        slices("restart", "shop-restart-1", "canary-warm", 1, 18, -60);
        slices("restart", "shop-restart-1", "canary-young-1", 1, 10, 140);
        // Crash-looping: two restarts in the window.
        slices("loop", "shop-loop-1", "canary-warm", 1, 12, -60);
        slices("loop", "shop-loop-1", "canary-young-1", 1, 5, 80);
        slices("loop", "shop-loop-1", "canary-young-2", 1, 10, 150);
        // Restarted without a pause a 10 s series step could see: the new JVM's profiles follow the old one's at once.
        slices("quick", "shop-quick-1", "canary-warm", 1, 20, -60);
        slices("quick", "shop-quick-1", "canary-young-1", 1, 10, 140);
        // The warm JVM for the whole window.
        slices("steady", "shop-steady-1", "canary-warm", 1, 30, -60);
        // A baseline whose third pod went away half-way (the HPA scaled it in).
        slices("base2", "shop-base2-1", "baseline/pod-1", 1, 24, 0);
        slices("base2", "shop-base2-2", "baseline/pod-2", 1, 24, 0);
        slices("base2", "shop-base2-3", "baseline/pod-3", 1, 12, 0);
    }

    private JsonNode analyse(String canaryHash) {
        return analyse("base", canaryHash);
    }

    private JsonNode analyse(String baselineHash, String canaryHash) {
        String body = """
                {"application": "shop",
                 "baseline": {"labels": {"rollouts_pod_template_hash": "%s"}},
                 "canary": {"labels": {"rollouts_pod_template_hash": "%s"}},
                 "start": "%s", "end": "%s"}""".formatted(baselineHash, canaryHash, T0, T0.plusSeconds(240));
        return analyses(body);
    }

    private static List<String> warnings(JsonNode verdict) {
        List<String> warnings = new ArrayList<>();
        verdict.path("dataQuality").path("warnings").forEach(w -> warnings.add(w.asString()));
        return warnings;
    }

    /** The restart is said in the summary and a warning, naming the pod and when; the new JVM's warm-up is left out. */
    @Test
    void aCanaryPodRestartedInsideTheWindowIsNamedAndItsNewJvmsWarmUpLeftOut() {
        JsonNode verdict = analyse("restart");

        assertThat(verdict.path("result").asString()).as(verdict.toString()).isNotEqualTo("FAIL");
        assertThat(verdict.path("summary").asString()).as(verdict.toString())
                .contains("Canary pod shop-restart-1 (2026-11-25T10:02:00Z until 2026-11-25T10:02:30Z) sent no profiles")
                .contains("restarted (a new JVM under the same name)");
        assertThat(warnings(verdict)).as(verdict.toString()).anySatisfy(w -> assertThat(w)
                .startsWith("canary pod shop-restart-1 sent no profiles from 2026-11-25T10:02:00Z until"
                        + " 2026-11-25T10:02:30Z, inside the window: it restarted")
                .contains("left out as a new JVM's warm-up"));
        // Every slice of the new JVM fell within its 2 min warm-up: what was judged is the old JVM's 11 slices.
        assertThat(verdict.path("dataQuality").path("types").get(0).path("canary").path("observations").asInt())
                .as(verdict.toString()).isEqualTo(11);
    }

    @Test
    void aCrashLoopingCanaryDoesNotPass() {
        JsonNode verdict = analyse("loop");

        assertThat(verdict.path("result").asString()).as(verdict.toString()).isEqualTo("INCONCLUSIVE");
        assertThat(verdict.path("summary").asString()).as(verdict.toString())
                .contains("anary pod shop-loop-1 stopped sending profiles 2 times inside the window"
                        + " (2026-11-25T10:01:00Z until 2026-11-25T10:01:30Z, 2026-11-25T10:02:10Z until"
                        + " 2026-11-25T10:02:40Z)")
                .contains("kubectl describe pod shop-loop-1");
    }

    /** No pause in the series: the judge sees the new JVM's compiling in the pod's own slices and says so. */
    @Test
    void aRestartWithoutAPauseShowsAsTheJitCompilingAgainAndIsSaid() {
        JsonNode verdict = analyse("quick");

        assertThat(verdict.path("result").asString()).as(verdict.toString()).isNotEqualTo("FAIL");
        assertThat(warnings(verdict)).as(verdict.toString()).anySatisfy(w -> assertThat(w)
                .startsWith("canary pod shop-quick-1: from its slice 15 of 24 (140 s after its first) the JIT compiler"
                        + " took ")
                .contains("as a JVM's start does: the pod restarted under the same name"));
    }

    @Test
    void aSteadyCanaryPodIsNotSaidToHaveRestarted() {
        JsonNode verdict = analyse("steady");

        assertThat(verdict.path("result").asString()).as(verdict.toString()).isNotEqualTo("FAIL");
        assertThat(verdict.path("summary").asString()).as(verdict.toString()).doesNotContain("restart");
        assertThat(warnings(verdict)).as(verdict.toString()).noneMatch(w -> w.contains("restart"));
    }

    /** A pod present for part of the window is judged on what it has, and the verdict says so. */
    @Test
    void aBaselinePodGoneHalfWayIsJudgedOnWhatItHasAndSaid() {
        JsonNode verdict = analyse("base2", "steady");

        assertThat(verdict.path("result").asString()).as(verdict.toString()).isNotEqualTo("FAIL");
        assertThat(warnings(verdict)).as(verdict.toString()).contains("baseline pod shop-base2-3 had profiles in 12 of"
                + " the window's 24 slices (from 2026-11-25T10:00:00Z to 2026-11-25T10:02:00Z): it started, stopped or"
                + " paused inside the window (scaled, restarted, or its profiler did not upload) and was judged on those"
                + " 12");
        assertThat(warnings(verdict)).as(verdict.toString()).noneMatch(w -> w.contains("shop-base2-1")
                || w.contains("shop-steady-1"));
    }
}
