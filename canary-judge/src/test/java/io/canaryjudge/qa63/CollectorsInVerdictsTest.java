package io.canaryjudge.qa63;

import static org.assertj.core.api.Assertions.assertThat;

import io.canaryjudge.cli.Cli;
import java.io.ByteArrayOutputStream;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import tools.jackson.databind.JsonNode;
import tools.jackson.databind.json.JsonMapper;

/**
 * qa63: {@code compare} at default settings names the collectors and heap maxima when baseline and canary pods differ in
 * them, from what their JDK Flight Recordings hold ({@code jdk.GarbageCollection} names, {@code jdk.GCHeapConfiguration}),
 * and says nothing where the data do not tell (heap.csv). The recording of {@code bench/qa63-record.sh}
 * ({@code src/test/resources/qa63}, README there): G1 baseline pods (JDK 17, 256 MiB), canaries of the same code on
 * generational ZGC (JDK 25) and on G1 calling System.gc() every 4 minutes, leaks on Parallel, ZGC without generations
 * and generational ZGC; two 4-minute pods (G1 with 512 MiB, Parallel with 128 MiB) for heap sizes. Each pod is an instance
 * directory of its whole life: its live-object blocks with their requests and its recording's GC events.
 */
class CollectorsInVerdictsTest {
    static final JsonMapper JSON = JsonMapper.builder().build();
    static final Path FOLDER = Path.of("src", "test", "resources", "qa63");
    static final List<String> G1 = List.of("baseline-1", "baseline-2", "baseline-3");

    @TempDir
    Path dir;
    int runs;

    /** The pod's instance directory: its live-object blocks and requests, and its heap from the JFR or its heap.csv. */
    Path instance(Path run, String pod, boolean jfr) throws Exception {
        Path source = FOLDER.resolve("pods").resolve(pod);
        Path target = Files.createDirectories(run.resolve(pod));
        if (jfr) {
            Files.copy(source.resolve("jdk-gc.jfr.gz"), target.resolve("jdk-gc.jfr.gz"));
        } else {
            List<String> heap = Files.readAllLines(source.resolve("heap.csv"));
            List<String> lines = new ArrayList<>(List.of(heap.get(0), "timestamp_ms,heap_after_gc_bytes"));
            heap.subList(2, heap.size()).forEach(row -> lines.add(row.split(",")[0] + "," + row.split(",")[1]));
            Files.write(target.resolve("heap.csv"), lines);
        }
        if (Files.exists(source.resolve("requests.csv"))) {
            List<String> requests = new ArrayList<>(List.of("profile,requests"));
            for (String row : Files.readAllLines(source.resolve("requests.csv"))) {
                String name = row.split(",")[0];
                if (name.startsWith("live-")) {
                    Files.copy(source.resolve(name), target.resolve(name));
                    requests.add(row);
                }
            }
            Files.write(target.resolve("requests.csv"), requests);
        }
        return target;
    }

    JsonNode compare(List<String> baseline, List<String> canaries, boolean jfr) throws Exception {
        Path run = dir.resolve("run-" + ++runs);
        List<String> args = new ArrayList<>(List.of("compare", "--format", "json"));
        for (String pod : baseline) {
            args.addAll(List.of("--baseline", instance(run, pod, jfr).toString()));
        }
        for (String pod : canaries) {
            args.addAll(List.of("--canary", instance(run, pod, jfr).toString()));
        }
        ByteArrayOutputStream out = new ByteArrayOutputStream();
        ByteArrayOutputStream err = new ByteArrayOutputStream();
        try (PrintStream o = new PrintStream(out, true, StandardCharsets.UTF_8);
             PrintStream e = new PrintStream(err, true, StandardCharsets.UTF_8)) {
            Cli.run(args.toArray(String[]::new), o, e);
        }
        assertThat(out.size()).as(err.toString(StandardCharsets.UTF_8)).isPositive();
        return JSON.readTree(out.toString(StandardCharsets.UTF_8));
    }

    static String notes(JsonNode verdict) {
        return verdict.get("dataQuality").get("memory").get("notes").toString();
    }

    @Test
    void aCanaryOnGenerationalZgcBesideG1BaselinePodsIsSaidToRunIt() throws Exception {
        JsonNode verdict = compare(G1, List.of("aa-genzgc"), true);

        assertThat(notes(verdict)).contains("the canary pods run generational ZGC with a heap of at most 256 MiB,"
                + " the baseline pods G1 with a heap of at most 256 MiB");
    }

    @Test
    void leaksOnParallelAndOnZgcWithoutGenerationsAreNamedByTheirCollector() throws Exception {
        assertThat(notes(compare(G1, List.of("leak-parallel"), true))).contains("the canary pods run Parallel");
        assertThat(notes(compare(G1, List.of("leak-zgc"), true))).contains("the canary pods run ZGC without generations");
    }

    @Test
    void unlikeBaselinePodsAreCountedAndHeapSizesNamed() throws Exception {
        JsonNode verdict = compare(List.of("aa-fullgc", "aa-genzgc"), List.of("g1-512", "parallel-128"), true);

        assertThat(notes(verdict)).contains("the canary pods run G1 (1 pod), Parallel (1 pod) with a heap of at most"
                + " 512 MiB (1 pod), 128 MiB (1 pod), the baseline pods G1 (1 pod), generational ZGC (1 pod) with a heap of"
                + " at most 256 MiB");
    }

    @Test
    void nothingIsSaidWhenTheJvmsAreAlikeOrTheDataDoNotTell() throws Exception {
        // alike: G1 with 256 MiB on both sides
        assertThat(notes(compare(List.of("baseline-1", "baseline-2"), List.of("baseline-3"), true)))
                .doesNotContain("the canary pods run");
        // heap.csv carries no collector: unlike JVMs, but nothing said
        assertThat(notes(compare(G1, List.of("aa-genzgc"), false))).doesNotContain("the canary pods run");
    }
}
