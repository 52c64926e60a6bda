package io.canaryjudge.memory;

import io.canaryjudge.judge.memory.PodHeap;
import io.canaryjudge.judge.memory.PrometheusHeap;
import io.canaryjudge.metrics.HeapQueries;
import io.canaryjudge.metrics.PrometheusConnection;
import io.canaryjudge.metrics.PrometheusHttpClient;
import io.canaryjudge.metrics.QueryParameters;
import io.canaryjudge.metrics.TimeSeries;
import io.canaryjudge.metrics.testing.PrometheusProcess;
import io.canaryjudge.profile.heap.HeapSeries;
import java.io.BufferedReader;
import java.io.IOException;
import java.io.InputStreamReader;
import java.io.PrintWriter;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.TreeMap;
import java.util.zip.GZIPInputStream;

/**
 * The recorded pods' scraped series (each pod's {@code prometheus.csv.gz}: every 10-second point of its
 * heap pools, live data size and start time, as the recording's Prometheus stored them) backfilled
 * into a real Prometheus ({@link PrometheusProcess#backfilled}) with the labels the scrape gave them
 * ({@code app}, {@code pod}, {@code track}, {@code scenario}), so that the default heap queries
 * ({@link HeapQueries}) run on what a real Prometheus holds.
 */
final class RecordedPrometheus implements AutoCloseable {
    /** Resolution the heap queries are asked at: one point a minute, as {@link io.canaryjudge.judge.memory.HeapEnvelope} keeps. */
    static final Duration STEP = Duration.ofSeconds(60);

    private final PrometheusProcess prometheus;
    private final PrometheusHttpClient client;
    private final Map<String, RecordedPod> pods;

    private RecordedPrometheus(PrometheusProcess prometheus, Map<String, RecordedPod> pods) {
        this.prometheus = prometheus;
        this.client = new PrometheusHttpClient(PrometheusConnection.of(prometheus.baseUrl()).withTimeout(Duration.ofSeconds(60)));
        this.pods = pods;
    }

    static RecordedPrometheus start(Path folder, Map<String, RecordedPod> pods, Path scratch) throws IOException {
        Path openMetrics = scratch.resolve("memory.om");
        writeOpenMetrics(folder, pods, openMetrics);
        return new RecordedPrometheus(PrometheusProcess.backfilled(openMetrics), pods);
    }

    /** Every pod's samples, grouped by metric family and series, in time order, closed by {@code # EOF}. */
    static void writeOpenMetrics(Path folder, Map<String, RecordedPod> pods, Path file) throws IOException {
        // family → series labels → lines
        Map<String, Map<String, List<String>>> families = new TreeMap<>();
        for (RecordedPod pod : pods.values()) {
            Path csv = folder.resolve("pods").resolve(pod.name()).resolve("prometheus.csv.gz");
            try (BufferedReader in = new BufferedReader(new InputStreamReader(
                    new GZIPInputStream(Files.newInputStream(csv)), StandardCharsets.UTF_8))) {
                for (String line = in.readLine(); line != null; line = in.readLine()) {
                    String[] f = line.split(",", -1);
                    if (f.length != 4 || f[0].equals("timestamp_ms") || f[3].equals("NaN")) {
                        continue;
                    }
                    String metric = f[1];
                    StringBuilder labels = new StringBuilder("app=\"orders\",pod=\"").append(pod.name())
                            .append("\",scenario=\"").append(pod.scenario()).append("\",track=\"").append(pod.track()).append('"');
                    if (metric.equals("jvm_memory_used_bytes")) {
                        labels.append(",area=\"heap\",id=\"").append(f[2]).append('"');
                    } else if (!metric.equals("jvm_gc_live_data_size_bytes") && !metric.equals("process_start_time_seconds")) {
                        continue;
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
    }

    /**
     * Each pod's heap after GC as a heap query answers it over the whole recording, one point a minute,
     * with the JVM's start from the start-time query, by pod.
     */
    Map<String, HeapSeries> heapSeries(HeapQueries queries, Instant from, Instant to) {
        QueryParameters parameters = QueryParameters.of(Map.of("app", "orders"), STEP).withInstanceLabel("pod");
        List<TimeSeries> heap = query(queries.heapAfterGc().render(parameters), from, to);
        List<TimeSeries> starts = query(queries.jvmStart().render(parameters), from, to);
        Map<String, HeapSeries> byPod = new LinkedHashMap<>();
        for (PodHeap pod : PrometheusHeap.pods(heap, starts, "pod", Map.of())) {
            byPod.put(pod.instance(), pod.heap());
        }
        return byPod;
    }

    /** Where the backfilled Prometheus answers (loopback). */
    java.net.URI baseUrl() {
        return prometheus.baseUrl();
    }

    List<TimeSeries> query(String promql, Instant from, Instant to) {
        List<TimeSeries> all = new ArrayList<>();
        // At most 11,000 points per series per query: an hour at a time is far below.
        for (Instant start = from; start.isBefore(to); start = start.plus(Duration.ofHours(1))) {
            Instant end = start.plus(Duration.ofHours(1)).isBefore(to) ? start.plus(Duration.ofHours(1)) : to;
            all.addAll(client.queryRange(promql, start, end, STEP).block(Duration.ofMinutes(2)));
        }
        return merge(all);
    }

    /** Series of the same labels from consecutive queries, joined. */
    private static List<TimeSeries> merge(List<TimeSeries> pieces) {
        Map<Map<String, String>, List<TimeSeries>> byLabels = new LinkedHashMap<>();
        for (TimeSeries piece : pieces) {
            byLabels.computeIfAbsent(piece.labels(), k -> new ArrayList<>()).add(piece);
        }
        List<TimeSeries> merged = new ArrayList<>();
        for (Map.Entry<Map<String, String>, List<TimeSeries>> e : byLabels.entrySet()) {
            TreeMap<Long, Double> points = new TreeMap<>();
            for (TimeSeries s : e.getValue()) {
                long[] t = s.timestampsMillis();
                double[] v = s.values();
                for (int i = 0; i < t.length; i++) {
                    points.put(t[i], v[i]);
                }
            }
            long[] t = points.keySet().stream().mapToLong(Long::longValue).toArray();
            double[] v = points.values().stream().mapToDouble(Double::doubleValue).toArray();
            merged.add(new TimeSeries(e.getKey(), t, v));
        }
        return merged;
    }

    @Override
    public void close() {
        prometheus.close();
    }
}
