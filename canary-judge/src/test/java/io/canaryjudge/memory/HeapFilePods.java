package io.canaryjudge.memory;

import io.canaryjudge.SharedFixtures;
import io.canaryjudge.profile.heap.HeapCsv;
import io.canaryjudge.profile.heap.HeapSeries;
import io.canaryjudge.profile.heap.InvalidHeapCsvException;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.time.Duration;
import org.springframework.http.MediaType;
import org.springframework.test.web.reactive.server.WebTestClient;
import tools.jackson.databind.JsonNode;
import tools.jackson.databind.json.JsonMapper;

/**
 * Pods for the service's file-based heap (a local directory, an upload), laid out as a user would:
 * {@code APPLICATION/POD/} with the CPU profiles of a recorded scenario (baseline: session 1; canary: the A/A
 * canary, or the +100 % CPU regression), a {@code heap.csv} cut from a recorded memory pod to one 15-minute window
 * (the canary pods' minutes 20–35, past their warm-up; the baseline pods' same minutes of the clock) and a
 * {@code labels.properties} ({@code track=base}, {@code leak}, {@code flat} or {@code regression}).
 *
 * <p>The profiles alone PASS (A/A) or FAIL (the regression); only the heap tells the leaking canary from the flat
 * one — the way {@code compare} judges the same directories ({@link MemoryCompareCommandTest}).
 */
final class HeapFilePods {
    static final String APPLICATION = "mem";
    /** The same pods without heap.csv: an application whose pods record no heap. */
    static final String WITHOUT_HEAP = "no-heap";
    private static final long MINUTE = 60_000;
    private static final Path SCENARIOS = SharedFixtures.projectRoot().resolve("canary-judge/src/test/resources/scenarios");

    private HeapFilePods() {
    }

    /** One pod: its folder name, track, CPU profiles' folder and recorded memory pod. */
    record Pod(String name, String track, Path profiles, String memoryPod) {
    }

    static List<Pod> pods() {
        List<Pod> pods = new ArrayList<>();
        for (int n = 1; n <= 3; n++) {
            pods.add(new Pod("base-" + n, "base", SCENARIOS.resolve("baselines/session-1/pod-" + n), "baseline-" + n));
            pods.add(new Pod("leak-" + n, "leak", SCENARIOS.resolve("aa/canary/pod-" + n), "leak-sessions-" + n));
            pods.add(new Pod("flat-" + n, "flat", SCENARIOS.resolve("aa/canary/pod-" + n), "aa-" + n));
            pods.add(new Pod("regression-" + n, "regression", SCENARIOS.resolve("cpu-regression-100/canary/pod-" + n),
                    "aa-" + n));
        }
        return pods;
    }

    /** Writes every pod under {@code root/mem/}, and again without heap.csv under {@code root/no-heap/}. */
    static void write(Path root) {
        try {
            Path memory = RecordedPod.folder().resolve("pods");
            long from = HeapCsv.read(memory.resolve("leak-sessions-1/heap.csv")).jvmStartMillis() + 20 * MINUTE;
            for (Pod pod : pods()) {
                Path dir = Files.createDirectories(root.resolve(APPLICATION).resolve(pod.name()));
                for (int k = 1; k <= 5; k++) {
                    Files.copy(pod.profiles().resolve("slice-" + k + ".pb.gz"), dir.resolve("slice-" + k + ".pb.gz"));
                }
                HeapSeries heap = RecordedPod.slice(HeapCsv.read(memory.resolve(pod.memoryPod()).resolve("heap.csv")),
                        from, from + 15 * MINUTE);
                Files.writeString(dir.resolve("heap.csv"), heapCsv(heap));
                Files.writeString(dir.resolve("labels.properties"), "track=" + pod.track() + "\n");
                Path without = Files.createDirectories(root.resolve(WITHOUT_HEAP).resolve(pod.name()));
                try (var files = Files.list(dir)) {
                    for (Path file : files.toList()) {
                        if (!file.getFileName().toString().equals("heap.csv")) {
                            Files.copy(file, without.resolve(file.getFileName()));
                        }
                    }
                }
            }
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        } catch (InvalidHeapCsvException e) {
            throw new IllegalStateException(e);
        }
    }

    static String heapCsv(HeapSeries heap) {
        StringBuilder csv = new StringBuilder("# jvm_start_ms=" + heap.jvmStartMillis() + "\ntimestamp_ms,heap_after_gc_bytes\n");
        for (int i = 0; i < heap.size(); i++) {
            csv.append(heap.timestampMillis(i)).append(',').append(heap.heapAfterGcBytes(i)).append('\n');
        }
        return csv.toString();
    }

    /** {@code {"application": "mem", "baseline": {"labels": {"track": "base"}}, "canary": {... TRACK}}}. */
    static String request(String canaryTrack) {
        return request(APPLICATION, canaryTrack);
    }

    static String request(String application, String canaryTrack) {
        return """
                {"application": "%s", "baseline": {"labels": {"track": "base"}},
                 "canary": {"labels": {"track": "%s"}}}""".formatted(application, canaryTrack);
    }

    private static final JsonMapper JSON = JsonMapper.builder().build();

    /** A client of the service on {@code port} (loopback), patient enough for a loaded machine. */
    static WebTestClient client(int port) {
        return WebTestClient.bindToServer().baseUrl("http://127.0.0.1:" + port)
                .responseTimeout(Duration.ofSeconds(120)).build();
    }

    /** The verdict of {@link #request(String, String)} posted to the service; the answer must be 200. */
    static JsonNode analyse(WebTestClient client, String application, String canaryTrack) {
        return JSON.readTree(client.post().uri("/api/v1/analyses").contentType(MediaType.APPLICATION_JSON)
                .bodyValue(request(application, canaryTrack)).exchange().expectStatus().isOk()
                .expectBody(String.class).returnResult().getResponseBody());
    }
}
