package io.canaryjudge;

import java.nio.file.Files;
import java.nio.file.Path;

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

    /** Pyroscope's pprof of Kafka CPU slice {@code n} (0..3), gzipped. */
    public static Path kafkaPprof(int n) {
        return folder("pyroscope-pprof").resolve("cortex-dev-01__kafka-0__cpu__" + n
                + ".jfr.gz.process_cpu_cpu_nanoseconds_cpu_nanoseconds.17241709254077376921.pb.gz");
    }
}
