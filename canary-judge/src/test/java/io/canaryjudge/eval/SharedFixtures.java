package io.canaryjudge.eval;

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
final class SharedFixtures {
    private SharedFixtures() {
    }

    /** {@code fixtures/<folder>} under the shared directory; fails with a clear message when missing. */
    static Path folder(String folder) {
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

    /** The four Pyroscope pprof conversions of the Kafka broker's consecutive 10 s CPU slices, 0..3 in order. */
    static List<Path> kafkaPprof() {
        try (Stream<Path> files = Files.list(folder("pyroscope-pprof"))) {
            List<Path> found = files.filter(p -> p.getFileName().toString().startsWith("cortex-dev-01__kafka-0__cpu__")
                    && p.getFileName().toString().endsWith(".pb.gz")).sorted().toList();
            if (found.size() != 4) {
                throw new IllegalStateException("expected 4 Kafka pprof slices in " + folder("pyroscope-pprof")
                        + ", found " + found.size());
            }
            return found;
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }
}
