package io.canaryjudge.qa40;

import io.canaryjudge.memory.ScrapedPod;
import io.canaryjudge.memory.ScrapedSeries;
import io.canaryjudge.metrics.testing.PrometheusProcess;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;

/**
 * The qa40 recordings (src/test/resources/qa40, README there): pods whose memory outside the heap grows (metaspace,
 * direct buffers, threads) or is larger but flat, beside stable pods, each with its Micrometer scrapes as a real
 * Prometheus stored them. {@link #prometheus} backfills them into a real Prometheus with the labels {@code app},
 * {@code pod}, {@code track}, {@code variant}, {@code replica} (and {@code area}, {@code id} as Micrometer gives them).
 */
final class NonHeapPods {
    static final Path FOLDER = Path.of("src", "test", "resources", "qa40");

    private NonHeapPods() {
    }

    static List<ScrapedPod> all() throws IOException {
        return ScrapedPod.in(FOLDER.resolve("pods"));
    }

    /** A real Prometheus holding every pod's scrapes. */
    static PrometheusProcess prometheus(List<ScrapedPod> pods, Path scratch) throws IOException {
        Path file = scratch.resolve("qa40.om");
        ScrapedSeries scraped = new ScrapedSeries();
        for (ScrapedPod pod : pods) {
            String labels = "app=\"orders\",pod=\"" + pod.name() + "\",replica=\"" + pod.name() + "\",track=\""
                    + pod.track() + "\",variant=\"" + pod.variant() + '"';
            // The export kept the pool (id); G1's pools are the heap, the others (Metaspace, CodeCache, Compressed Class
            // Space) Micrometer labels area="nonheap".
            scraped.add(FOLDER.resolve("pods").resolve(pod.name()).resolve("prometheus.csv.gz"), (metric, id) ->
                    metric.equals("jvm_memory_used_bytes")
                            ? labels + ",area=\"" + (id.startsWith("G1 ") ? "heap" : "nonheap") + "\",id=\"" + id + '"'
                    : metric.equals("jvm_buffer_memory_used_bytes") ? labels + ",id=\"" + id + '"'
                    : labels);
        }
        scraped.write(file);
        return PrometheusProcess.backfilled(file);
    }

    /** The pods' live-object recordings and labels in a local profile directory ROOT/orders/POD. */
    static void profiles(List<ScrapedPod> pods, Path root) throws IOException {
        for (ScrapedPod pod : pods) {
            Path from = FOLDER.resolve("pods").resolve(pod.name());
            Path to = Files.createDirectories(root.resolve("orders").resolve(pod.name()));
            Files.copy(from.resolve("live-last.jfr.gz"), to.resolve("live-last.jfr.gz"));
            Files.copy(from.resolve("labels.properties"), to.resolve("labels.properties"));
        }
    }
}
