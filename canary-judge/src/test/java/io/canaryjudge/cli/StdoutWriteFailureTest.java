package io.canaryjudge.cli;

import static org.assertj.core.api.Assertions.assertThat;

import io.canaryjudge.SharedFixtures;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.OutputStream;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import org.junit.jupiter.api.Test;

/**
 * stdout that cannot be written (a full disk under {@code compare > verdict.json}, {@code > /dev/full}) is exit 73
 * with a line on stderr, as an unwritable {@code --output} is: a PrintStream keeps its write errors to itself, so the
 * commands exited 0 (collapse) or with the verdict's status (compare) and left an empty file behind.
 */
class StdoutWriteFailureTest {

    /** What stdout is on a full disk: every write fails. */
    private static final class FullDisk extends OutputStream {
        @Override
        public void write(int b) throws IOException {
            throw new IOException("No space left on device");
        }

        @Override
        public void write(byte[] b, int off, int len) throws IOException {
            throw new IOException("No space left on device");
        }
    }

    private static CliRun runOnAFullDisk(String... args) {
        ByteArrayOutputStream err = new ByteArrayOutputStream();
        int status;
        try (PrintStream out = new PrintStream(new FullDisk(), true, StandardCharsets.UTF_8);
             PrintStream e = new PrintStream(err, true, StandardCharsets.UTF_8)) {
            status = Cli.run(args, out, e);
        }
        return new CliRun(status, "", err.toString(StandardCharsets.UTF_8));
    }

    @Test
    void collapseToAFullDiskIsExit73() {
        CliRun run = runOnAFullDisk("collapse", SharedFixtures.kafkaPprof(0).toString());

        assertThat(run.status()).as(run.err()).isEqualTo(73);
        assertThat(run.err()).isEqualTo("canary-judge: cannot write the output to stdout (a full disk, a closed pipe?)"
                + System.lineSeparator());
    }

    @Test
    void compareToAFullDiskIsExit73NamingTheVerdict() {
        CliRun run = runOnAFullDisk("compare", "--format", "json",
                "--baseline", SharedFixtures.kafkaPprof(0).toString(), "--baseline", SharedFixtures.kafkaPprof(1).toString(),
                "--canary", SharedFixtures.kafkaPprof(2).toString(), "--canary", SharedFixtures.kafkaPprof(3).toString());

        assertThat(run.status()).as(run.err()).isEqualTo(73);
        assertThat(run.err()).startsWith("canary-judge: cannot write the verdict to stdout (a full disk, a closed pipe?);"
                + " it was: ");
        assertThat(run.err().lines().count()).isEqualTo(1);
    }
}
