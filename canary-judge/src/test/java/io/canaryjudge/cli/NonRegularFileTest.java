package io.canaryjudge.cli;

import static org.assertj.core.api.Assertions.assertThat;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.io.TempDir;

/**
 * A device or a FIFO named where the command line reads a file: refused by name before it is opened, never read
 * (a device reports size 0 and never ends, opening a FIFO without a writer waits forever). A run that hangs fails
 * by the timeout.
 */
@Timeout(value = 60, threadMode = Timeout.ThreadMode.SEPARATE_THREAD)
class NonRegularFileTest {
    private static final Path SCENARIOS = Path.of("src/test/resources/scenarios");
    private static final String POD_1 = SCENARIOS.resolve("baselines/session-1/pod-1").toString();
    private static final String POD_2 = SCENARIOS.resolve("baselines/session-1/pod-2").toString();

    @TempDir
    Path dir;

    /** A FIFO nobody writes to (POSIX only: the test is skipped where {@code mkfifo} does not exist). */
    private Path fifo(String name) throws IOException, InterruptedException {
        Path fifo = dir.resolve(name);
        Process mkfifo;
        try {
            mkfifo = new ProcessBuilder("mkfifo", fifo.toString()).inheritIO().start();
        } catch (IOException e) {
            assumeTrue(false, "no mkfifo here: " + e.getMessage());
            throw e;
        }
        assumeTrue(mkfifo.waitFor(10, TimeUnit.SECONDS) && mkfifo.exitValue() == 0, "mkfifo failed");
        return fifo;
    }

    @Test
    void collapseOfAFifoOrADeviceIsInvalidInputNamingIt() throws Exception {
        Path fifo = fifo("slice.pb");
        Path zero = Files.createSymbolicLink(dir.resolve("zero.pb"), Path.of("/dev/zero"));
        assumeTrue(Files.exists(zero), "no /dev/zero here");

        for (Path file : new Path[] {fifo, zero}) {
            CliRun run = CliRun.of("collapse", file.toString(), "--profile-type", "cpu");
            assertThat(run.status()).as(run.err()).isEqualTo(65);
            assertThat(run.out()).isEmpty();
            assertThat(run.err()).isEqualTo("canary-judge: " + file + ": cannot read: not a regular file"
                    + " (devices, pipes and sockets are not read)" + System.lineSeparator());
        }
        Files.delete(zero); // the link, not /dev/zero: @TempDir would warn about it
    }

    @Test
    void compareOfAFifoInstanceIsInvalidInputNamingIt() throws Exception {
        Path fifo = fifo("pod-9");

        CliRun run = CliRun.of("compare", "--baseline", POD_1, "--canary", fifo.toString());

        assertThat(run.status()).as(run.err()).isEqualTo(65);
        assertThat(run.err().lines()).containsExactly("canary-judge: " + fifo + ": not a regular file or directory");
    }

    @Test
    void learnedNoiseFifoIsInvalidInputNamingIt() throws Exception {
        Path fifo = fifo("noise.json");

        CliRun run = CliRun.of("compare", "--baseline", POD_1, "--canary", POD_2, "--learned-noise", fifo.toString());

        assertThat(run.status()).as(run.err()).isEqualTo(65);
        assertThat(run.out()).isEmpty();
        assertThat(run.err().lines()).containsExactly("canary-judge: --learned-noise " + fifo
                + ": cannot read: not a regular file (devices, pipes and sockets are not read)");
    }

    /** A bad --config is a usage error (docs/CLI.md), whatever is wrong with it; the message says what. */
    @Test
    void configThatIsAFifoOrADirectoryIsAUsageErrorSayingWhichItIs() throws Exception {
        Path fifo = fifo("judge.yaml");

        CliRun pipe = CliRun.of("compare", "--baseline", POD_1, "--canary", POD_2, "--config", fifo.toString());
        assertThat(pipe.status()).as(pipe.err()).isEqualTo(64);
        assertThat(pipe.err()).startsWith("canary-judge: --config " + fifo
                + ": cannot read: not a regular file (devices, pipes and sockets are not read)" + System.lineSeparator());

        CliRun directory = CliRun.of("compare", "--baseline", POD_1, "--canary", POD_2, "--config", dir.toString());
        assertThat(directory.status()).as(directory.err()).isEqualTo(64);
        assertThat(directory.err()).startsWith("canary-judge: --config " + dir + ": cannot read: is a directory"
                + System.lineSeparator()).doesNotContain("no such file");
    }
}
