package io.canaryjudge.qa87;

import static org.assertj.core.api.Assertions.assertThat;

import io.canaryjudge.memory.ScrapedPod;
import io.canaryjudge.memory.ScrapedGoPodsOnPyroscope;
import io.canaryjudge.memory.ScrapedPodsService;
import io.canaryjudge.metrics.testing.PrometheusProcess;
import io.canaryjudge.profile.testing.PyroscopeStandIn;
import java.io.IOException;
import java.nio.file.DirectoryStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.time.temporal.ChronoUnit;
import java.util.List;
import java.util.Map;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.junit.jupiter.api.AfterAll;
import org.springframework.test.context.DynamicPropertyRegistry;
import tools.jackson.databind.JsonNode;

/**
 * Go HTTP/2 (and qa88's gRPC-go) pods through the service as Argo Rollouts asks it: their client_golang scrapes
 * backfilled into a real Prometheus (the heap after GC, {@code go_goroutines}), their goroutine profiles and heap
 * profiles (live objects:
 * {@code inuse_space}) served by the Pyroscope stand-in (WireMock, Connect protocol) as Pyroscope stores a Go service's
 * profiles, one a minute, each stamped at the minute its slice began.
 *
 * <p>Every subclass (qa87, qa88, qa91) is judged by the service as {@link ScrapedGoPodsOnPyroscope} configures it.
 */
public abstract class Http2HeapThroughPyroscope extends ScrapedGoPodsOnPyroscope {
    static final String APP = "gopod";
    /** The application the pods of the last {@link #serve} are labelled with (Prometheus' {@code app}, Pyroscope's). */
    private static String application = APP;
    /** Go-pod sleeps this long after start before its first slice (bench/go-pod/main.go). */
    static final Duration FIRST_SLICE = Duration.ofSeconds(3);
    static final Duration SLICE = Duration.ofMinutes(1);
    private static final Pattern NUMBER = Pattern.compile("-(\\d+)\\.pb\\.gz$");
    static PyroscopeStandIn pyroscope;

    /**
     * Prometheus backfilled with the pods of {@code folder}, the stand-in serving each pod's {@code goroutine-NN.pb.gz}
     * from {@code folder} and its {@code heap-NN.pb.gz} from {@code folder} or {@code heapFolders} (a pod folder each).
     */
    static void serve(DynamicPropertyRegistry registry, Path folder, Path root, List<Path> heapFolders) {
        serve(registry, folder, root, heapFolders, APP);
    }

    /** As {@link #serve(DynamicPropertyRegistry, Path, Path, List)}, the pods labelled as application {@code app}. */
    protected static void serve(DynamicPropertyRegistry registry, Path folder, Path root, List<Path> heapFolders,
                                String app) {
        application = app;
        ScrapedPodsService.serve(registry, root.resolve("profiles"), () -> {
            prometheus = backfill(folder, root, app, "{labels.properties}");
            pyroscope = PyroscopeStandIn.start();
            for (ScrapedPod pod : pods) {
                Map<String, String> labels = Map.of("service_name", app, "track", pod.track(), "replica", pod.name(),
                        "pod", pod.name());
                Instant start = Instant.ofEpochMilli(pod.jvmStartMillis()).plus(FIRST_SLICE);
                add(labels, start, folder.resolve(pod.name()), "goroutine-*.pb.gz");
                add(labels, start, folder.resolve(pod.name()), "heap-*.pb.gz");
                for (Path heap : heapFolders) {
                    if (heap.getFileName().toString().equals(pod.name())) {
                        add(labels, start, heap, "heap-*.pb.gz");
                    }
                }
            }
            return prometheus;
        }, PrometheusProcess::baseUrl);
        registry.add("canary-judge.pyroscope.url", () -> pyroscope.url());
    }

    private static void add(Map<String, String> labels, Instant start, Path dir, String glob) throws IOException {
        try (DirectoryStream<Path> files = Files.newDirectoryStream(dir, glob)) {
            for (Path file : files) {
                Matcher m = NUMBER.matcher(file.getFileName().toString());
                if (!m.find()) {
                    throw new IllegalStateException("no slice number in " + file);
                }
                Instant at = start.plus(SLICE.multipliedBy(Long.parseLong(m.group(1))));
                pyroscope.addProfile(labels, at, at.plus(SLICE), file);
            }
        }
    }

    @AfterAll
    static void stopPyroscope() {
        if (pyroscope != null) {
            pyroscope.close();
            pyroscope = null;
        }
    }

    /** The canary pod against b1-b3 over {@code minutes} ending {@code endMinute} minutes after the first start. */
    protected JsonNode analyse(String pod, int endMinute, int minutes, String tag) {
        Instant end = end(endMinute);
        JsonNode verdict = analyses("""
                {"application": "%s", "baseline": {"labels": {"track": "baseline"}},
                 "canary": {"labels": {"track": "canary", "replica": "%s"}},
                 "start": "%s", "end": "%s", "profileTypes": ["goroutines", "live_bytes"]}"""
                .formatted(application, pod, end.minus(Duration.ofMinutes(minutes)), end));
        // the figures docs/EVALUATION.md "(qa87)" quotes
        System.err.println(tag + " " + pod + " " + (endMinute - minutes) + "-" + endMinute + ": "
                + verdict.get("summary").asString() + " | " + verdict.get("dataQuality").get("memory").get("notes"));
        return verdict;
    }

    /** The end of an analysis window {@code endMinute} minutes after the first pod's start, on a whole minute. */
    static Instant end(int endMinute) {
        long firstStart = pods.stream().mapToLong(ScrapedPod::jvmStartMillis).min().orElseThrow();
        return Instant.ofEpochMilli(firstStart).plus(Duration.ofMinutes(endMinute)).truncatedTo(ChronoUnit.MINUTES);
    }

    /**
     * Fails, saying so, when a fetch of the verdict did not answer (e.g. the baseline's heap profiles over the heap's
     * window timing out on a loaded machine): the verdict then stands on less data than the test is about, and its
     * other assertions would fail on a missing note with no clear cause.
     */
    public static void assertEveryFetchRead(JsonNode verdict) {
        for (JsonNode warning : verdict.get("dataQuality").get("warnings")) {
            assertThat(warning.asString()).as("a fetch did not answer (too slow or failing), so the verdict stands on"
                    + " less data than the test is about: " + verdict).doesNotContain("could not be read");
        }
    }

    /** The MEMORY_GROWTH finding of the heap ({@code <heap>} or the site it names), or null. */
    public static JsonNode heapFinding(JsonNode verdict) {
        for (JsonNode finding : verdict.get("findings")) {
            String function = finding.get("function").asString();
            if (finding.get("kind").asString().equals("MEMORY_GROWTH")
                    && (!function.startsWith("<") || function.equals("<heap>"))) {
                return finding;
            }
        }
        return null;
    }
}
