package io.canaryjudge.cli;

import static org.assertj.core.api.Assertions.assertThat;

import io.canaryjudge.profile.AsyncProfilerConversions;
import io.canaryjudge.profile.testing.WorkloadRecording;
import java.nio.file.Files;
import java.nio.file.Path;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * OTLP profiles (OpenTelemetry's profiles signal) given to compare: invalid input (65) in one line that names the
 * format and what to give instead, whether the file is a PATH of its own or one of a pod directory's files. Before,
 * async-profiler's OTLP output was "invalid pprof profile at byte 6: field 2 of the ValueType has wire type 2,
 * expected 0". The OTLP file is async-profiler's own conversion ({@code jfrconv -o otlp}) of a recording made here.
 */
class CompareOtlpInputTest {
    private static final String SAYS = ": OTLP profiles (OpenTelemetry's profiles signal) are not supported; convert"
            + " them to pprof, or give the profiler's own output: JFR, pprof or collapsed stacks";

    @TempDir
    Path dir;

    @Test
    void anOtlpFileIsInvalidInputNamingTheFormat() throws Exception {
        Path jfr = WorkloadRecording.shared().jfr();
        Path otlp = Files.write(dir.resolve("pod-1.otlp"), AsyncProfilerConversions.otlp(jfr));
        CliRun run = CliRun.of("compare", "--baseline", otlp.toString(), "--canary", jfr.toString());
        assertThat(run.status()).as(run.err()).isEqualTo(65);
        assertThat(run.out()).isEmpty();
        assertThat(run.err()).isEqualTo("canary-judge: " + otlp + SAYS + System.lineSeparator());
    }

    /** An OTLP JSON export (protojson of {@code ProfilesData}, here with no resource). */
    @Test
    void otlpJsonIsNamedToo() throws Exception {
        Path json = Files.writeString(dir.resolve("profiles.json"), "{\"resourceProfiles\": [], \"dictionary\": {}}\n");
        CliRun run = CliRun.of("compare", "--baseline", json.toString(), "--canary",
                WorkloadRecording.shared().jfr().toString());
        assertThat(run.status()).as(run.err()).isEqualTo(65);
        assertThat(run.err()).isEqualTo("canary-judge: " + json + SAYS + System.lineSeparator());
    }

    @Test
    void anOtlpFileInAPodDirectoryIsInvalidInputToo() throws Exception {
        Path jfr = WorkloadRecording.shared().jfr();
        Path pod = Files.createDirectories(dir.resolve("pod-2"));
        Path otlp = Files.write(pod.resolve("window-1.pb"), AsyncProfilerConversions.otlp(jfr));
        CliRun run = CliRun.of("compare", "--baseline", pod.toString(), "--canary", jfr.toString());
        assertThat(run.status()).as(run.err()).isEqualTo(65);
        assertThat(run.err()).isEqualTo("canary-judge: " + otlp + SAYS + System.lineSeparator());
    }
}
