package io.canaryjudge.profile.jfr;

import static org.assertj.core.api.Assertions.assertThat;

import io.canaryjudge.profile.JvmRuntime;
import io.canaryjudge.profile.Profile;
import io.canaryjudge.profile.ReadOptions;
import java.io.InputStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.zip.GZIPInputStream;
import jdk.jfr.consumer.RecordedEvent;
import jdk.jfr.consumer.RecordingFile;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * A recording says which JVM it was taken in ({@code jdk.JVMInformation}: version and options), so that a canary of
 * the same code on another JDK or with another JVM flag can be named for what changed. The JDK's own reader is the
 * oracle; the recording is the JDK 25 one of resources/jfr/README.md (the JDK's recorder, started with
 * {@code -XX:StartFlightRecording=...}).
 */
class JfrJvmRuntimeTest {
    @TempDir
    Path tmp;

    @Test
    void everySliceCarriesTheRecordingsJvmVersionAndOptions() throws Exception {
        Path file = tmp.resolve("jdk25-cpu-time.jfr");
        try (InputStream in = new GZIPInputStream(getClass().getResourceAsStream("/jfr/jdk25-cpu-time.jfr.gz"))) {
            Files.copy(in, file);
        }
        List<RecordedEvent> events = RecordingFile.readAllEvents(file);
        List<RecordedEvent> info = events.stream()
                .filter(e -> e.getEventType().getName().equals("jdk.JVMInformation")).toList();
        assertThat(info).isNotEmpty();
        // The JDK's recorder writes the JVM's banner as jvmVersion; the version is java.vm.version, as async-profiler
        // writes it.
        assertThat(info.get(0).getString("jvmVersion")).contains("64-Bit Server VM (");
        String version = events.stream().filter(e -> e.getEventType().getName().equals("jdk.InitialSystemProperty")
                && e.getString("key").equals("java.vm.version")).findFirst().orElseThrow().getString("value");
        String arguments = info.get(0).getString("jvmArguments");
        assertThat(version).startsWith("25");

        Profile whole = JfrFixtures.readOne(Files.readAllBytes(file), file.toString());
        assertThat(whole.runtime()).isEqualTo(new JvmRuntime(version, arguments));
        assertThat(whole.runtime().jvmOptions()).contains("-XX:+DebugNonSafepoints")
                .noneMatch(option -> option.startsWith("-D"));

        List<Profile> slices = JfrFixtures.read(Files.readAllBytes(file), file.toString(),
                ReadOptions.defaults().withSlice(Duration.ofSeconds(1)));
        assertThat(slices).hasSizeGreaterThan(1)
                .allSatisfy(slice -> assertThat(slice.runtime()).isEqualTo(whole.runtime()));
    }
}
