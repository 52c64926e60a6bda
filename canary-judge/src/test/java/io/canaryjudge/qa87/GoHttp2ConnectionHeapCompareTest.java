package io.canaryjudge.qa87;

import static io.canaryjudge.qa87.Http2HeapThroughPyroscope.heapFinding;
import static org.assertj.core.api.Assertions.assertThat;

import io.canaryjudge.SharedFixtures;
import io.canaryjudge.cli.CompareJson;
import java.io.BufferedReader;
import java.io.IOException;
import java.io.InputStreamReader;
import java.nio.charset.StandardCharsets;
import java.nio.file.DirectoryStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import java.util.Properties;
import java.util.TreeMap;
import java.util.zip.GZIPInputStream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import tools.jackson.databind.JsonNode;

/**
 * {@code compare} over the same pods as {@link GoHttp2HeapStepAndLeakServiceTest} and {@link
 * GoHttp2ConnectionHeapServiceTest}: per instance its goroutine profiles, its heap profiles' live objects where kept, and
 * a heap.csv of the heap the service's {@code client-golang} preset asks Prometheus for ({@code
 * min_over_time(go_memstats_heap_alloc_bytes[1m])}: the lowest scrape of each minute), written from the pod's recorded
 * scrapes.
 */
public class GoHttp2ConnectionHeapCompareTest {
    static final Path RESOURCES = SharedFixtures.projectRoot().resolve("canary-judge/src/test/resources");
    static final List<String> BASELINE = List.of("b1", "b2", "b3");

    /** Instance folders for compare from {@code pods}: goroutine and heap profiles, heap.csv from the scrapes. */
    public static void pods(Path temp, Path pods, List<String> names, Map<String, Path> heap) throws IOException {
        for (String pod : names) {
            Path to = Files.createDirectories(temp.resolve(pod));
            for (Path from : heap.containsKey(pod) ? List.of(pods.resolve(pod), heap.get(pod)) : List.of(pods.resolve(pod))) {
                try (DirectoryStream<Path> files = Files.newDirectoryStream(from, "{goroutine,heap}-*.pb.gz")) {
                    for (Path file : files) {
                        Files.copy(file, to.resolve(file.getFileName()));
                    }
                }
            }
            Properties p = new Properties();
            try (var in = Files.newBufferedReader(pods.resolve(pod).resolve("pod.properties"))) {
                p.load(in);
            }
            TreeMap<Long, long[]> lowest = new TreeMap<>(); // minute → [time of its last scrape, lowest heap]
            try (BufferedReader in = new BufferedReader(new InputStreamReader(new GZIPInputStream(
                    Files.newInputStream(pods.resolve(pod).resolve("prometheus.csv.gz"))), StandardCharsets.UTF_8))) {
                for (String line = in.readLine(); line != null; line = in.readLine()) {
                    String[] f = line.split(",");
                    if (f.length == 4 && f[1].equals("go_memstats_heap_alloc_bytes")) {
                        long t = Long.parseLong(f[0]);
                        long bytes = (long) Double.parseDouble(f[3]);
                        lowest.merge(t / 60_000, new long[] {t, bytes},
                                (a, b) -> new long[] {Math.max(a[0], b[0]), Math.min(a[1], b[1])});
                    }
                }
            }
            StringBuilder csv = new StringBuilder("# jvm_start_ms=" + p.getProperty("jvm_start_ms")
                    + "\ntimestamp_ms,heap_after_gc_bytes\n");
            lowest.values().forEach(v -> csv.append(v[0]).append(',').append(v[1]).append('\n'));
            Files.writeString(to.resolve("heap.csv"), csv);
        }
    }

    private static JsonNode compare(Path pods, String canary, String tag) {
        JsonNode verdict = CompareJson.of(pods, BASELINE, List.of(canary), List.of());
        // the figures docs/EVALUATION.md "(qa87)" quotes
        System.err.println(tag + " compare " + canary + ": " + verdict.path("summary").asString() + " | "
                + verdict.path("dataQuality").path("memory").path("notes"));
        return verdict;
    }

    /**
     * qa87's session: r1 (10 → 200 connections over minutes 0-10, then flat) is not failed on its heap (fails before
     * qa87: FAIL on the heap); l1, a heap leak beside the same step, FAILs naming {@code main.handle}.
     */
    @Test
    void theStepIsReportedAndTheLeakBesideItFails(@TempDir Path temp) throws IOException {
        pods(temp, RESOURCES.resolve("qa87/pods"), List.of("b1", "b2", "b3", "r1", "l1"), Map.of());

        JsonNode r1 = compare(temp, "r1", "qa87 session");
        assertThat(r1.path("result").asString()).as(r1.toString()).isNotEqualTo("FAIL");
        JsonNode heap = heapFinding(r1);
        assertThat(heap).as(r1.toString()).isNotNull();
        assertThat(heap.get("failing").asBoolean()).isFalse();

        JsonNode l1 = compare(temp, "l1", "qa87 session");
        assertThat(l1.path("result").asString()).as(l1.toString()).isEqualTo("FAIL");
        assertThat(heapFinding(l1).get("failing").asBoolean()).isTrue();
        assertThat(l1.path("summary").asString()).contains("after GC").contains("`main.handle`");
        // the heap is reported as measured (heap.csv's rows), not as raised to judge it less the connections: fails
        // before fxd, which reported the raised points
        List<String> measured = Files.readAllLines(temp.resolve("l1/heap.csv"));
        int shown = 0;
        for (JsonNode pod : l1.path("dataQuality").path("memory").path("pods")) {
            if (pod.path("instance").asString().endsWith("/l1")) {
                for (JsonNode point : pod.path("points")) { // [Unix epoch milliseconds, bytes]
                    assertThat(measured).contains(point.get(0).asLong() + "," + point.get(1).asLong());
                    shown++;
                }
            }
        }
        assertThat(shown).isGreaterThan(10);
    }

    /** qa83's r1 with its heap profiles (qa83-heap): not failed on its heap (fails before qa87). */
    @Test
    void qa83sUnchangedCanaryIsNotFailedForItsHeap(@TempDir Path temp) throws IOException {
        pods(temp, RESOURCES.resolve("qa83/pods"), List.of("b1", "b2", "b3", "r1"),
                Map.of("r1", RESOURCES.resolve("qa87/qa83-heap/r1")));

        JsonNode r1 = compare(temp, "r1", "qa87 qa83-data");
        assertThat(r1.path("result").asString()).as(r1.toString()).isNotEqualTo("FAIL");
        assertThat(heapFinding(r1).get("failing").asBoolean()).isFalse();
    }
}
