package io.canaryjudge.memory;

import static org.assertj.core.api.Assertions.assertThat;

import io.canaryjudge.profile.FunctionTotals;
import io.canaryjudge.profile.Profile;
import io.canaryjudge.profile.ProfileFiles;
import io.canaryjudge.profile.ProfileType;
import io.canaryjudge.profile.ReadOptions;
import java.io.InputStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.zip.GZIPInputStream;
import jdk.jfr.consumer.RecordedEvent;
import jdk.jfr.consumer.RecordedFrame;
import jdk.jfr.consumer.RecordingFile;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * qa72: the JFR reader's {@code old_live_objects} — the JDK's old-object samples at least
 * {@value ProfileType#OLD_OBJECT_AGE_MINUTES} minutes old when their recording was written — against the JDK's own
 * parser ({@code jdk.jfr.consumer}: each event's {@code objectAge}) on a committed recording of {@code broken-100}.
 */
class OldObjectAgeReaderTest {
    static final String CACHE_SITE = "io.canaryjudge.memory.app.IdempotencyKeys.remember";

    @TempDir
    Path dir;

    @Test
    void theReaderCountsTheSampledObjectsOlderThanFiveMinutesAsTheJdkDoes() throws Exception {
        Path gz = OldObjectAgeTest.recording().resolve("broken-100/live/minute-029.jfr.gz");
        Path jfr = dir.resolve("minute-029.jfr");
        try (InputStream in = new GZIPInputStream(Files.newInputStream(gz))) {
            Files.copy(in, jfr);
        }
        long old = 0;
        long oldAtSite = 0;
        long sampled = 0;
        for (RecordedEvent event : RecordingFile.readAllEvents(jfr)) {
            if (!event.getEventType().getName().equals("jdk.OldObjectSample")) {
                continue;
            }
            sampled++;
            if (event.getDuration("objectAge").compareTo(Duration.ofMinutes(ProfileType.OLD_OBJECT_AGE_MINUTES)) >= 0) {
                old++;
                if (event.getStackTrace().getFrames().stream().map(OldObjectAgeReaderTest::name).anyMatch(CACHE_SITE::equals)) {
                    oldAtSite++;
                }
            }
        }

        Profile profile = ProfileFiles.read(gz, ReadOptions.defaults()).get(0);

        assertThat(profile.total(profile.sampleTypeIndex(ProfileType.LIVE_OBJECTS))).isEqualTo(sampled);
        assertThat(profile.total(profile.sampleTypeIndex(ProfileType.OLD_LIVE_OBJECTS))).isEqualTo(old);
        assertThat(old).isGreaterThan(0).isLessThanOrEqualTo(sampled);
        FunctionTotals totals = profile.functionTotals(ProfileType.OLD_LIVE_OBJECTS);
        long atSite = 0;
        for (int f = 0; f < totals.functionCount(); f++) {
            if (totals.functionName(f).equals(CACHE_SITE)) {
                atSite = totals.inclusive(f);
            }
        }
        assertThat(atSite).isEqualTo(oldAtSite).isGreaterThan(0);
    }

    private static String name(RecordedFrame frame) {
        return frame.getMethod().getType().getName() + "." + frame.getMethod().getName();
    }
}
