package io.canaryjudge.cli;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import tools.jackson.databind.JsonNode;
import tools.jackson.databind.json.JsonMapper;

/**
 * One profile file per pod — a pprof dumped per JVM, a JFR recording not cut into slices — is the plainest way to
 * call {@code compare}: {@code --baseline a.pb.gz --baseline b.pb.gz --baseline c.pb.gz --canary d.pb.gz}. By
 * default a group needs two observations, and the answer says how to give them or to judge one profile per pod
 * ({@code minObservationsPerGroup: 1}, measured in docs/EVALUATION.md "How profiles are cut"); so configured, the
 * judge judges it. Recorded shop scenarios (async-profiler, one JVM per pod), one 6-second slice of each pod.
 */
class CompareOneFilePerPodTest {
    private static final JsonMapper JSON = JsonMapper.builder().build();
    private static final Path SCENARIOS = Path.of("src/test/resources/scenarios");

    @TempDir
    static Path config;
    private static Path onePerPod;

    @BeforeAll
    static void writeConfig() throws IOException {
        onePerPod = Files.writeString(config.resolve("one-per-pod.yaml"), "minObservationsPerGroup: 1\n");
    }

    private static List<String> args(String baselineSession, String canaryScenario, int baselinePods, int canaryPods) {
        List<String> args = new ArrayList<>(List.of("compare", "--format", "json", "--config", onePerPod.toString()));
        for (int p = 1; p <= baselinePods; p++) {
            args.add("--baseline");
            args.add(SCENARIOS.resolve("baselines/" + baselineSession + "/pod-" + p + "/slice-3.pb.gz").toString());
        }
        for (int p = 1; p <= canaryPods; p++) {
            args.add("--canary");
            args.add(SCENARIOS.resolve(canaryScenario + "/canary/pod-" + p + "/slice-3.pb.gz").toString());
        }
        return args;
    }

    private static JsonNode verdict(CliRun run) {
        assertThat(run.status()).as(run.err() + run.out()).isIn(0, 1, 2);
        return JSON.readTree(run.out());
    }

    @Test
    void byDefaultOneFilePerPodIsInconclusiveSayingHowToJudgeIt() {
        List<String> args = args("session-3", "new-hot-path", 3, 1);
        args.subList(3, 5).clear(); // no --config
        CliRun run = CliRun.of(args.toArray(String[]::new));
        JsonNode verdict = verdict(run);

        assertThat(verdict.get("result").asString()).as(run.out()).isEqualTo("INCONCLUSIVE");
        assertThat(verdict.get("summary").asString()).contains("at least 2 needed", "--slice",
                "minObservationsPerGroup: 1");
    }

    @Test
    void aNewHotPathFailsWithOneFileForTheOneCanaryPod() {
        CliRun run = newHotPathFailsNamingIt(3, 1);
        assertThat(run.status()).isEqualTo(1);
    }

    @Test
    void aNewHotPathFailsWithOneFilePerSide() {
        newHotPathFailsNamingIt(1, 1);
    }

    private static CliRun newHotPathFailsNamingIt(int baselinePods, int canaryPods) {
        CliRun run = CliRun.of(args("session-3", "new-hot-path", baselinePods, canaryPods).toArray(String[]::new));
        JsonNode verdict = verdict(run);

        assertThat(verdict.get("result").asString()).as(run.out()).isEqualTo("FAIL");
        assertThat(verdict.get("summary").asString()).contains("AuditTrail.serializeSnapshot");
        return run;
    }

    @Test
    void theSameCodeWithOneFileForTheOneCanaryPodDoesNotFail() {
        CliRun run = CliRun.of(args("session-1", "aa", 3, 1).toArray(String[]::new));
        JsonNode verdict = verdict(run);

        assertThat(verdict.get("result").asString()).as(run.out()).isNotEqualTo("FAIL");
        assertThat(verdict.get("summary").asString()).doesNotContain("needed");
    }
}
