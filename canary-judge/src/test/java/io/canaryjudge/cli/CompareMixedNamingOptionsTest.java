package io.canaryjudge.cli;

import static org.assertj.core.api.Assertions.assertThat;

import io.canaryjudge.ci.CiBenchRun;
import io.canaryjudge.profile.AsyncProfilerConversions;
import java.nio.file.Files;
import java.nio.file.Path;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * A baseline converted with plain names and a canary converted with {@code jfrconv --simple} (found by a QA pass of
 * async-profiler's output options): the same code, but no name in common, so compare said only that "the canary does
 * not resemble the baseline" (largest {@code CiBench$Orders.aggregate} against
 * {@code io.canaryjudge.ci.CiBench$Orders.aggregate}). The verdict now says that most of the difference is the same
 * methods under two spellings, and which option does it. Real recordings: two {@link io.canaryjudge.ci.CiBench} runs of the same code.
 */
class CompareMixedNamingOptionsTest {
    @TempDir
    Path dir;

    @Test
    void simpleClassNamesOnOneSideAreNamedAsTheCause() throws Exception {
        Path baselineJfr = dir.resolve("baseline-run/run.jfr");
        Path canaryJfr = dir.resolve("canary-run/run.jfr");
        CiBenchRun baselineRun = CiBenchRun.start("A", baselineJfr, 3, 1000, "itimer", "jfr", "1ms");
        CiBenchRun canaryRun = CiBenchRun.start("A2", canaryJfr, 3, 1000, "itimer", "jfr", "1ms");
        baselineRun.await();
        canaryRun.await();
        Path baseline = Files.writeString(dir.resolve("baseline.collapsed"),
                AsyncProfilerConversions.collapsed(baselineJfr, "--cpu"));
        Path canary = Files.writeString(dir.resolve("canary.collapsed"),
                AsyncProfilerConversions.collapsed(canaryJfr, "--cpu", "--simple"));
        Path config = Files.writeString(dir.resolve("one-file-per-pod.yaml"),
                "minObservationsPerGroup: 1\nminSamplesPerGroup: 100\nmaxDetectableChange: null\n");

        CliRun run = CliRun.of("compare", "--profile-type", "cpu", "--config", config.toString(),
                "--baseline", baseline.toString(), "--canary", canary.toString());

        assertThat(run.out()).as(run.err()).contains("does not resemble the baseline")
                .containsPattern("same methods named with and without their package \\(`[\\w$.<>]+` and `[\\w$.<>]+`\\)")
                .contains("`--simple`");
    }
}
