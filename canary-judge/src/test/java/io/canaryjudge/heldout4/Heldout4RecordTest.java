package io.canaryjudge.heldout4;

import static org.junit.jupiter.api.Assumptions.assumeTrue;

import java.nio.file.Path;
import org.junit.jupiter.api.Test;

/**
 * Re-records {@code src/test/resources/heldout4} (about 30 min); skipped unless {@code -Dheldout4.record=true}.
 * Properties {@code heldout4.out}, {@code heldout4.event} (cpu | itimer), {@code heldout4.only} (a regex of job names).
 */
class Heldout4RecordTest {
    @Test
    void record() throws Exception {
        assumeTrue(Boolean.getBoolean("heldout4.record"), "recording skipped (set -Dheldout4.record=true)");
        RecordHeldout4.record(Path.of(System.getProperty("heldout4.out", "src/test/resources/heldout4")),
                Integer.getInteger("heldout4.parallel", 2), System.getProperty("heldout4.warmup", "25"),
                System.getProperty("heldout4.canaryWarmup", "50"), System.getProperty("heldout4.slices", "1"),
                System.getProperty("heldout4.slice", "60"), System.getProperty("heldout4.event", "cpu"),
                System.getProperty("heldout4.only", ""));
    }
}
