package io.canaryjudge.memory;

import java.io.IOException;
import java.io.Reader;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Properties;
import java.util.stream.Stream;

/**
 * One recorded pod whose Prometheus scrapes are committed ({@code PODS/POD/prometheus.csv.gz}, read by
 * {@link ScrapedSeries}) beside its {@code pod.properties}: {@code track}, {@code variant}, {@code jvm_start_ms}.
 *
 * @param jvmStartMillis the JVM's start, ms since the epoch
 */
public record ScrapedPod(String name, String track, String variant, long jvmStartMillis) {

    /** Every pod folder under {@code pods}, by name. */
    public static List<ScrapedPod> in(Path pods) throws IOException {
        List<ScrapedPod> all = new ArrayList<>();
        try (Stream<Path> dirs = Files.list(pods)) {
            for (Path dir : dirs.sorted().toList()) {
                Properties p = new Properties();
                try (Reader in = Files.newBufferedReader(dir.resolve("pod.properties"))) {
                    p.load(in);
                }
                all.add(new ScrapedPod(dir.getFileName().toString(), p.getProperty("track"), p.getProperty("variant"),
                        Long.parseLong(p.getProperty("jvm_start_ms"))));
            }
        }
        return all;
    }
}
