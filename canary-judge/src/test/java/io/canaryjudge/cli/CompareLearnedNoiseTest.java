package io.canaryjudge.cli;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import tools.jackson.databind.JsonNode;
import tools.jackson.databind.json.JsonMapper;

/**
 * {@code compare --learned-noise FILE} end to end on the recorded shop sessions (async-profiler, one JVM per pod):
 * comparisons of earlier sessions' baselines fill the file, one verdict at a time, and a later comparison judges
 * with it and says so.
 */
class CompareLearnedNoiseTest {
    private static final JsonMapper JSON = JsonMapper.builder().build();
    private static final Path SCENARIOS = Path.of("src/test/resources/scenarios");

    private static String pod(int session, int pod) {
        return SCENARIOS.resolve("baselines/session-" + session).resolve("pod-" + pod).toString();
    }

    private static CliRun compareSessions(int baseline, int canary, Path learned) {
        return CliRun.of("compare", "--baseline", pod(baseline, 1), "--baseline", pod(baseline, 2), "--baseline",
                pod(baseline, 3), "--canary", pod(canary, 1), "--canary", pod(canary, 2), "--format", "json",
                "--learned-noise", learned.toString());
    }

    @Test
    void eachComparisonAddsItsBaselineAndALaterOneJudgesWithIt(@TempDir Path dir) throws IOException {
        Path learned = dir.resolve("orders-noise.json");
        CliRun first = compareSessions(2, 3, learned);
        assertThat(first.status()).as(first.err()).isIn(0, 1, 2);
        JsonNode file = JSON.readTree(Files.readString(learned, StandardCharsets.UTF_8));
        assertThat(file.get("lessons").size()).isEqualTo(1);
        assertThat(file.get("lessons").get(0).get("jvms").size()).isEqualTo(3);
        assertThat(file.get("lessons").get(0).get("noise").size()).isGreaterThan(50);
        // the first comparison had nothing learned yet
        assertThat(cpuNoiseSource(first)).doesNotContain("earlier verdict");

        CliRun second = compareSessions(4, 5, learned);
        assertThat(second.status()).as(second.err()).isIn(0, 1, 2);
        assertThat(lessons(learned)).isEqualTo(2);
        assertThat(cpuNoiseSource(second)).contains("also learned from the baselines of 1 earlier verdict(s)");

        CliRun aa = CliRun.of("compare", "--baseline", pod(1, 1), "--canary",
                SCENARIOS.resolve("aa/canary/pod-1").toString(), "--format", "json", "--learned-noise", learned.toString());
        assertThat(aa.status()).as(aa.err() + aa.out()).isIn(0, 2);
        assertThat(cpuNoiseSource(aa)).startsWith("prior: ").contains("2 earlier verdict(s)");
        // one baseline pod shows no between-pod noise: nothing to add
        assertThat(lessons(learned)).isEqualTo(2);
    }

    /**
     * How many functions the lessons covered is said in words: "(58 of 58 functions)" stood beside
     * {@code functionsTested} 198 (self and inclusive tests) with nothing saying what it counted. It counts the
     * functions tested for their self share that an earlier baseline had measured, of all of them.
     */
    @Test
    void theLessonsCountSaysWhatItCounts(@TempDir Path dir) throws IOException {
        Path learned = dir.resolve("noise.json");
        compareSessions(2, 3, learned);
        CliRun later = compareSessions(4, 5, learned);
        assertThat(later.status()).as(later.err()).isIn(0, 1, 2);
        String source = cpuNoiseSource(later);
        assertThat(source).doesNotContainPattern("\\(\\d+ of \\d+ functions\\)");
        java.util.regex.Matcher count = java.util.regex.Pattern.compile("also learned from the baselines of 1 earlier"
                + " verdict\\(s\\), which had measured (\\d+) of the (\\d+) functions whose self share was tested here$")
                .matcher(source);
        assertThat(count.find()).as(source).isTrue();
        int covered = Integer.parseInt(count.group(1));
        int selfTested = Integer.parseInt(count.group(2));
        int functionsTested = cpuType(later).get("functionsTested").asInt();
        assertThat(covered).isPositive().isLessThanOrEqualTo(selfTested);
        assertThat(selfTested).as("self tests only; functionsTested counts inclusive ones too")
                .isLessThan(functionsTested);
    }

    /** The same recordings compared again are the same JVMs: their lesson is replaced, and never judges them. */
    @Test
    void theSameBaselineComparedAgainNeitherLearnsTwiceNorJudgesWithItsOwnLesson(@TempDir Path dir) throws IOException {
        Path learned = dir.resolve("noise.json");
        compareSessions(2, 3, learned);
        CliRun again = compareSessions(2, 3, learned);
        assertThat(again.status()).as(again.err()).isIn(0, 1, 2);
        assertThat(cpuNoiseSource(again)).doesNotContain("earlier verdict");
        assertThat(lessons(learned)).isEqualTo(1);
        CliRun other = compareSessions(4, 3, learned);
        assertThat(cpuNoiseSource(other)).contains("1 earlier verdict(s)");
        assertThat(lessons(learned)).isEqualTo(2);
    }

    private static int lessons(Path file) throws IOException {
        return JSON.readTree(Files.readString(file, StandardCharsets.UTF_8)).get("lessons").size();
    }

    @Test
    void aDamagedFileIsInvalidInputNamingTheProblemAndIsLeftAsItWas(@TempDir Path dir) throws IOException {
        Path learned = dir.resolve("noise.json");
        Files.writeString(learned, "{\"format\": \"canary-judge learned noise 1\", \"functions\": [], \"lessons\": 7}");
        CliRun run = compareSessions(2, 3, learned);
        assertThat(run.status()).isEqualTo(65);
        assertThat(run.err()).contains("--learned-noise " + learned).contains("lessons: expected an array, got 7")
                .contains("delete the file to start learning anew").doesNotContain("Exception");
        assertThat(Files.readString(learned)).contains("\"lessons\": 7");
    }

    @Test
    void aHugeFileIsRefusedBeforeItIsRead(@TempDir Path dir) throws IOException {
        Path learned = dir.resolve("huge.json");
        try (var channel = java.nio.channels.FileChannel.open(learned, java.nio.file.StandardOpenOption.CREATE_NEW,
                java.nio.file.StandardOpenOption.WRITE)) {
            channel.write(java.nio.ByteBuffer.wrap(new byte[] {' '}), CompareCommand.MAX_LEARNED_NOISE_BYTES); // sparse
        }
        CliRun run = compareSessions(2, 3, learned);
        assertThat(run.status()).isEqualTo(65);
        assertThat(run.err()).contains("more than a learned-noise file holds").doesNotContain("Exception");
    }

    /** A verdict that cannot be written does not lose the run's lesson: the noise file is written, the exit is 73. */
    @Test
    void anUnwritableOutputStillWritesTheLearnedNoise(@TempDir Path dir) throws IOException {
        Path learned = dir.resolve("noise.json");
        Path output = dir.resolve("no-such-dir/verdict.json");
        CliRun run = CliRun.of("compare", "--baseline", pod(2, 1), "--baseline", pod(2, 2), "--baseline", pod(2, 3),
                "--canary", pod(3, 1), "--canary", pod(3, 2), "--output", output.toString(),
                "--learned-noise", learned.toString());
        assertThat(run.status()).as(run.err()).isEqualTo(73);
        assertThat(run.err()).contains("--output " + output + ": cannot write").contains("; it was: ");
        assertThat(lessons(learned)).isEqualTo(1);
        assertThat(run.err().lines().count()).as(run.err()).isEqualTo(1);
    }

    @Test
    void whenNeitherCanBeWrittenBothAreSaid(@TempDir Path dir) {
        Path learned = dir.resolve("no-such-dir/noise.json");
        Path output = dir.resolve("no-such-dir/verdict.json");
        CliRun run = CliRun.of("compare", "--baseline", pod(2, 1), "--baseline", pod(2, 2), "--canary", pod(3, 1),
                "--output", output.toString(), "--learned-noise", learned.toString());
        assertThat(run.status()).as(run.err()).isEqualTo(73);
        assertThat(run.err()).contains("--output " + output + ": cannot write")
                .contains("--learned-noise " + learned + ": cannot write").doesNotContain("Exception");
    }

    @Test
    void theSameFileAsOutputIsAUsageError(@TempDir Path dir) {
        Path file = dir.resolve("x.json");
        CliRun run = CliRun.of("compare", "--baseline", pod(2, 1), "--canary", pod(3, 1), "--output", file.toString(),
                "--learned-noise", file.toString());
        assertThat(run.status()).isEqualTo(64);
        assertThat(run.err()).contains("--learned-noise and --output name the same file");
    }

    private static String cpuNoiseSource(CliRun run) {
        return cpuType(run).get("noiseSource").asString();
    }

    private static JsonNode cpuType(CliRun run) {
        for (JsonNode type : JSON.readTree(run.out()).get("dataQuality").get("types")) {
            if (type.get("profileType").asString().equals("cpu")) {
                return type;
            }
        }
        throw new AssertionError("no cpu type in " + run.out());
    }
}
