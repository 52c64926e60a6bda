package io.canaryjudge.cli;

import static org.assertj.core.api.Assertions.assertThat;

import io.canaryjudge.CanaryJudgeApplication;
import io.canaryjudge.SharedFixtures;
import java.io.IOException;
import java.io.OutputStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;
import java.util.zip.GZIPOutputStream;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * A file that needs more heap than the JVM has (here a gzip bomb under the 1 GiB decompression limit, run with a
 * 48 MiB heap as a small CI container would) is a one-line 65 naming the file and the remedy, not
 * "internal error: java.lang.OutOfMemoryError: Java heap space" (70) naming nothing. Run in a JVM of its own:
 * the test's own heap is too large to run out.
 */
class OutOfMemoryTest {
    @TempDir
    Path dir;
    private Path bomb;

    @BeforeEach
    void writeBomb() throws IOException {
        bomb = Files.createDirectory(dir.resolve("canary-pod")).resolve("slice-1.pb.gz");
        try (OutputStream out = new GZIPOutputStream(Files.newOutputStream(bomb))) {
            byte[] zeros = new byte[1 << 20];
            for (int i = 0; i < 256; i++) { // 256 MiB of zeros, about 256 KiB on disk
                out.write(zeros);
            }
        }
    }

    /** A plain collapsed file whose distinct stacks outgrow the heap: the JVM's own OutOfMemoryError, caught. */
    @Test
    void collapseNamesTheFileAndTheHeap() throws Exception {
        Path large = dir.resolve("large.collapsed");
        try (var writer = Files.newBufferedWriter(large, StandardCharsets.UTF_8)) {
            for (int i = 0; i < 600_000; i++) { // about 70 MB of distinct stacks
                writer.write("com.example.Service.handle;com.example.Repository.find" + i
                        + ";com.example.Codec.decodeTheRowNumbered" + i + " 1\n");
            }
        }
        CliRun run = smallHeapJava("collapse", large.toString(), "--profile-type", "cpu");

        assertThat(run.status()).as(run.err()).isEqualTo(65);
        assertThat(run.out()).isEmpty();
        assertThat(run.err()).startsWith("canary-judge: " + large + ": cannot read: it needs more memory than the JVM's heap")
                .contains("-Xmx").doesNotContain("internal error").doesNotContain("\tat ");
        assertThat(run.err().lines().count()).isEqualTo(1);
    }

    /** A gzip bomb under the decompression limit: refused before it is inflated, by the inflation budget. */
    @Test
    void compareNamesTheFileAndTheHeap() throws Exception {
        CliRun run = smallHeapJava("compare", "--baseline", SharedFixtures.kafkaPprof(0).toString(),
                "--canary", bomb.getParent().toString());

        assertThat(run.status()).as(run.err()).isEqualTo(65);
        assertThat(run.out()).isEmpty();
        assertThat(run.err()).startsWith("canary-judge: " + bomb + ": ").contains("heap").contains("-Xmx")
                .doesNotContain("internal error").doesNotContain("\tat ");
        assertThat(run.err().lines().count()).isEqualTo(1);
    }

    /** The command line in a JVM of its own with a 48 MiB heap and the test's class path. */
    private CliRun smallHeapJava(String... args) throws IOException, InterruptedException {
        List<String> command = new ArrayList<>(List.of(
                Path.of(System.getProperty("java.home"), "bin", "java").toString(), "-Xmx48m",
                "-cp", System.getProperty("java.class.path"), CanaryJudgeApplication.class.getName()));
        command.addAll(List.of(args));
        Path out = dir.resolve("out.txt");
        Path err = dir.resolve("err.txt");
        Process process = new ProcessBuilder(command).redirectOutput(out.toFile()).redirectError(err.toFile()).start();
        process.getOutputStream().close();
        assertThat(process.waitFor(120, TimeUnit.SECONDS)).as("finished").isTrue();
        return new CliRun(process.exitValue(), Files.readString(out, StandardCharsets.UTF_8),
                Files.readString(err, StandardCharsets.UTF_8));
    }
}
