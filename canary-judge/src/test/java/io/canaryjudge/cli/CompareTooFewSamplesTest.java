package io.canaryjudge.cli;

import static org.assertj.core.api.Assertions.assertThat;

import io.canaryjudge.profile.testing.WorkloadRecording;
import java.nio.file.Files;
import java.nio.file.Path;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * A CI benchmark run of a second or two at async-profiler's default 10 ms gives a few hundred samples, under the
 * 1,000 a group needs. The INCONCLUSIVE said only that ("the baseline has 148 cpu samples; at least 1000 needed");
 * it also says what gives more. A real async-profiler recording (about 1.5 s at 10 ms), cut into slices.
 */
class CompareTooFewSamplesTest {
    @TempDir
    Path dir;

    @Test
    void tooFewSamplesSaysHowToGetMore() throws Exception {
        Path recording = WorkloadRecording.shared().jfr();
        Path main = Files.copy(recording, dir.resolve("main.jfr"));
        Path pr = Files.copy(recording, dir.resolve("pr.jfr"));
        CliRun run = CliRun.of("compare", "--slice", "500ms", "--baseline", main.toString(), "--canary", pr.toString());
        assertThat(run.status()).as(run.err()).isEqualTo(2);
        assertThat(run.out().lines().findFirst().orElseThrow()).startsWith("INCONCLUSIVE: not enough data — cpu: the baseline has ")
                .contains(" cpu samples; at least 1000 needed")
                .contains("; record longer, sample more often (a shorter profiler interval) or give more pods;"
                        + " minSamplesPerGroup sets the floor.");
    }
}
