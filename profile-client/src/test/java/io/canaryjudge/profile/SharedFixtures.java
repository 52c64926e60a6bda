package io.canaryjudge.profile;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.stream.Stream;

/**
 * The read-only third-party recordings beside the clone ({@code ../shared/fixtures}); surefire
 * passes the folder as the system property {@code canaryjudge.shared.dir}.
 */
public final class SharedFixtures {
    private SharedFixtures() {
    }

    /** {@code fixtures/<folder>} under the shared directory; fails with a clear message when missing. */
    public static Path folder(String folder) {
        String shared = System.getProperty("canaryjudge.shared.dir");
        if (shared == null) {
            throw new IllegalStateException("system property canaryjudge.shared.dir is not set; run the tests "
                    + "through Maven (surefire sets it to ../shared beside the clone)");
        }
        Path dir = Path.of(shared, "fixtures", folder);
        if (!Files.isDirectory(dir)) {
            throw new IllegalStateException("shared fixtures folder " + dir.toAbsolutePath() + " is missing: "
                    + "the tests need the read-only third-party recordings beside the clone (../shared/fixtures)");
        }
        return dir;
    }

    /** Files of a fixtures folder whose names end with {@code suffix}, sorted by name. */
    public static List<Path> files(String folder, String suffix) {
        try (Stream<Path> files = Files.list(folder(folder))) {
            List<Path> found = files.filter(p -> p.getFileName().toString().endsWith(suffix)).sorted().toList();
            if (found.isEmpty()) {
                throw new IllegalStateException("no *" + suffix + " files in " + folder(folder));
            }
            return found;
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    /** The four Pyroscope pprof conversions of the Kafka CPU recordings, slices 0..3 in order. */
    public static List<Path> kafkaPprof() {
        return files("pyroscope-pprof", ".pb.gz");
    }

    /** jfr-parser's expected collapsed CPU output for Kafka slice {@code n} (0..3). */
    public static Path kafkaExpectedCollapsed(int n) {
        return folder("jfr-parser").resolve("cortex-dev-01__kafka-0__cpu__" + n
                + "_0_process_cpu_cpu__nanoseconds_expected_collapsed.txt.gz");
    }
}
