package io.canaryjudge.cli;

import static org.assertj.core.api.Assertions.assertThat;

import io.canaryjudge.SharedFixtures;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The text files compare reads beside the profiles ({@code requests.csv}, {@code heap.csv}, {@code --config},
 * {@code --learned-noise}) holding bytes that are not UTF-8 — a profile given by mistake, a Latin-1 export: the
 * message says so, naming the file, instead of the JDK's bare "Input length = 1".
 */
class TextFileEncodingTest {
    private static final byte[] NOT_UTF8 = {'p', 'r', 'o', 'f', 'i', 'l', 'e', (byte) 0xFF, (byte) 0xFE, '\n'};

    @TempDir
    Path dir;
    private Path baseline;
    private Path canary;

    @BeforeEach
    void pods() throws IOException {
        baseline = Files.createDirectory(dir.resolve("baseline-pod"));
        Files.copy(SharedFixtures.kafkaPprof(0), baseline.resolve("slice-0.pb.gz"));
        canary = Files.copy(SharedFixtures.kafkaPprof(1), dir.resolve("canary.pb.gz"));
    }

    @Test
    void requestsOrHeapCsvThatIsNotUtf8IsInvalidInputSayingSo() throws IOException {
        for (String csv : new String[] {"requests.csv", "heap.csv"}) {
            Path file = Files.write(baseline.resolve(csv), NOT_UTF8);

            CliRun run = CliRun.of("compare", "--baseline", baseline.toString(), "--canary", canary.toString());

            assertThat(run.status()).as(run.err()).isEqualTo(65);
            assertThat(run.err()).isEqualTo("canary-judge: " + file + ": cannot read: not UTF-8 text (a binary file, "
                    + "or another encoding?)" + System.lineSeparator());
            Files.delete(file);
        }
    }

    @Test
    void configOrLearnedNoiseThatIsNotUtf8SaysSo() {
        CliRun config = CliRun.of("compare", "--baseline", baseline.toString(), "--canary", canary.toString(),
                "--config", SharedFixtures.kafkaPprof(2).toString());
        assertThat(config.status()).as(config.err()).isEqualTo(64);
        assertThat(config.err()).startsWith("canary-judge: --config " + SharedFixtures.kafkaPprof(2)
                + ": cannot read: not UTF-8 text").doesNotContain("Input length");

        CliRun noise = CliRun.of("compare", "--baseline", baseline.toString(), "--canary", canary.toString(),
                "--learned-noise", SharedFixtures.kafkaPprof(2).toString());
        assertThat(noise.status()).as(noise.err()).isEqualTo(65);
        assertThat(noise.err()).startsWith("canary-judge: --learned-noise " + SharedFixtures.kafkaPprof(2)
                + ": cannot read: not UTF-8 text").doesNotContain("Input length");
    }
}
