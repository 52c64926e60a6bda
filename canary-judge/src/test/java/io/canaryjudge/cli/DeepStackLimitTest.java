package io.canaryjudge.cli;

import static org.assertj.core.api.Assertions.assertThat;

import java.nio.file.Path;
import org.junit.jupiter.api.Test;
import tools.jackson.databind.JsonNode;
import tools.jackson.databind.json.JsonMapper;

/**
 * Real async-profiler recordings made with {@code jstackdepth=12000} of work under recursion 9,000 frames deep
 * ({@code src/test/resources/qa33}): beyond the default limit of 8,192 frames they are invalid input naming the flag
 * that raises the limit, and with it raised they are judged. compare said "stack trace 44347 has 9003 frames, more
 * than the limit of 8192" with no way to raise it (collapse alone had {@code --max-stack-depth}), and collapsed and
 * pprof files were told to "raise the max stack depth", which neither compare nor the service could.
 */
class DeepStackLimitTest {
    private static final Path DIR = Path.of("src/test/resources/qa33");
    private static final String DEEP_1 = DIR.resolve("deep-1.jfr.gz").toString();
    private static final String DEEP_2 = DIR.resolve("deep-2.jfr.gz").toString();

    @Test
    void compareOfStacksBeyondTheLimitIsInvalidInputNamingTheFlagThatRaisesIt() {
        CliRun run = CliRun.of("compare", "--baseline", DEEP_1, "--canary", DEEP_2);

        assertThat(run.status()).as(run.err()).isEqualTo(65);
        assertThat(run.out()).isEmpty();
        assertThat(run.err()).contains("deep-1.jfr.gz").contains("frames, more than the limit of 8192")
                .contains("(raise it with --max-stack-depth N)");
        assertThat(run.err().lines().count()).as(run.err()).isEqualTo(1);
    }

    @Test
    void compareWithTheLimitRaisedJudgesTheRecordings() {
        CliRun run = CliRun.of("compare", "--baseline", DEEP_1, "--canary", DEEP_2, "--max-stack-depth", "12000",
                "--slice", "1s", "--format", "json");

        assertThat(run.status()).as(run.err()).isIn(0, 1, 2);
        JsonNode verdict = JsonMapper.builder().build().readTree(run.out());
        assertThat(verdict.get("result").asString()).isIn("PASS", "FAIL", "INCONCLUSIVE");
        // the recursion's bottom, 9,000 frames below the thread's root, is read
        assertThat(run.out()).contains("io.canaryjudge.qa33.DeepStackPod.burn");
    }

    @Test
    void aMaxStackDepthThatIsNoWholeNumberInRangeIsAUsageError() {
        for (String value : new String[] {"0", "-3", "many", "1000001"}) {
            CliRun run = CliRun.of("compare", "--baseline", DEEP_1, "--canary", DEEP_2, "--max-stack-depth", value);

            assertThat(run.status()).as(value + ": " + run.err()).isEqualTo(64);
            assertThat(run.err()).contains("--max-stack-depth: must be a whole number from 1 to 1000000")
                    .contains("\"" + value + "\"");
        }
    }

    @Test
    void collapseNamesItsOwnFlagToo() {
        CliRun run = CliRun.of("collapse", DEEP_1, "--profile-type", "cpu");

        assertThat(run.status()).as(run.err()).isEqualTo(65);
        assertThat(run.err()).contains("more than the limit of 8192").contains("(raise it with --max-stack-depth N)");

        CliRun raised = CliRun.of("collapse", DEEP_1, "--profile-type", "cpu", "--max-stack-depth", "12000");
        assertThat(raised.status()).as(raised.err()).isZero();
        assertThat(raised.out().lines().mapToInt(l -> l.split(";").length).max().orElse(0)).isGreaterThan(9000);
    }
}
