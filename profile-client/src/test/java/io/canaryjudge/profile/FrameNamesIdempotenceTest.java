package io.canaryjudge.profile;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.BufferedReader;
import java.io.InputStreamReader;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.util.TreeSet;
import java.util.zip.GZIPInputStream;
import org.junit.jupiter.api.Test;

/**
 * Normalised names must normalise to themselves: collapsed output written by the judge is read
 * back by it (and by users' tools), so a second pass must not rename a function. Checked on every
 * frame of jfr-parser's Kafka answer keys — native C++ names with signatures included.
 */
class FrameNamesIdempotenceTest {
    @Test
    void normalizingARealFrameTwiceChangesNothing() throws Exception {
        TreeSet<String> frames = new TreeSet<>();
        for (int slice = 0; slice < 4; slice++) {
            try (BufferedReader reader = new BufferedReader(new InputStreamReader(new GZIPInputStream(
                    Files.newInputStream(SharedFixtures.kafkaExpectedCollapsed(slice))), StandardCharsets.UTF_8))) {
                for (String line = reader.readLine(); line != null; line = reader.readLine()) {
                    int open = line.lastIndexOf(" [");
                    if (open > 0) {
                        frames.addAll(java.util.List.of(line.substring(0, open).split(";")));
                    }
                }
            }
        }
        assertThat(frames).hasSizeGreaterThan(500);
        for (String frame : frames) {
            String once = FrameNames.normalize(frame);
            assertThat(FrameNames.normalize(once)).as(frame).isEqualTo(once);
        }
    }
}
