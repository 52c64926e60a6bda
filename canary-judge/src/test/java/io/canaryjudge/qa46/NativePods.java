package io.canaryjudge.qa46;

import io.canaryjudge.memory.ScrapedPod;
import io.canaryjudge.memory.ScrapedSeries;
import io.canaryjudge.metrics.testing.PrometheusProcess;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;

/**
 * The qa46 recordings (src/test/resources/qa46, README there): pods keeping native memory, a heap warming into a growing
 * committed size, a larger but flat non-heap, beside stable pods, each with its Micrometer scrapes and its resident size
 * as a real Prometheus stored them. {@link #prometheus} backfills each pod twice into one real Prometheus:
 * <ul>
 *   <li>application {@code orders}: the pod's own series with its resident size as
 *       {@code process_resident_memory_bytes} (what client_java and the JMX exporter write);</li>
 *   <li>application {@code orders-k8s}, pod {@code k8s-POD}, namespace {@code shop}: the same JVM series without
 *       {@code process_resident_memory_bytes}; the resident size is only cAdvisor's
 *       {@code container_memory_working_set_bytes{namespace, pod, container}} (no application labels, as the kubelet
 *       writes it), beside the series cAdvisor also writes for the pod: the pause container ({@code container="POD"},
 *       0.5 MiB), a sidecar ({@code container="istio-proxy"}, 48 MiB) and the pod-level sum ({@code container=""}).</li>
 * </ul>
 * Labels {@code app}, {@code pod}, {@code track}, {@code variant}, {@code replica} (and {@code area}, {@code id} as
 * Micrometer gives them).
 */
final class NativePods {
    static final Path FOLDER = Path.of("src", "test", "resources", "qa46");
    static final String K8S = "k8s-";
    private static final double PAUSE_BYTES = 512 * 1024;
    private static final double SIDECAR_BYTES = 48 << 20;

    private NativePods() {
    }

    static List<ScrapedPod> all() throws IOException {
        return ScrapedPod.in(FOLDER.resolve("pods"));
    }

    /** A real Prometheus holding every pod's scrapes, once as each exporter kind (class comment). */
    static PrometheusProcess prometheus(List<ScrapedPod> pods, Path scratch) throws IOException {
        Path file = scratch.resolve("qa46.om");
        ScrapedSeries scraped = new ScrapedSeries();
        for (ScrapedPod pod : pods) {
            Path csv = FOLDER.resolve("pods").resolve(pod.name()).resolve("prometheus.csv.gz");
            for (boolean k8s : new boolean[] {false, true}) {
                String name = k8s ? K8S + pod.name() : pod.name();
                String labels = "app=\"" + (k8s ? "orders-k8s" : "orders") + "\",namespace=\"shop\",pod=\"" + name
                        + "\",replica=\"" + pod.name() + "\",track=\"" + pod.track() + "\",variant=\"" + pod.variant() + '"';
                scraped.add(csv, (metric, id) -> k8s && metric.equals("process_resident_memory_bytes") ? null
                        // the export kept the pool (id); G1's pools are the heap, the others Micrometer labels nonheap
                        : metric.startsWith("jvm_memory_")
                                ? labels + ",area=\"" + (id.startsWith("G1 ") ? "heap" : "nonheap") + "\",id=\"" + id + '"'
                        : metric.startsWith("jvm_buffer_") ? labels + ",id=\"" + id + '"'
                        : labels);
                if (k8s) {
                    String cadvisor = "namespace=\"shop\",pod=\"" + name + "\",container=";
                    scraped.addAs(csv, "process_resident_memory_bytes", "container_memory_working_set_bytes",
                            cadvisor + "\"orders\"", rss -> rss);
                    scraped.addAs(csv, "process_resident_memory_bytes", "container_memory_working_set_bytes",
                            cadvisor + "\"POD\"", rss -> PAUSE_BYTES);
                    scraped.addAs(csv, "process_resident_memory_bytes", "container_memory_working_set_bytes",
                            cadvisor + "\"istio-proxy\"", rss -> SIDECAR_BYTES);
                    scraped.addAs(csv, "process_resident_memory_bytes", "container_memory_working_set_bytes",
                            cadvisor + "\"\"", rss -> rss + PAUSE_BYTES + SIDECAR_BYTES);
                }
            }
        }
        scraped.write(file);
        return PrometheusProcess.backfilled(file);
    }

    /**
     * Each pod's last whole minute of allocation samples ({@code alloc.pb.gz}) with its labels, in a local profile
     * directory ROOT/APPLICATION/POD, for both applications: the profiles the memory check's verdict stands beside.
     */
    static void profiles(List<ScrapedPod> pods, Path root) throws IOException {
        for (ScrapedPod pod : pods) {
            for (String application : List.of("orders", "orders-k8s")) {
                String name = application.equals("orders") ? pod.name() : K8S + pod.name();
                Path to = Files.createDirectories(root.resolve(application).resolve(name));
                Files.copy(FOLDER.resolve("pods").resolve(pod.name()).resolve("alloc.pb.gz"), to.resolve("alloc.pb.gz"));
                Files.writeString(to.resolve("labels.properties"), "track=" + pod.track() + "\nvariant=" + pod.variant()
                        + "\nreplica=" + pod.name() + "\n");
            }
        }
    }
}
