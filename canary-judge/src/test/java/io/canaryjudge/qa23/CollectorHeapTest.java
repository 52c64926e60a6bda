package io.canaryjudge.qa23;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.canaryjudge.cli.Cli;
import io.canaryjudge.profile.ProfileFiles;
import io.canaryjudge.profile.ReadOptions;
import io.canaryjudge.profile.heap.HeapSeries;
import java.io.ByteArrayOutputStream;
import java.io.InputStream;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.zip.GZIPInputStream;
import jdk.jfr.consumer.RecordedEvent;
import jdk.jfr.consumer.RecordingFile;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import tools.jackson.databind.JsonNode;
import tools.jackson.databind.json.JsonMapper;

/**
 * Heap after GC from recordings of generational ZGC (JDK 25), where nearly every collection is a major one that
 * collects the whole heap (src/test/resources/memory-collectors/README.md). A drop among such points is the live set
 * moving, not an old-generation collection to look through: judged as a saw-tooth, three leaking canary pods were
 * INCONCLUSIVE, "a 17-minute window of a saw-tooth heap cannot resolve 42 MiB/h: too few canary pods have 2
 * old-generation collections in it ... judge a window of at least 70 min", while each recording holds 172–192 major
 * collections.
 */
class CollectorHeapTest {
    private static final Path DIR = Path.of("src/test/resources/memory-collectors/zgc-generational");
    private static final JsonMapper JSON = JsonMapper.builder().build();

    @TempDir
    Path tmp;

    @Test
    void pointsAfterMajorCollectionsAreMarkedAsTheJdkNamesTheirCollections() throws Exception {
        for (String pod : List.of("base-1", "leak-1")) {
            Path file = DIR.resolve(pod + ".jfr.gz");
            HeapSeries heap = ProfileFiles.readHeap(file, ReadOptions.defaults());
            // The JDK's own reader: each After GC summary's collection, by gcId.
            Path plain = tmp.resolve(pod + ".jfr");
            try (InputStream in = new GZIPInputStream(Files.newInputStream(file))) {
                Files.copy(in, plain);
            }
            Map<Long, String> names = new HashMap<>();
            List<long[]> after = new ArrayList<>(); // time, heapUsed, gcId
            try (RecordingFile recording = new RecordingFile(plain)) {
                while (recording.hasMoreEvents()) {
                    RecordedEvent e = recording.readEvent();
                    if (e.getEventType().getName().equals("jdk.GarbageCollection")) {
                        names.put(e.getLong("gcId"), e.getString("name"));
                    } else if (e.getEventType().getName().equals("jdk.GCHeapSummary") && "After GC".equals(e.getString("when"))) {
                        after.add(new long[] {e.getStartTime().toEpochMilli(), e.getLong("heapUsed"), e.getLong("gcId")});
                    }
                }
            }
            after.sort((a, b) -> Long.compare(a[0], b[0]));
            assertThat(heap.size()).isEqualTo(after.size());
            int majors = 0;
            for (int i = 0; i < heap.size(); i++) {
                assertThat(heap.heapAfterGcBytes(i)).isEqualTo(after.get(i)[1]);
                String name = names.get(after.get(i)[2]);
                assertThat(name).isIn("ZGC Major", "ZGC Minor");
                assertThat(heap.wholeHeap(i)).as(pod + " point " + i + " (" + name + ")").isEqualTo(name.equals("ZGC Major"));
                majors += heap.wholeHeap(i) ? 1 : 0;
            }
            assertThat(majors).as(pod).isGreaterThan(heap.size() / 2).isLessThan(heap.size());
        }
    }

    @Test
    void aLeakUnderGenerationalZgcFailsAtThreeCanaryPods() {
        JsonNode verdict = compare("leak");
        assertThat(verdict.path("result").asString()).as(verdict.path("summary").asString()).isEqualTo("FAIL");
        JsonNode memory = verdict.path("dataQuality").path("memory");
        assertThat(memory.path("judged").asBoolean()).isTrue();
        // The app kept 1.5 MiB a minute (87 MiB/h); the after-major-collection heap of the recordings grows 100–105 MiB/h.
        assertThat(memory.path("canarySlope").asDouble() / (1 << 20)).isBetween(80.0, 120.0);
        assertThat(memory.path("baselineSlope").asDouble() / (1 << 20)).isBetween(-10.0, 10.0);
        assertThat(verdict.path("summary").asString()).contains("retains").doesNotContain("saw-tooth");
        boolean growth = false;
        for (JsonNode f : verdict.path("findings")) {
            growth |= f.path("kind").asString().equals("MEMORY_GROWTH");
        }
        assertThat(growth).isTrue();
        // Every pod's slope went through its points after major collections only, as the recordings name them.
        for (JsonNode pod : memory.path("pods")) {
            assertThat(pod.path("used").asBoolean()).as(pod.path("instance").asString()).isTrue();
            assertThat(pod.path("points").size()).isGreaterThanOrEqualTo(10);
        }
        assertThat(notes(memory)).anySatisfy(n -> assertThat(n).startsWith("heap after GC of 6 of 6 pods taken only after"))
                .noneSatisfy(n -> assertThat(n).contains("saw-tooth"));
    }

    @Test
    void stableCanaryPodsUnderGenerationalZgcDoNotFail() {
        JsonNode verdict = compare("aa");
        JsonNode memory = verdict.path("dataQuality").path("memory");
        assertThat(memory.path("judged").asBoolean()).isTrue();
        for (JsonNode f : verdict.path("findings")) {
            assertThat(f.path("kind").asString()).isNotEqualTo("MEMORY_GROWTH");
        }
        assertThat(Math.abs(memory.path("canarySlope").asDouble() - memory.path("baselineSlope").asDouble()) / (1 << 20))
                .isLessThan(20.0);
    }

    @Test
    void anUnresolvedSawToothNamesAWindowLongerThanTheOneItJudged() {
        // G1 A/A pods, 17 minutes with a marking cycle every 1–2 minutes: the troughs were there, the slopes through
        // them scattered too much to detect 42 MiB/h. The advice was "judge a window of at least 10 min".
        JsonNode verdict = compare(Path.of("src/test/resources/memory-collectors/g1"), "aa");
        JsonNode memory = verdict.path("dataQuality").path("memory");
        String note = notes(memory).get(0);
        assertThat(note).startsWith("memory growth not resolved: no growth seen");
        java.util.regex.Matcher window = java.util.regex.Pattern.compile("judge a window of at least (\\d+) min").matcher(note);
        assertThat(window.find()).as(note).isTrue();
        long judged = 0;
        for (JsonNode pod : memory.path("pods")) {
            JsonNode points = pod.path("windowPoints").isEmpty() ? pod.path("points") : pod.path("windowPoints");
            judged = Math.max(judged, points.get(points.size() - 1).get(0).asLong() - points.get(0).get(0).asLong());
        }
        assertThat(judged / 60_000.0).isBetween(15.0, 20.0);
        assertThat(Long.parseLong(window.group(1))).as(note).isGreaterThan(judged / 60_000);
        assertThat(note).contains("memoryGrowth.window: " + window.group(1) + "m");
    }

    @Test
    void heapCsvSaysWhichCollectionsTookInTheWholeHeap() throws Exception {
        // The same pods as heap.csv, one row per collection as a GC-log parser writes it, with the collection's kind.
        List<String> args = new ArrayList<>(List.of("compare", "--format", "json"));
        for (String pod : List.of("base-1", "base-2", "base-3", "leak-1", "leak-2", "leak-3")) {
            Path dir = Files.createDirectories(tmp.resolve(pod));
            Path recording = dir.resolve(pod + ".jfr.gz"); // a profile for the group; heap.csv comes first
            Files.copy(DIR.resolve(pod + ".jfr.gz"), recording);
            Path plain = tmp.resolve(pod + ".jfr");
            try (InputStream in = new GZIPInputStream(Files.newInputStream(recording))) {
                Files.copy(in, plain);
            }
            Map<Long, String> names = new HashMap<>();
            List<long[]> after = new ArrayList<>();
            try (RecordingFile file = new RecordingFile(plain)) {
                while (file.hasMoreEvents()) {
                    RecordedEvent e = file.readEvent();
                    if (e.getEventType().getName().equals("jdk.GarbageCollection")) {
                        names.put(e.getLong("gcId"), e.getString("name"));
                    } else if (e.getEventType().getName().equals("jdk.GCHeapSummary") && "After GC".equals(e.getString("when"))) {
                        after.add(new long[] {e.getStartTime().toEpochMilli(), e.getLong("heapUsed"), e.getLong("gcId")});
                    }
                }
            }
            after.sort((a, b) -> Long.compare(a[0], b[0]));
            StringBuilder csv = new StringBuilder("timestamp_ms,heap_after_gc_bytes,whole_heap\n");
            for (long[] point : after) {
                csv.append(point[0]).append(',').append(point[1]).append(',')
                        .append("ZGC Major".equals(names.get(point[2]))).append('\n');
            }
            Files.writeString(dir.resolve("heap.csv"), csv);
            args.addAll(List.of(pod.startsWith("base") ? "--baseline" : "--canary", dir.toString()));
        }
        ByteArrayOutputStream out = new ByteArrayOutputStream();
        ByteArrayOutputStream err = new ByteArrayOutputStream();
        int status = Cli.run(args.toArray(String[]::new), new PrintStream(out, true, StandardCharsets.UTF_8),
                new PrintStream(err, true, StandardCharsets.UTF_8));
        JsonNode verdict = JSON.readTree(out.toString(StandardCharsets.UTF_8));
        assertThat(status).as(err.toString(StandardCharsets.UTF_8)).isEqualTo(1);
        assertThat(verdict.path("result").asString()).as(verdict.path("summary").asString()).isEqualTo("FAIL");
        assertThat(verdict.path("dataQuality").path("memory").path("canarySlope").asDouble() / (1 << 20)).isBetween(80.0, 120.0);

        // A value that is neither true nor false is refused, naming the file and line.
        Path bad = tmp.resolve("base-1/heap.csv");
        Files.writeString(bad, "timestamp_ms,heap_after_gc_bytes,whole_heap\n1796489735825,35651584,major\n");
        assertThatThrownBy(() -> io.canaryjudge.profile.heap.HeapCsv.read(bad))
                .hasMessage(bad + " line 2: whole_heap \"major\" must be true or false");
    }

    private static List<String> notes(JsonNode memory) {
        List<String> notes = new ArrayList<>();
        memory.path("notes").forEach(n -> notes.add(n.asString()));
        return notes;
    }

    private static JsonNode compare(String canary) {
        return compare(DIR, canary);
    }

    private static JsonNode compare(Path dir, String canary) {
        List<String> args = new ArrayList<>(List.of("compare", "--format", "json"));
        for (int i = 1; i <= 3; i++) {
            args.addAll(List.of("--baseline", dir.resolve("base-" + i + ".jfr.gz").toString()));
            args.addAll(List.of("--canary", dir.resolve(canary + "-" + i + ".jfr.gz").toString()));
        }
        ByteArrayOutputStream out = new ByteArrayOutputStream();
        ByteArrayOutputStream err = new ByteArrayOutputStream();
        int status = Cli.run(args.toArray(String[]::new), new PrintStream(out, true, StandardCharsets.UTF_8),
                new PrintStream(err, true, StandardCharsets.UTF_8));
        assertThat(status).as(err.toString(StandardCharsets.UTF_8)).isIn(0, 1, 2);
        return JSON.readTree(out.toString(StandardCharsets.UTF_8));
    }
}
