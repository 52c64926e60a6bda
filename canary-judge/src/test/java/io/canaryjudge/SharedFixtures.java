package io.canaryjudge;

import java.nio.file.Files;
import java.nio.file.Path;

/**
 * The read-only third-party recordings and schemas beside the clone ({@code ../shared}), for
 * canary-judge's tests. The folder lookup is profile-client's (its test jar); this adds the schemas,
 * the Kafka slices and the project root.
 */
public final class SharedFixtures {
    private SharedFixtures() {
    }

    /** {@code fixtures/<folder>} under the shared directory; fails with a clear message when missing. */
    public static Path folder(String folder) {
        return io.canaryjudge.profile.SharedFixtures.folder(folder);
    }

    /** The four Pyroscope pprof conversions of the Kafka broker's consecutive 10 s CPU slices, 0..3 in order. */
    public static java.util.List<Path> kafkaPprofSlices() {
        return java.util.stream.IntStream.range(0, 4).mapToObj(SharedFixtures::kafkaPprof).toList();
    }

    /** Pyroscope's pprof of Kafka CPU slice {@code n} (0..3), gzipped. */
    public static Path kafkaPprof(int n) {
        return folder("pyroscope-pprof").resolve("cortex-dev-01__kafka-0__cpu__" + n
                + ".jfr.gz.process_cpu_cpu_nanoseconds_cpu_nanoseconds.17241709254077376921.pb.gz");
    }

    /** The Argo Rollouts and Flagger CRDs ({@code ../shared/schemas}). */
    public static Path schemas() {
        Path dir = folder("jfr-parser").getParent().getParent().resolve("schemas");
        if (!Files.isDirectory(dir)) {
            throw new IllegalStateException("shared schemas folder " + dir.toAbsolutePath() + " is missing");
        }
        return dir;
    }

    /** The repository's top folder (the one holding the parent pom and canary-judge/). */
    public static Path projectRoot() {
        Path dir = Path.of("").toAbsolutePath();
        while (dir != null && !(Files.exists(dir.resolve("pom.xml")) && Files.isDirectory(dir.resolve("canary-judge")))) {
            dir = dir.getParent();
        }
        if (dir == null) {
            throw new IllegalStateException("cannot find the project root above " + Path.of("").toAbsolutePath());
        }
        return dir;
    }
}
