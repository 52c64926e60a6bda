package io.canaryjudge.qa40;

import io.canaryjudge.metrics.testing.PrometheusProcess;
import java.io.BufferedReader;
import java.io.IOException;
import java.io.InputStreamReader;
import java.io.PrintWriter;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Properties;
import java.util.TreeMap;
import java.util.stream.Stream;
import java.util.zip.GZIPInputStream;

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

    /** One recorded pod. */
    record Pod(String name, String track, String variant, long jvmStartMillis) {
    }

    static List<Pod> all() throws IOException {
        List<Pod> pods = new ArrayList<>();
        try (Stream<Path> dirs = Files.list(FOLDER.resolve("pods"))) {
            for (Path dir : dirs.sorted().toList()) {
                Properties p = new Properties();
                try (var in = Files.newBufferedReader(dir.resolve("pod.properties"))) {
                    p.load(in);
                }
                pods.add(new Pod(dir.getFileName().toString(), p.getProperty("track"), p.getProperty("variant"),
                        Long.parseLong(p.getProperty("jvm_start_ms"))));
            }
        }
        return pods;
    }

    /** A real Prometheus holding every pod's scrapes. */
    static PrometheusProcess prometheus(List<Pod> pods, Path scratch) throws IOException {
        Path file = scratch.resolve("qa40.om");
        Map<String, Map<String, List<String>>> families = new TreeMap<>();
        for (Pod pod : pods) {
            Path csv = FOLDER.resolve("pods").resolve(pod.name()).resolve("prometheus.csv.gz");
            try (BufferedReader in = new BufferedReader(new InputStreamReader(
                    new GZIPInputStream(Files.newInputStream(csv)), StandardCharsets.UTF_8))) {
                for (String line = in.readLine(); line != null; line = in.readLine()) {
                    String[] f = line.split(",", -1);
                    if (f.length != 4 || f[0].equals("timestamp_ms") || f[3].equals("NaN")) {
                        continue;
                    }
                    String metric = f[1];
                    StringBuilder labels = new StringBuilder("app=\"orders\",pod=\"").append(pod.name())
                            .append("\",replica=\"").append(pod.name()).append("\",track=\"").append(pod.track())
                            .append("\",variant=\"").append(pod.variant()).append('"');
                    if (metric.equals("jvm_memory_used_bytes")) {
                        // The export kept the pool (id); G1's pools are the heap, the others (Metaspace, CodeCache,
                        // Compressed Class Space) Micrometer labels area="nonheap".
                        labels.append(",area=\"").append(f[2].startsWith("G1 ") ? "heap" : "nonheap").append("\",id=\"")
                                .append(f[2]).append('"');
                    } else if (metric.equals("jvm_buffer_memory_used_bytes")) {
                        labels.append(",id=\"").append(f[2]).append('"');
                    }
                    double seconds = Long.parseLong(f[0]) / 1000.0;
                    families.computeIfAbsent(metric, k -> new TreeMap<>())
                            .computeIfAbsent(labels.toString(), k -> new ArrayList<>())
                            .add(metric + "{" + labels + "} " + f[3] + " " + String.format(Locale.ROOT, "%.3f", seconds));
                }
            }
        }
        try (PrintWriter out = new PrintWriter(Files.newBufferedWriter(file, StandardCharsets.UTF_8))) {
            for (Map.Entry<String, Map<String, List<String>>> family : families.entrySet()) {
                out.print("# TYPE " + family.getKey() + " gauge\n");
                for (List<String> series : family.getValue().values()) {
                    for (String sample : series) {
                        out.print(sample + "\n");
                    }
                }
            }
            out.print("# EOF\n");
        }
        return PrometheusProcess.backfilled(file);
    }

    /** The pods' live-object recordings and labels in a local profile directory ROOT/orders/POD. */
    static void profiles(List<Pod> pods, Path root) throws IOException {
        for (Pod pod : pods) {
            Path from = FOLDER.resolve("pods").resolve(pod.name());
            Path to = Files.createDirectories(root.resolve("orders").resolve(pod.name()));
            Files.copy(from.resolve("live-last.jfr.gz"), to.resolve("live-last.jfr.gz"));
            Files.copy(from.resolve("labels.properties"), to.resolve("labels.properties"));
        }
    }
}
