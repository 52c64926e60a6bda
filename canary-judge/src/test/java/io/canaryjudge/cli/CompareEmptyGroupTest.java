package io.canaryjudge.cli;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * In CI a group's directory is empty when the job that should have profiled it failed or its artifact was not
 * downloaded. That is missing input (65, naming the paths), not an INCONCLUSIVE verdict a pipeline tolerating
 * exit 2 would wave through. A group where only some pods are empty is still judged, the empty ones listed as
 * skipped. Real async-profiler recordings of the shipped shop example.
 */
class CompareEmptyGroupTest {
    private static final Path SHOP = Path.of("../examples/profiles/shop");

    @TempDir
    Path dir;

    @Test
    void aBaselineWithoutAnyProfileIsInvalidInputNamingIt() throws IOException {
        Path empty = Files.createDirectories(dir.resolve("main-profiles"));
        Files.writeString(empty.resolve("README.md"), "benchmark output\n");
        CliRun run = CliRun.of("compare", "--baseline", empty.toString(),
                "--canary", SHOP.resolve("shop-7f9b6c5d4-m4q8z").toString());
        assertThat(run.status()).as(run.out() + run.err()).isEqualTo(65);
        assertThat(run.out()).isEmpty();
        assertThat(run.err()).startsWith("canary-judge: --baseline " + empty + ": no profile found")
                .doesNotContain("Exception").hasLineCount(1);
    }

    @Test
    void aCanaryWithoutAnyProfileIsInvalidInputNamingIt() throws IOException {
        Path empty = Files.createDirectories(dir.resolve("pr-profiles"));
        CliRun run = CliRun.of("compare", "--baseline", SHOP.resolve("shop-6d4f8c7b9-k2x7p").toString(),
                "--canary", empty.toString());
        assertThat(run.status()).as(run.out() + run.err()).isEqualTo(65);
        assertThat(run.err()).startsWith("canary-judge: --canary " + empty + ": no profile found");
    }

    @Test
    void oneEmptyPodBesideOthersIsSkippedAndTheRestJudged() throws IOException {
        Path empty = Files.createDirectories(dir.resolve("pod-without-profiles"));
        CliRun run = CliRun.of("compare", "--format", "json",
                "--baseline", SHOP.resolve("shop-6d4f8c7b9-k2x7p").toString(),
                "--baseline", SHOP.resolve("shop-6d4f8c7b9-w5n3j").toString(),
                "--canary", SHOP.resolve("shop-7f9b6c5d4-m4q8z").toString(), "--canary", empty.toString());
        assertThat(run.status()).as(run.err()).isIn(0, 1, 2);
        assertThat(run.out()).contains(empty + ": no profiles in this directory");
    }
}
