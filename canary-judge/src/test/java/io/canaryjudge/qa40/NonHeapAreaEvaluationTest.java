package io.canaryjudge.qa40;

import static org.assertj.core.api.Assertions.assertThat;

import io.canaryjudge.judge.memory.AreaWindows;
import io.canaryjudge.judge.memory.HeapWindows;
import io.canaryjudge.judge.memory.MemoryAreas;
import io.canaryjudge.judge.memory.MemoryGrowthConfig;
import io.canaryjudge.judge.memory.MemoryOutcome;
import io.canaryjudge.judge.memory.PodHeap;
import io.canaryjudge.judge.memory.PrometheusHeap;
import io.canaryjudge.memory.ScrapedPod;
import io.canaryjudge.metrics.HeapQueries;
import io.canaryjudge.metrics.MemoryAreaQuery;
import io.canaryjudge.metrics.PrometheusConnection;
import io.canaryjudge.metrics.PrometheusHttpClient;
import io.canaryjudge.metrics.QueryParameters;
import io.canaryjudge.metrics.TimeSeries;
import io.canaryjudge.metrics.testing.PrometheusProcess;
import io.canaryjudge.profile.heap.HeapSeries;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import java.util.UUID;
import org.junit.jupiter.api.Test;

/**
 * The areas outside the heap on every layout of the qa40 recordings at default settings, the series as the default
 * Micrometer queries answer them from a real Prometheus (backfilled): each canary pod against every three of the four
 * stable pods ({@code b1 b2 b3 aa-1}; A/A: each stable pod against the other three), over the whole 13 minutes and three
 * 11-minute sub-windows (minutes 1–12, 2–13, 3–14; overlapping, so not independent cases; a pod needs 10 minutes of
 * points, {@code memoryGrowth.minSpan}, which a 10-minute window of one point a minute does not give). One line per case kind on
 * standard error (docs/EVALUATION.md "Memory growth outside the heap (qa40)").
 */
class NonHeapAreaEvaluationTest {
    static final Duration STEP = Duration.ofSeconds(60);
    static final List<String> STABLE = List.of("b1", "b2", "b3", "aa-1");

    @Test
    void everyLayoutAndWindow() throws Exception {
        List<ScrapedPod> pods = NonHeapPods.all();
        Path scratch = Files.createDirectories(Path.of("target", "qa40-eval-" + UUID.randomUUID()));
        long start = pods.stream().mapToLong(ScrapedPod::jvmStartMillis).min().orElseThrow();
        Map<String, Map<String, PodHeap>> byArea = new LinkedHashMap<>(); // area → pod → usage over the whole recording
        List<MemoryAreaQuery> areas = HeapQueries.areas(HeapQueries.Exporter.MICROMETER);
        try (PrometheusProcess prometheus = NonHeapPods.prometheus(pods, scratch)) {
            PrometheusHttpClient client = new PrometheusHttpClient(PrometheusConnection.of(prometheus.baseUrl())
                    .withTimeout(Duration.ofSeconds(60)));
            QueryParameters parameters = QueryParameters.of(Map.of("app", "orders"), STEP).withInstanceLabel("pod");
            Instant from = Instant.ofEpochMilli(start);
            Instant to = from.plus(Duration.ofMinutes(16));
            List<TimeSeries> starts = client.queryRange(HeapQueries.PROCESS_START.replace("{{instance_label}}", "pod")
                    .replace("{{{selector}}}", "{app=\"orders\"}"), from, to, STEP).block(Duration.ofMinutes(1));
            for (MemoryAreaQuery area : areas) {
                List<TimeSeries> series = client.queryRange(area.query().render(parameters), from, to, STEP)
                        .block(Duration.ofMinutes(1));
                Map<String, PodHeap> pods1 = new TreeMap<>();
                for (PodHeap pod : PrometheusHeap.usage(series, starts, "pod",
                        area.countsThreads() ? MemoryAreas.THREAD_STACK_BYTES : 1)) {
                    pods1.put(pod.instance(), pod);
                }
                if (!pods1.isEmpty()) { // native memory: these pods exported no resident size
                    byArea.put(area.area(), pods1);
                }
            }
        }
        long[][] windows = {{1, 14}, {1, 12}, {2, 13}, {3, 14}}; // minutes after the first JVM's start
        Map<String, int[]> counts = new TreeMap<>(); // kind → [cases, failing, by the expected area]
        Map<String, String> failedAreas = new TreeMap<>();
        for (ScrapedPod canary : pods) {
            String kind = STABLE.contains(canary.name()) ? "A/A" : canary.name().replaceAll("-\\d+$", "")
                    + (canary.name().equals("leak-classes-1") ? " (1 per 10 requests)" : "");
            for (String left : STABLE) {
                if (!left.equals(canary.name()) && STABLE.contains(canary.name())) {
                    continue; // A/A: the other three stable pods only
                }
                List<String> baseline = STABLE.stream().filter(p -> !p.equals(left)).toList();
                for (long[] w : windows) {
                    long from = start + w[0] * 60_000;
                    long to = start + w[1] * 60_000;
                    List<AreaWindows> input = new ArrayList<>();
                    byArea.forEach((area, podsOfArea) -> input.add(new AreaWindows(area, area.equals(MemoryAreaQuery.THREADS),
                            new HeapWindows(baseline.stream().map(p -> inside(podsOfArea.get(p), from, to)).toList(),
                                    List.of(inside(podsOfArea.get(canary.name()), from, to)), List.of()))));
                    List<MemoryAreas.AreaResult> results = MemoryAreas.analyse(input, MemoryGrowthConfig.DEFAULTS);
                    List<String> failing = results.stream().filter(r -> r.outcome() == MemoryOutcome.GROWTH
                                    && r.finding().failing()).map(MemoryAreas.AreaResult::area).toList();
                    String expected = canary.variant().equals("leak-classes") ? "metaspace"
                            : canary.variant().equals("leak-direct") ? "direct-buffers"
                            : canary.variant().equals("leak-threads") ? "threads" : null;
                    int[] c = counts.computeIfAbsent(kind + " " + (w[1] - w[0]) + " min", k -> new int[3]);
                    c[0]++;
                    c[1] += failing.isEmpty() ? 0 : 1;
                    c[2] += expected != null && failing.equals(List.of(expected)) ? 1 : 0;
                    if (!failing.isEmpty()) {
                        failedAreas.merge(kind, String.join("+", failing), (a, b) -> a.contains(b) ? a : a + "," + b);
                    }
                }
            }
        }
        counts.forEach((kind, c) -> System.err.printf("qa40-eval %-40s %3d cases, %3d with MEMORY_GROWTH, %3d naming only"
                + " the leaking area (%s)%n", kind, c[0], c[1], c[2], failedAreas.getOrDefault(kind.replaceAll(" \\d+ min$", ""), "-")));
        counts.forEach((kind, c) -> {
            if (kind.startsWith("A/A") || kind.startsWith("bigger-nonheap")) {
                assertThat(c[1]).as(kind).isZero();
            } else if (!kind.contains("1 per 10")) {
                assertThat(c[2]).as(kind).isEqualTo(c[0]);
            }
        });
    }

    /** The pod's points from {@code from} to {@code to} (Unix epoch milliseconds). */
    private static PodHeap inside(PodHeap pod, long from, long to) {
        HeapSeries heap = pod.heap();
        long[] t = heap.timestampsMillis();
        int a = 0;
        while (a < t.length && t[a] < from) {
            a++;
        }
        int b = a;
        while (b < t.length && t[b] <= to) {
            b++;
        }
        return new PodHeap(pod.instance(), new HeapSeries(heap.source(), heap.jvmStartMillis(), Arrays.copyOfRange(t, a, b),
                Arrays.copyOfRange(heap.heapAfterGcBytes(), a, b)), null, true);
    }
}
