package io.canaryjudge.memory;

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
 * qa57: {@code compare} at default settings on canaries whose JVM differs from their baseline pods' with the same code
 * (the recording of {@code bench/qa57-record.sh}, {@code src/test/resources/qa57}: baseline pods G1 with a 256 MiB heap;
 * canaries on Serial by ergonomics on 1 CPU, Parallel, ZGC, half or double the heap, and leaking canaries on Serial and
 * on half the heap), each pod an instance directory of one window as a user lays it out: the heap.csv rows from its GC
 * log, the live-object blocks of the window and their requests.
 */
class UnlikeJvmsCompareTest {
    static final JsonMapper JSON = JsonMapper.builder().build();
    static final String SITE = "io.canaryjudge.memory.app.SessionRegistry.register";

    @TempDir
    Path dir;
    int runs;

    static Path folder() {
        return RecordedPod.folder().resolveSibling("qa57");
    }

    /**
     * The pod's instance directory for blocks {@code first..last} (block b = minutes 5(b-1) to 5b of the pod's life; the
     * pods started together): its heap.csv rows in those minutes and its live-object blocks with their requests.
     */
    Path instance(Path run, String pod, int first, int last) throws Exception {
        Path source = folder().resolve("pods").resolve(pod);
        Path target = Files.createDirectories(run.resolve(pod));
        List<String> heap = Files.readAllLines(source.resolve("heap.csv"));
        long start = Long.parseLong(heap.get(0).substring(heap.get(0).indexOf('=') + 1));
        long from = start + (first - 1) * 300_000L;
        long to = start + last * 300_000L;
        List<String> lines = new ArrayList<>(List.of(heap.get(0), "timestamp_ms,heap_after_gc_bytes"));
        for (String row : heap.subList(2, heap.size())) {
            String[] f = row.split(",");
            if (Long.parseLong(f[0]) >= from && Long.parseLong(f[0]) <= to) {
                lines.add(f[0] + "," + f[1]); // the GC log's heap after each collection, as most users have it
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

    /** {@code compare --format json} of the G1 baseline pods against {@code canaries} over blocks first..last. */
    JsonNode compare(List<String> baseline, List<String> canaries, int first, int last) throws Exception {
        Path run = dir.resolve("run-" + ++runs);
        List<String> args = new ArrayList<>(List.of("compare", "--format", "json"));
        for (String pod : baseline) {
            args.addAll(List.of("--baseline", instance(run, pod, first, last).toString()));
        }
        for (String pod : canaries) {
            args.addAll(List.of("--canary", instance(run, pod, first, last).toString()));
        }
        ByteArrayOutputStream out = new ByteArrayOutputStream();
        ByteArrayOutputStream err = new ByteArrayOutputStream();
        try (PrintStream o = new PrintStream(out, true, StandardCharsets.UTF_8);
             PrintStream e = new PrintStream(err, true, StandardCharsets.UTF_8)) {
            Cli.run(args.toArray(String[]::new), o, e);
        }
        return JSON.readTree(out.toString(StandardCharsets.UTF_8));
    }

    JsonNode againstG1(List<String> canaries, int first, int last) throws Exception {
        return compare(List.of("baseline-1", "baseline-2", "baseline-3"), canaries, first, last);
    }

    static JsonNode memory(JsonNode verdict) {
        return verdict.get("dataQuality").get("memory");
    }

    @Test
    void unchangedCanariesOnAnotherCollectorOrHeapAreNeverFailedForMemory() throws Exception {
        for (String canary : List.of("aa-serial", "aa-serial-b", "aa-parallel", "aa-zgc", "aa-half", "aa-double")) {
            for (int[] window : new int[][] {{4, 6}, {5, 7}, {1, 6}, {2, 7}}) {
                JsonNode verdict = againstG1(List.of(canary), window[0], window[1]);
                String cell = canary + " " + window[0] + "-" + window[1] + ": " + memory(verdict);
                assertThat(verdict.get("findings").toString()).as(cell).doesNotContain("MEMORY_GROWTH");
                // judged, not merely left unjudged: only the double heap's 15-minute windows hold too few collections
                boolean fifteenMinutes = window[1] - window[0] == 2;
                if (canary.equals("aa-double") && fifteenMinutes) {
                    assertThat(memory(verdict).get("judged").asBoolean()).as(cell).isFalse();
                    assertThat(memory(verdict).toString()).as(cell).contains("collected once every");
                } else {
                    assertThat(memory(verdict).get("judged").asBoolean()).as(cell).isTrue();
                }
            }
        }
    }

    @Test
    void aLeakFailsOnSerialAndOnHalfTheHeapNamingItsSiteAndSoWithTheRolesSwapped() throws Exception {
        for (String leak : List.of("leak-serial", "leak-half")) {
            for (int[] window : new int[][] {{5, 7}, {2, 7}}) {
                JsonNode verdict = againstG1(List.of(leak), window[0], window[1]);
                assertThat(verdict.get("result").asString()).as(leak + " " + memory(verdict)).isEqualTo("FAIL");
                JsonNode first = verdict.get("findings").get(0);
                assertThat(first.get("kind").asString()).isEqualTo("MEMORY_GROWTH");
                assertThat(first.get("function").asString()).isEqualTo(SITE);
            }
        }
        // the unlike JVMs as baseline: Serial (and the half heap, Parallel) pods beside the leak on Serial
        JsonNode swapped = compare(List.of("aa-serial", "aa-half", "aa-parallel"), List.of("leak-serial"), 5, 7);
        assertThat(swapped.get("findings").get(0).get("function").asString()).as(swapped.toString()).isEqualTo(SITE);
        // and an unchanged G1 pod judged against Serial baseline pods: no growth
        JsonNode g1Canary = compare(List.of("aa-serial", "aa-serial-b"), List.of("baseline-1"), 5, 7);
        assertThat(g1Canary.get("findings").toString()).doesNotContain("MEMORY_GROWTH");
        assertThat(memory(g1Canary).get("judged").asBoolean()).isTrue();
    }

    @Test
    void aCanaryWithTwiceTheHeapCollectingHalfAsOftenIsNotJudgedSayingSoAndTheWindowThatWould() throws Exception {
        // 15 minutes: the canary (-Xmx512m) collected every 4.8 min, 3 points spanning 9.7 min; the G1 baseline pods
        // (-Xmx256m) every 2.4 min. Before: "the canary pods' heap after GC covers at most 9.7 min of each pod, at least
        // 10 min needed", which read as a window too short, with nothing of why or what would judge it.
        JsonNode verdict = againstG1(List.of("aa-double"), 5, 7);

        JsonNode memory = memory(verdict);
        assertThat(memory.get("judged").asBoolean()).as(memory.toString()).isFalse();
        assertThat(memory.get("notes").get(0).asString()).startsWith("memory growth not judged: the canary pods' heap"
                        + " after GC covers at most 9.7 min of each pod, at least 10 min needed: they collected once every"
                        + " 4.8 min, the baseline pods every 2.4 min (a larger heap or young generation collects less often")
                .contains("a window of at least 20 min is needed");
        // and the 30-minute window it names judges it: no growth
        JsonNode longer = againstG1(List.of("aa-double"), 2, 7);
        assertThat(memory(longer).get("judged").asBoolean()).as(memory(longer).toString()).isTrue();
        assertThat(longer.get("findings").toString()).doesNotContain("MEMORY_GROWTH");
    }
}
