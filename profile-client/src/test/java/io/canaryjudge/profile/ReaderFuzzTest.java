package io.canaryjudge.profile;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.fail;
import static org.junit.jupiter.api.Assertions.assertTimeoutPreemptively;

import io.canaryjudge.profile.collapsed.CollapsedWriter;
import java.io.StringWriter;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.Arrays;
import java.util.Random;
import org.junit.jupiter.api.Test;

/**
 * Seeded, bounded fuzzing of the readers with truncations and bit flips of real recordings:
 * every outcome must be a profile, {@link NotAProfileException} or {@link InvalidProfileException}
 * (not wrapping a runtime exception, which would mean a reader bug hit the safety net), each
 * within a preemptive timeout.
 */
class ReaderFuzzTest {
    private static final long SEED = 20261125L;
    private static final int MUTATIONS_PER_INPUT = 50;
    private static final Duration PER_READ = Duration.ofSeconds(10);
    private static final ReadOptions OPTIONS = ReadOptions.defaults()
            .withCollapsedType(ProfileType.CPU)
            .withMaxDecompressedBytes(16 << 20);

    @Test
    void mutatedRawPprofFailsCleanly() throws Exception {
        Random random = new Random(SEED);
        for (Path file : SharedFixtures.kafkaPprof()) {
            fuzz(ProfileFilesTest.gunzip(Files.readAllBytes(file)), file.getFileName() + " (raw)", random);
        }
    }

    @Test
    void mutatedGzippedPprofFailsCleanly() throws Exception {
        Path file = SharedFixtures.kafkaPprof().get(2);
        fuzz(Files.readAllBytes(file), file.getFileName().toString(), new Random(SEED + 1));
    }

    @Test
    void mutatedCollapsedTextFailsCleanly() throws Exception {
        Profile pprof = ProfileFiles.read(SharedFixtures.kafkaPprof().get(0), ReadOptions.defaults()).get(0);
        StringWriter text = new StringWriter();
        CollapsedWriter.write(pprof, 0, text);
        fuzz(text.toString().getBytes(StandardCharsets.UTF_8), "kafka collapsed", new Random(SEED + 2));
    }

    private static void fuzz(byte[] original, String name, Random random) {
        int[] outcomes = new int[3]; // read, not a profile, invalid
        for (int i = 0; i < MUTATIONS_PER_INPUT; i++) {
            byte[] mutated;
            String mutation;
            if (i % 2 == 0) {
                int length = random.nextInt(original.length);
                mutated = Arrays.copyOf(original, length);
                mutation = "truncated to " + length + " bytes";
            } else {
                mutated = original.clone();
                int flips = 1 + random.nextInt(8);
                StringBuilder where = new StringBuilder("bits flipped at");
                for (int f = 0; f < flips; f++) {
                    int bit = random.nextInt(mutated.length * 8);
                    mutated[bit / 8] ^= (byte) (1 << (bit % 8));
                    where.append(' ').append(bit);
                }
                mutation = where.toString();
            }
            String source = name + ", " + mutation;
            byte[] input = mutated;
            outcomes[assertTimeoutPreemptively(PER_READ, () -> readCleanly(input, source), source)]++;
        }
        // The mutations must reach the readers' error paths, not only detection.
        assertThat(outcomes[2]).as("invalid outcomes for " + name).isPositive();
        assertThat(outcomes[0] + outcomes[1] + outcomes[2]).isEqualTo(MUTATIONS_PER_INPUT);
    }

    /** Reads once; returns 0 (read), 1 (not a profile) or 2 (invalid), and fails the test otherwise. */
    private static int readCleanly(byte[] input, String source) {
        try {
            for (Profile profile : ProfileFiles.read(input, source, OPTIONS)) {
                assertThat(profile.stackCount()).isNotNegative();
            }
            return 0;
        } catch (NotAProfileException e) {
            assertThat(e.getMessage()).startsWith(source + ": not a profile: ");
            return 1;
        } catch (InvalidProfileException e) {
            if (e.getCause() instanceof RuntimeException) {
                fail("reader bug on " + source + ": " + e.getMessage(), e.getCause());
            }
            assertThat(e.getMessage()).startsWith(source + ": invalid");
            assertThat(e.reason()).isNotBlank();
            return 2;
        } catch (Throwable e) {
            return fail("unexpected " + e + " on " + source, e);
        }
    }
}
