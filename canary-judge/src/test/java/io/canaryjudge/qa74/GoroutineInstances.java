package io.canaryjudge.qa74;

import java.io.IOException;
import java.nio.file.DirectoryStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;

/**
 * Recorded Go pods (bench/go-pod: src/test/resources/qa74, qa77, qa83) as the instance folders {@code compare} reads:
 * each pod's goroutine profiles (one a minute) and {@code requests.csv}, not the Prometheus scrapes beside them.
 */
public final class GoroutineInstances {
    private GoroutineInstances() {
    }

    /** Copies each of {@code pods} under {@code recorded} into {@code into}{@code /<pod>}; returns {@code into}. */
    public static Path copy(Path recorded, Path into, List<String> pods) throws IOException {
        for (String pod : pods) {
            Path to = Files.createDirectories(into.resolve(pod));
            try (DirectoryStream<Path> files = Files.newDirectoryStream(recorded.resolve(pod),
                    "{goroutine-*.pb.gz,requests.csv}")) {
                for (Path file : files) {
                    Files.copy(file, to.resolve(file.getFileName()));
                }
            }
        }
        return into;
    }
}
