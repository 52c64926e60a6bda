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
 * qa63: {@code compare} at default settings on the recording of {@code bench/qa63-record.sh}
 * ({@code src/test/resources/qa63}, README there), each pod an instance directory of minutes 10-25 of its life as a user
 * lays it out: its heap.csv rows from the JVM's GC notifications as they came (two columns; on ZGC a row for each pause
 * notification too, which reports an empty heap), its live-object blocks and their requests. G1 baseline pods (JDK 17,
 * 256 MiB) against leaks on Parallel, ZGC without generations and generational ZGC (JDK 25), and unchanged canaries on
 * generational ZGC and on G1 with System.gc() every 4 minutes.
 */
class OtherCollectorsCompareTest {
    static final JsonMapper JSON = JsonMapper.builder().build();
    static final Path FOLDER = Path.of("src", "test", "resources", "qa63", "pods");
    static final String SITE = "io.canaryjudge.memory.app.SessionRegistry.register";

    @TempDir
    Path dir;
    int runs;

    /** The pod's instance directory for blocks first..last (block b = minutes 5(b-1) to 5b of the pod's life). */
    Path instance(Path run, String pod, int first, int last) throws Exception {
        Path source = FOLDER.resolve(pod);
        Path target = Files.createDirectories(run.resolve(pod));
        List<String> heap = Files.readAllLines(source.resolve("heap.csv"));
        long start = Long.parseLong(heap.get(0).substring(heap.get(0).indexOf('=') + 1));
        List<String> lines = new ArrayList<>(List.of(heap.get(0), "timestamp_ms,heap_after_gc_bytes"));
        for (String row : heap.subList(2, heap.size())) {
            String[] f = row.split(",");
            long t = Long.parseLong(f[0]);
            if (t >= start + (first - 1) * 300_000L && t <= start + last * 300_000L) {
                lines.add(f[0] + "," + f[1]);
            }
        }
        Files.write(target.resolve("heap.csv"), lines);
        List<String> requests = new ArrayList<>(List.of("profile,requests"));
        for (String row : Files.readAllLines(source.resolve("requests.csv"))) {
            String name = row.split(",")[0];
            if (name.startsWith("live-")) {
                int block = Integer.parseInt(name.substring(5, 7));
                if (block >= first && block <= last) {
                    Files.copy(source.resolve(name), target.resolve(name));
                    requests.add(row);
                }
            }
        }
        Files.write(target.resolve("requests.csv"), requests);
        return target;
    }

    JsonNode againstG1(String canary) throws Exception {
        Path run = dir.resolve("run-" + ++runs);
        List<String> args = new ArrayList<>(List.of("compare", "--format", "json"));
        for (String pod : List.of("baseline-1", "baseline-2", "baseline-3")) {
            args.addAll(List.of("--baseline", instance(run, pod, 3, 5).toString()));
        }
        args.addAll(List.of("--canary", instance(run, canary, 3, 5).toString()));
        ByteArrayOutputStream out = new ByteArrayOutputStream();
        try (PrintStream o = new PrintStream(out, true, StandardCharsets.UTF_8);
             PrintStream e = new PrintStream(new ByteArrayOutputStream(), true, StandardCharsets.UTF_8)) {
            Cli.run(args.toArray(String[]::new), o, e);
        }
        return JSON.readTree(out.toString(StandardCharsets.UTF_8));
    }

    static JsonNode memory(JsonNode verdict) {
        return verdict.get("dataQuality").get("memory");
    }

    @Test
    void aLeakOnGenerationalZgcFailsThoughItsHeapCsvHoldsThePausesEmptyHeaps() throws Exception {
        // 145 of the pod's 174 rows are pause notifications at 0 bytes; before qa63 their troughs were its heap: a
        // slope of 0 and "no abnormal heap growth" for ~600 B kept a request
        JsonNode verdict = againstG1("leak-genzgc");

        assertThat(verdict.get("result").asString()).as(memory(verdict).toString()).isEqualTo("FAIL");
        assertThat(verdict.get("findings").get(0).get("function").asString()).isEqualTo(SITE);
    }

    @Test
    void leaksOnParallelAndZgcWithoutGenerationsFail() throws Exception {
        for (String leak : List.of("leak-parallel", "leak-zgc")) {
            JsonNode verdict = againstG1(leak);

            assertThat(verdict.get("result").asString()).as(leak + ": " + memory(verdict)).isEqualTo("FAIL");
            assertThat(verdict.get("findings").get(0).get("function").asString()).as(leak).isEqualTo(SITE);
        }
    }

    @Test
    void unchangedCanariesOnGenerationalZgcOrWithFullCollectionsAreNotFailedForMemory() throws Exception {
        for (String canary : List.of("aa-genzgc", "aa-fullgc")) {
            JsonNode verdict = againstG1(canary);

            assertThat(verdict.get("findings").toString()).as(canary + ": " + memory(verdict))
                    .doesNotContain("MEMORY_GROWTH");
            assertThat(memory(verdict).get("judged").asBoolean()).as(canary).isTrue();
        }
    }
}
