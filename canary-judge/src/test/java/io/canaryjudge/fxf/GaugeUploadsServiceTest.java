package io.canaryjudge.fxf;

import static io.canaryjudge.qa87.Http2HeapThroughPyroscope.assertEveryFetchRead;
import static org.assertj.core.api.Assertions.assertThat;

import io.canaryjudge.memory.ScrapedGoPodsOnPyroscope;
import io.canaryjudge.memory.ScrapedPod;
import io.canaryjudge.memory.ScrapedSeries;
import io.canaryjudge.metrics.testing.PrometheusProcess;
import io.canaryjudge.profile.testing.PyroscopeStandIn;
import java.io.IOException;
import java.nio.file.DirectoryStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.time.temporal.ChronoUnit;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.Test;
import org.springframework.test.context.DynamicPropertyRegistry;
import org.springframework.test.context.DynamicPropertySource;
import tools.jackson.databind.JsonNode;

/**
 * qa87's Go HTTP/2 session (src/test/resources/qa87/pods, b2 and b3's heap profiles from qa91/qa87-heap) through the
 * service twice from one Prometheus and one Pyroscope stand-in: as application {@code one}, one goroutine and one heap
 * upload a minute (what qa87 and qa91 served), and as application {@code four}, the same minute's snapshots uploaded
 * four times a minute as the Pyroscope Go SDK does (every 15 s), so each one-minute slice is merged from four uploads (the stand-in adds them
 * up as Pyroscope's {@code SelectMergeProfile} does). The goroutine and heap judgements (ConnectionGoroutines, the
 * connection heap, the Go live heap) must not depend on the upload rate. Before fxf {@code four} was judged from four
 * times the goroutines and live bytes.
 */
class GaugeUploadsServiceTest extends ScrapedGoPodsOnPyroscope {
    static final Path RESOURCES = Path.of("src", "test", "resources");
    static final Path FOLDER = RESOURCES.resolve("qa87/pods");
    static final List<Path> HEAP_FOLDERS = List.of(RESOURCES.resolve("qa91/qa87-heap/b2"),
            RESOURCES.resolve("qa91/qa87-heap/b3"));
    static final Path ROOT = Path.of("target", "fxf-" + UUID.randomUUID()).toAbsolutePath();
    /** bench/go-pod sleeps this long after start before its first slice. */
    static final Duration FIRST_SLICE = Duration.ofSeconds(3);
    static final Duration SLICE = Duration.ofMinutes(1);
    private static final Pattern NUMBER = Pattern.compile("-(\\d+)\\.pb\\.gz$");
    /** qa91's windows: the step (minutes 2-17), the step and its plateau (2-22), the plateau alone (12-22). */
    static final int[][] WINDOWS = {{17, 15}, {22, 20}, {22, 10}};
    static PyroscopeStandIn pyroscope;

    @DynamicPropertySource
    static void properties(DynamicPropertyRegistry registry) {
        serve(registry, ROOT.resolve("profiles"), () -> {
            pods = ScrapedPod.in(FOLDER);
            ScrapedSeries scraped = new ScrapedSeries();
            pyroscope = PyroscopeStandIn.start();
            for (String app : List.of("one", "four")) {
                int uploads = app.equals("one") ? 1 : 4;
                for (ScrapedPod pod : pods) {
                    String labels = "app=\"" + app + "\",pod=\"" + pod.name() + "\",replica=\"" + pod.name()
                            + "\",track=\"" + pod.track() + "\",variant=\"" + pod.variant() + '"';
                    scraped.add(FOLDER.resolve(pod.name()).resolve("prometheus.csv.gz"), (metric, own) -> labels);
                    Files.createDirectories(ROOT.resolve("profiles").resolve(app).resolve(pod.name()));
                    Map<String, String> series = Map.of("service_name", app, "track", pod.track(), "replica",
                            pod.name(), "pod", pod.name());
                    Instant start = Instant.ofEpochMilli(pod.jvmStartMillis()).plus(FIRST_SLICE);
                    List<Path> folders = new ArrayList<>(List.of(FOLDER.resolve(pod.name())));
                    HEAP_FOLDERS.stream().filter(f -> f.getFileName().toString().equals(pod.name())).forEach(folders::add);
                    for (Path folder : folders) {
                        add(series, start, folder, "{goroutine,heap}-*.pb.gz", uploads);
                    }
                }
            }
            Path om = Files.createDirectories(ROOT).resolve("fxf.om");
            scraped.write(om);
            prometheus = PrometheusProcess.backfilled(om);
            return prometheus;
        }, PrometheusProcess::baseUrl);
        registry.add("canary-judge.pyroscope.url", () -> pyroscope.url());
    }

    /**
     * Each minute's snapshot as {@code uploads} uploads, the first where the one upload is stamped and the others spread
     * evenly up to the end of the service's whole-minute slice that holds it (the pods' snapshots are stamped at second
     * 15, so 11.25 s apart rather than the SDK's 15 s): every slice then merges four uploads of the one snapshot the
     * one-upload pod has there, and the verdicts must agree word for word. Spaced 15 s, the fourth would fall in the
     * next slice, which then holds the mean of two consecutive snapshots (GaugeUploadsThroughPyroscopeTest pins that).
     */
    private static void add(Map<String, String> labels, Instant start, Path dir, String glob, int uploads)
            throws IOException {
        try (DirectoryStream<Path> files = Files.newDirectoryStream(dir, glob)) {
            for (Path file : files) {
                Matcher m = NUMBER.matcher(file.getFileName().toString());
                if (!m.find()) {
                    throw new IllegalStateException("no slice number in " + file);
                }
                Instant minute = start.plus(SLICE.multipliedBy(Long.parseLong(m.group(1))));
                Duration every = uploads == 1 ? SLICE
                        : Duration.between(minute, minute.truncatedTo(ChronoUnit.MINUTES).plus(SLICE)).dividedBy(uploads);
                for (int u = 0; u < uploads; u++) {
                    Instant at = minute.plus(every.multipliedBy(u));
                    pyroscope.addProfile(labels, at, at.plus(every), file);
                }
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

    private JsonNode analyse(String app, String pod, int endMinute, int minutes) {
        long firstStart = pods.stream().mapToLong(ScrapedPod::jvmStartMillis).min().orElseThrow();
        Instant end = Instant.ofEpochMilli(firstStart).plus(Duration.ofMinutes(endMinute)).truncatedTo(ChronoUnit.MINUTES);
        JsonNode verdict = analyses("""
                {"application": "%s", "baseline": {"labels": {"track": "baseline"}},
                 "canary": {"labels": {"track": "canary", "replica": "%s"}},
                 "start": "%s", "end": "%s", "profileTypes": ["goroutines", "live_bytes"]}"""
                .formatted(app, pod, end.minus(Duration.ofMinutes(minutes)), end));
        // the figures docs/EVALUATION.md "(fxf)" quotes
        System.err.println("fxf " + app + " " + pod + " " + (endMinute - minutes) + "-" + endMinute + ": "
                + verdict.get("result").asString() + " " + verdict.get("summary").asString() + " | "
                + verdict.get("dataQuality").get("memory").get("notes"));
        return verdict;
    }

    /** What the judgement says, without what names the request (ids, times). */
    private static List<String> judgement(JsonNode verdict) {
        List<String> said = new ArrayList<>(List.of(verdict.get("result").asString(),
                verdict.get("summary").asString(), verdict.get("dataQuality").get("memory").get("notes").toString()));
        for (JsonNode finding : verdict.get("findings")) {
            said.add(finding.get("kind").asString() + " " + finding.get("function").asString() + " failing="
                    + finding.get("failing").asBoolean() + " " + finding.get("explanation").asString());
        }
        return said;
    }

    /**
     * r1 (unchanged, its connections stepping from 10 to 200) and l1 (a heap leak in {@code main.handle} beside the same
     * step) in qa91's three windows: the four-upload pods get the one-upload verdict, word for word; r1 is not failed,
     * l1 FAILs on its heap.
     */
    @Test
    void fourUploadsAMinuteAreJudgedAsOneUploadAMinute() {
        for (int[] window : WINDOWS) {
            for (String pod : List.of("r1", "l1")) {
                JsonNode one = analyse("one", pod, window[0], window[1]);
                JsonNode four = analyse("four", pod, window[0], window[1]);
                assertEveryFetchRead(one);
                assertEveryFetchRead(four);

                assertThat(judgement(four)).as(pod + " " + window[0] + "/" + window[1])
                        .isEqualTo(judgement(one));
                assertThat(four.get("result").asString()).as(four.toString())
                        .isEqualTo(pod.equals("l1") ? "FAIL" : one.get("result").asString());
                if (pod.equals("r1")) {
                    assertThat(four.get("result").asString()).as(four.toString()).isNotEqualTo("FAIL");
                }
            }
        }
    }
}
