package io.canaryjudge.cli;

import static org.assertj.core.api.Assertions.assertThat;

import java.nio.file.Files;
import java.nio.file.Path;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import tools.jackson.databind.JsonNode;
import tools.jackson.databind.json.JsonMapper;

/**
 * {@code compare --history PATH} end to end on the recorded shop scenarios (async-profiler, one JVM per
 * pod): one baseline pod against one canary pod of the same code, with and without the session's other
 * baseline JVMs as history. The verdict says what each type's noise was learned from.
 */
class CompareHistoryTest {
    private static final JsonMapper JSON = JsonMapper.builder().build();
    private static final Path SCENARIOS = Path.of("src/test/resources/scenarios");
    private static final Path SESSION = SCENARIOS.resolve("baselines/session-1");
    private static final Path CANARY = SCENARIOS.resolve("aa/canary/pod-1");

    private static JsonNode cpu(CliRun run) {
        assertThat(run.status()).as(run.err() + run.out()).isIn(0, 1, 2);
        JsonNode verdict = JSON.readTree(run.out());
        for (JsonNode type : verdict.get("dataQuality").get("types")) {
            if (type.get("profileType").asString().equals("cpu")) {
                return type;
            }
        }
        throw new AssertionError("no cpu type in " + run.out());
    }

    @Test
    void withoutHistoryOnePodPerSideLearnsFromThePriorOnly() {
        CliRun run = CliRun.of("compare", "--baseline", SESSION.resolve("pod-1").toString(),
                "--canary", CANARY.toString(), "--format", "json");
        assertThat(cpu(run).get("noiseSource").asString()).startsWith("prior only");
    }

    @Test
    void historyInstancesAreUsedForNoiseAndNamedInTheVerdict() {
        CliRun run = CliRun.of("compare", "--baseline", SESSION.resolve("pod-1").toString(),
                "--canary", CANARY.toString(), "--history", SESSION.resolve("pod-2").toString(),
                "--history", SESSION.resolve("pod-3").toString(), "--format", "json");
        JsonNode cpu = cpu(run);
        assertThat(cpu.get("noiseSource").asString()).startsWith("history:").contains("of 2 instance(s)");
        // history never counts as baseline: the baseline is still the one pod
        assertThat(cpu.get("baseline").get("instances").asInt()).isEqualTo(1);
        assertThat(JSON.readTree(run.out()).get("result").asString()).as(run.out()).isNotEqualTo("FAIL");
    }

    @Test
    void textVerdictSaysWhatTheNoiseWasLearnedFrom() {
        CliRun run = CliRun.of("compare", "--baseline", SESSION.resolve("pod-1").toString(),
                "--canary", CANARY.toString(), "--history", SESSION.resolve("pod-2").toString(),
                "--history", SESSION.resolve("pod-3").toString(), "--format", "text");
        assertThat(run.status()).as(run.err() + run.out()).isIn(0, 1, 2);
        assertThat(run.out()).contains("noise learned from history: ");
    }

    /** One window of one other pod has nothing to be compared with in its own window: the verdict says so. */
    @Test
    void historyWithNothingToCompareIsNamedAsUnused() {
        CliRun run = CliRun.of("compare", "--baseline", SESSION.resolve("pod-1").toString(),
                "--canary", CANARY.toString(), "--history", SESSION.resolve("pod-2").toString(), "--format", "json");
        assertThat(cpu(run).get("noiseSource").asString()).startsWith("prior only")
                .contains("the history (1 window(s) of 1 instance(s)) holds no two windows to compare");
    }

    @Test
    void baselinePathGivenAsHistoryToo() {
        String pod = SESSION.resolve("pod-1").toString();
        CliRun run = CliRun.of("compare", "--baseline", pod, "--canary", CANARY.toString(), "--history", pod);
        assertThat(run.status()).isEqualTo(64);
        assertThat(run.err()).contains("given as --baseline and --history");
    }

    /** Paths are compared as the files they name: a symlink to the baseline pod is still the baseline. */
    @Test
    void symlinkToTheBaselineGivenAsHistoryIsAUsageError(@TempDir Path dir) throws Exception {
        Path pod = SESSION.resolve("pod-1");
        Path link = Files.createSymbolicLink(dir.resolve("pod-1-link"), pod.toAbsolutePath());
        CliRun run = CliRun.of("compare", "--baseline", pod.toString(), "--canary", CANARY.toString(),
                "--history", link.toString());
        assertThat(run.status()).as(run.err()).isEqualTo(64);
        assertThat(run.err()).contains(link + " given as --baseline and --history");
    }

    @Test
    void canaryPathGivenAsHistoryIsAUsageError() {
        CliRun run = CliRun.of("compare", "--baseline", SESSION.resolve("pod-1").toString(),
                "--canary", CANARY.toString(), "--history", CANARY.resolve("../pod-1").toString());
        assertThat(run.status()).as(run.err()).isEqualTo(64);
        assertThat(run.err()).contains("given as --canary and --history");
    }

    @Test
    void missingHistoryPathIsInvalidInputNamingIt() {
        CliRun run = CliRun.of("compare", "--baseline", SESSION.resolve("pod-1").toString(),
                "--canary", CANARY.toString(), "--history", "no/such/window");
        assertThat(run.status()).as(run.err()).isEqualTo(65);
        assertThat(run.err()).contains("no/such/window");
    }
}
