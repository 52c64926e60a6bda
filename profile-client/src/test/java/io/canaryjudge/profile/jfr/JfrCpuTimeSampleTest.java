package io.canaryjudge.profile.jfr;

import static org.assertj.core.api.Assertions.assertThat;

import io.canaryjudge.profile.Profile;
import io.canaryjudge.profile.ProfileType;
import io.canaryjudge.profile.SamplingSetting;
import java.io.InputStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import java.util.zip.GZIPInputStream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * JDK 25's CPU-time sampler ({@code jdk.CPUTimeSample}, experimental): a thread's stack every {@code samplingPeriod}
 * of its CPU time. A recording holding only these gave no cpu at all, without a word (the judge then spoke of the
 * recording's allocations alone); beside default.jfc's execution samples it would count the same CPU twice. The
 * recording (resources/jfr/README.md) holds both; the JDK's own reader is the oracle.
 */
class JfrCpuTimeSampleTest {
    @TempDir
    Path tmp;

    @Test
    void cpuComesFromTheCpuTimeSamplesEachWeighingItsPeriodAndNotTwice() throws Exception {
        Path file = tmp.resolve("jdk25-cpu-time.jfr");
        try (InputStream in = new GZIPInputStream(getClass().getResourceAsStream("/jfr/jdk25-cpu-time.jfr.gz"))) {
            Files.copy(in, file);
        }
        Profile profile = JfrFixtures.readOne(Files.readAllBytes(file), file.toString());

        Map<String, Long> cpuTime = JfrJdkRecordingTest.oracle(file, List.of("jdk.CPUTimeSample"),
                e -> e.getDuration("samplingPeriod").toNanos());
        assertThat(JfrJdkRecordingTest.oracle(file, List.of("jdk.ExecutionSample"), e -> 1L)).as("execution samples too")
                .isNotEmpty();
        JfrJdkRecordingTest.assertMatches(profile, ProfileType.CPU, cpuTime);
        assertThat(profile.cpuSampling()).isEqualTo(new SamplingSetting("JDK CPU-time sampling", 10_000_000L));
    }
}
