package io.canaryjudge.profile.jfr;

import static org.assertj.core.api.Assertions.assertThat;
import static org.junit.jupiter.api.Assertions.assertTimeoutPreemptively;

import io.canaryjudge.profile.InvalidProfileException;
import io.canaryjudge.profile.Profile;
import io.canaryjudge.profile.ReadOptions;
import java.time.Duration;
import java.util.Arrays;
import java.util.List;
import java.util.Random;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

/**
 * Seeded corruption of real recordings — truncations, bit flips, overwritten runs of bytes —
 * must end in a profile or an {@link InvalidProfileException}: never a hang, an unchecked
 * exception or an error escaping the reader. Each read runs under a preemptive timeout.
 */
class JfrCorruptionFuzzTest {
    /** Reads per recording; {@code -Djfr.fuzz.iterations=5000} for a longer hunt. */
    private static final int ITERATIONS = Integer.getInteger("jfr.fuzz.iterations", 60);
    private static final Duration TIMEOUT = Duration.ofSeconds(5);

    @ParameterizedTest
    @ValueSource(strings = {
            "cortex-dev-01__kafka-0__cpu__0", "cortex-dev-01__kafka-0__cpu__1", "cortex-dev-01__kafka-0__cpu__2",
            "cortex-dev-01__kafka-0__cpu__3", "dd-trace-java", "FastSlow_2024_01_16_180855"})
    void corruptedRecordingIsReadOrRejectedInTime(String recording) {
        byte[] original = JfrFixtures.recording(recording);
        Random random = new Random(recording.hashCode() * 31L + ITERATIONS);
        ReadOptions options = ReadOptions.defaults().withMaxSamples(1_000_000).withSlice(
                random.nextBoolean() ? Duration.ofSeconds(3) : null);
        for (int i = 0; i < ITERATIONS; i++) {
            byte[] corrupted = corrupt(original, random);
            String source = recording + " #" + i;
            assertTimeoutPreemptively(TIMEOUT, () -> readOrReject(corrupted, source, options), source);
        }
    }

    private static void readOrReject(byte[] bytes, String source, ReadOptions options) {
        try {
            List<Profile> profiles = JfrFixtures.read(bytes, source, options);
            assertThat(profiles).isNotEmpty();
            for (Profile profile : profiles) {
                assertThat(profile.sampleTypes()).isNotEmpty();
            }
        } catch (InvalidProfileException e) {
            assertThat(e.source()).isEqualTo(source);
            assertThat(e.offset()).isBetween(0L, (long) bytes.length);
            assertThat(e.reason()).isNotBlank();
        }
    }

    /** One of: truncation, 1–8 bit flips, a run of random bytes, or a flip plus a truncation. */
    static byte[] corrupt(byte[] original, Random random) {
        byte[] bytes;
        switch (random.nextInt(4)) {
            case 0:
                return Arrays.copyOf(original, random.nextInt(original.length));
            case 1:
                bytes = original.clone();
                for (int flips = 1 + random.nextInt(8); flips > 0; flips--) {
                    int at = random.nextInt(bytes.length);
                    bytes[at] ^= (byte) (1 << random.nextInt(8));
                }
                return bytes;
            case 2: {
                bytes = original.clone();
                int at = random.nextInt(bytes.length);
                int length = Math.min(1 + random.nextInt(16), bytes.length - at);
                for (int k = 0; k < length; k++) {
                    bytes[at + k] = (byte) random.nextInt(256);
                }
                return bytes;
            }
            default: {
                bytes = Arrays.copyOf(original, original.length - random.nextInt(original.length / 4));
                int at = random.nextInt(bytes.length);
                bytes[at] ^= (byte) (1 << random.nextInt(8));
                return bytes;
            }
        }
    }
}
