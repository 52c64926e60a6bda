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
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import java.util.stream.Stream;

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
        return start(folder, pods, scratch, false);
    }

    /**
     * @param requests whether the pods' request counter ({@code http_server_requests_seconds_count}, Micrometer's) is
     *                 backfilled too, so that the service has request counts (cost per request, heap growth per 1,000
     *                 requests); the first recordings' service tests ran without it
     */
    static RecordedPrometheus start(Path folder, Map<String, RecordedPod> pods, Path scratch, boolean requests)
            throws IOException {
        Path openMetrics = scratch.resolve("memory.om");
        writeOpenMetrics(folder, pods, openMetrics, requests);
        return new RecordedPrometheus(PrometheusProcess.backfilled(openMetrics), pods);
    }

    /** Every pod's samples, grouped by metric family and series, in time order, closed by {@code # EOF}. */
    /**
     * The service's view of a recording: each pod's live-object profiles ({@code live-*}) copied to
     * {@code profiles/orders/POD} under {@code root} with the pod's {@code track} and {@code scenario} as labels, and a
     * Prometheus holding its scrapes with the request counter.
     */
    static RecordedPrometheus startWithLiveProfiles(Path folder, Map<String, RecordedPod> pods, Path root)
            throws IOException {
        for (RecordedPod pod : pods.values()) {
            Path from = folder.resolve("pods").resolve(pod.name());
            Path to = Files.createDirectories(root.resolve("profiles/orders").resolve(pod.name()));
            try (Stream<Path> files = Files.list(from)) {
                for (Path file : files.filter(f -> f.getFileName().toString().startsWith("live-")).toList()) {
                    Files.copy(file, to.resolve(file.getFileName()));
                }
            }
            Files.writeString(to.resolve("labels.properties"), "track=" + pod.track() + "\nscenario=" + pod.scenario()
                    + "\n");
        }
        return start(folder, pods, Files.createDirectories(root), true);
    }

    static void writeOpenMetrics(Path folder, Map<String, RecordedPod> pods, Path file) throws IOException {
        writeOpenMetrics(folder, pods, file, false);
    }

    /** The same, with the pods' request counter when {@code requests}. */
    static void writeOpenMetrics(Path folder, Map<String, RecordedPod> pods, Path file, boolean requests) throws IOException {
        ScrapedSeries scraped = new ScrapedSeries();
        for (RecordedPod pod : pods.values()) {
            String labels = "app=\"orders\",pod=\"" + pod.name() + "\",scenario=\"" + pod.scenario() + "\",track=\""
                    + pod.track() + '"';
            scraped.add(folder.resolve("pods").resolve(pod.name()).resolve("prometheus.csv.gz"), (metric, id) ->
                    metric.equals("jvm_memory_used_bytes") ? labels + ",area=\"heap\",id=\"" + id + '"'
                    : metric.equals("jvm_gc_live_data_size_bytes") || metric.equals("process_start_time_seconds") ? labels
                    : requests && metric.equals("http_server_requests_seconds_count") ? labels
                    : null);
        }
        scraped.write(file);
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
        for (PodHeap pod : PrometheusHeap.pods(heap, starts, "pod", Map.of(), queries.liveSet())) {
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
