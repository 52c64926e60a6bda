package io.canaryjudge.profile.jfr;

import static org.junit.jupiter.api.Assertions.fail;

import io.canaryjudge.profile.InvalidProfileException;
import io.canaryjudge.profile.Profile;
import io.canaryjudge.profile.ReadOptions;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.nio.ByteBuffer;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.zip.GZIPInputStream;

/**
 * Finds the read-only third-party recordings in {@code ../shared/fixtures/jfr-parser} (system
 * property {@code canaryjudge.shared.dir}, set by surefire) and reads them with the reader under test.
 */
final class JfrFixtures {
    private JfrFixtures() {
    }

    static Path sharedDir() {
        String dir = System.getProperty("canaryjudge.shared.dir");
        if (dir == null || dir.isBlank()) {
            fail("system property canaryjudge.shared.dir is not set: run the tests through Maven "
                    + "(surefire sets it to ../shared beside the clone)");
        }
        Path path = Path.of(dir);
        if (!Files.isDirectory(path.resolve("fixtures/jfr-parser"))) {
            fail("shared fixtures are missing: " + path.toAbsolutePath() + "/fixtures/jfr-parser does not exist; "
                    + "the read-only folder shared/ must sit beside the clone");
        }
        return path;
    }

    static Path jfrParserDir() {
        return sharedDir().resolve("fixtures/jfr-parser");
    }

    /** The inflated bytes of {@code <name>.jfr.gz}. */
    static byte[] recording(String name) {
        return gunzip(jfrParserDir().resolve(name + ".jfr.gz"));
    }

    static byte[] gunzip(Path file) {
        try (InputStream in = new GZIPInputStream(Files.newInputStream(file))) {
            ByteArrayOutputStream out = new ByteArrayOutputStream();
            in.transferTo(out);
            return out.toByteArray();
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    static List<Profile> read(byte[] bytes, String source, ReadOptions options) throws InvalidProfileException {
        return new JfrProfileReader().read(ByteBuffer.wrap(bytes), source, options);
    }

    static Profile readOne(byte[] bytes, String source) throws InvalidProfileException {
        List<Profile> profiles = read(bytes, source, ReadOptions.defaults());
        if (profiles.size() != 1) {
            fail(source + ": expected one profile without slicing, got " + profiles.size());
        }
        return profiles.get(0);
    }

    static final List<String> RECORDINGS = List.of(
            "async-profiler",
            "cortex-dev-01__kafka-0__cpu__0",
            "cortex-dev-01__kafka-0__cpu__1",
            "cortex-dev-01__kafka-0__cpu__2",
            "cortex-dev-01__kafka-0__cpu__3",
            "dd-trace-java",
            "FastSlow_2024_01_16_180855");
}
