package io.canaryjudge.cli;

import static io.canaryjudge.cli.VerdictNodes.compareJson;
import static io.canaryjudge.cli.VerdictNodes.types;
import static io.canaryjudge.cli.VerdictNodes.warnings;
import static org.assertj.core.api.Assertions.assertThat;

import io.canaryjudge.ci.CiBenchRun;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import tools.jackson.databind.JsonNode;
import tools.jackson.databind.json.JsonMapper;

/**
 * What a CI job's benchmark recordings say about how they were made, and what the verdict must say about it
 * (found by a QA pass of the CLI): async-profiler JFR recordings with {@code alloc=512k} weigh every allocation
 * sample 512 KiB, so counting samples as {@code alloc_objects} gave alloc_bytes' shares again, judged and
 * reported twice; collapsed cpu files hold sample counts but were labelled nanoseconds; and recordings made
 * with {@code event=cpu} and {@code event=itimer}, or different intervals, were compared without a word.
 * Real recordings: {@link io.canaryjudge.ci.CiBench} runs with async-profiler 4.2 in their own JVMs.
 */
class CompareProfilerSettingsTest {
    private static final JsonMapper JSON = JsonMapper.builder().build();

    @TempDir
    static Path dir;
    private static Path cpu1;
    private static Path cpu2;
    private static Path itimer1;
    private static Path itimer2;
    private static Path itimer5ms;
    private static Path collapsed1;
    private static Path collapsed2;

    @BeforeAll
    static void record() throws Exception {
        cpu1 = dir.resolve("cpu-1/run.jfr");
        cpu2 = dir.resolve("cpu-2/run.jfr");
        itimer1 = dir.resolve("itimer-1/run.jfr");
        itimer2 = dir.resolve("itimer-2/run.jfr");
        itimer5ms = dir.resolve("itimer-5ms/run.jfr");
        collapsed1 = dir.resolve("collapsed-1/run.collapsed");
        collapsed2 = dir.resolve("collapsed-2/run.collapsed");
        // Two runs at a time: the machine has two cores.
        List<CiBenchRun[]> batches = List.of(
                new CiBenchRun[] {CiBenchRun.start("A", cpu1, 3, 1000, "cpu", "jfr", "1ms"),
                        CiBenchRun.start("A", cpu2, 3, 1000, "cpu", "jfr", "1ms")},
                new CiBenchRun[] {CiBenchRun.start("A", itimer1, 3, 1000, "itimer", "jfr", "1ms"),
                        CiBenchRun.start("A", itimer2, 3, 1000, "itimer", "jfr", "1ms")},
                new CiBenchRun[] {CiBenchRun.start("A", itimer5ms, 3, 1000, "itimer", "jfr", "5ms"),
                        CiBenchRun.start("A", collapsed1, 3, 1000, "cpu", "collapsed", "1ms")},
                new CiBenchRun[] {CiBenchRun.start("A", collapsed2, 3, 1000, "cpu", "collapsed", "1ms")});
        for (CiBenchRun[] batch : batches) {
            for (CiBenchRun run : batch) {
                run.await();
            }
        }
    }

    private static String unitOf(JsonNode verdict, String type) {
        for (JsonNode t : verdict.path("dataQuality").path("types")) {
            if (t.path("profileType").asString().equals(type)) {
                return t.path("unit").asString();
            }
        }
        throw new AssertionError("no " + type + " in " + verdict.path("dataQuality"));
    }

    /**
     * async-profiler 4.2 writes each allocation sample as a new-TLAB event of weight max(512 KiB, object size):
     * counting the events gives alloc_bytes / 512 KiB, the same shares. Such recordings judge alloc_bytes alone and
     * say why alloc_objects is missing.
     */
    @Test
    void asyncProfilerAllocationSamplesAreNotJudgedAsObjectCountsTooAndTheVerdictSaysWhy() {
        JsonNode verdict = compareJson("--baseline", cpu1.toString(), "--canary", cpu2.toString());

        assertThat(types(verdict)).contains("cpu", "alloc_bytes").doesNotContain("alloc_objects");
        assertThat(verdict.path("findings").findValuesAsString("profileType")).doesNotContain("alloc_objects");
        assertThat(warnings(verdict)).anySatisfy(w -> assertThat(w).startsWith("alloc_objects not judged in ")
                .contains("async-profiler sampled allocations every 524288 bytes")
                .contains("alloc_bytes alone is judged"));
    }

    /** event=cpu (perf_events, or a CPU timer) against event=itimer: a warning naming which pods used which, no refusal. */
    @Test
    void differentSamplingEnginesAreAWarningNamingEachGroupsPods() {
        JsonNode verdict = compareJson("--baseline", cpu1.toString(), "--baseline", cpu2.toString(),
                "--canary", itimer1.toString(), "--canary", itimer2.toString());

        assertThat(verdict.path("result").asString()).isIn("PASS", "FAIL", "INCONCLUSIVE");
        assertThat(warnings(verdict)).filteredOn(w -> w.startsWith("cpu profiles were sampled differently"))
                .singleElement().satisfies(w -> assertThat(w)
                        .contains("async-profiler event=cpu")
                        .contains(": baseline " + cpu1 + ", baseline " + cpu2)
                        .contains("async-profiler event=itimer, interval 1 ms: canary " + itimer1 + ", canary " + itimer2));
    }

    @Test
    void differentSamplingIntervalsAreAWarningToo() {
        JsonNode verdict = compareJson("--baseline", itimer1.toString(), "--baseline", itimer2.toString(),
                "--canary", itimer5ms.toString());

        assertThat(warnings(verdict)).filteredOn(w -> w.startsWith("cpu profiles were sampled differently"))
                .singleElement().satisfies(w -> assertThat(w)
                        .contains("async-profiler event=itimer, interval 1 ms: baseline " + itimer1 + ", baseline " + itimer2)
                        .contains("async-profiler event=itimer, interval 5 ms: canary " + itimer5ms));
    }

    @Test
    void theSameSettingsOnBothSidesGiveNoSamplingWarning() {
        JsonNode verdict = compareJson("--baseline", itimer1.toString(), "--canary", itimer2.toString());

        assertThat(warnings(verdict)).noneMatch(w -> w.contains("sampled differently"));
        assertThat(unitOf(verdict, "cpu")).isEqualTo("nanoseconds");
    }

    /**
     * A collapsed file from async-profiler counts samples: every output names that unit (JSON {@code unit}, the text
     * table's heading, the cost per request that the benchmark's {@code requests.csv} adds), never nanoseconds.
     */
    @Test
    void collapsedCpuIsLabelledSamplesInEveryFormat() throws Exception {
        Path config = Files.writeString(dir.resolve("one-profile-per-pod.yaml"), "minObservationsPerGroup: 1\nminSamplesPerGroup: 100\n");
        String[] common = {"compare", "--profile-type", "cpu", "--config", config.toString(),
                "--baseline", collapsed1.getParent().toString(), "--canary", collapsed2.getParent().toString()};

        JsonNode verdict = JSON.readTree(run(common, "json"));
        assertThat(unitOf(verdict, "cpu")).isEqualTo("samples");

        String text = run(common, "text");
        assertThat(text).contains("\ncpu (samples)  baseline: 1 pod, 1 slice, ").doesNotContain("nanoseconds");
        assertThat(text).containsPattern("CPU per request: baseline [0-9.]+ samples, canary [0-9.]+ samples");
        for (String format : List.of("markdown", "html")) {
            assertThat(run(common, format)).as(format)
                    .containsPattern("CPU per request: baseline [0-9.]+ samples, canary [0-9.]+ samples")
                    .doesNotContain("nanoseconds").doesNotContainPattern("per request: baseline [0-9.]+ (ns|µs|ms)");
        }
    }

    /**
     * The canary's cost per request doubled (the same collapsed run, half the requests): the finding's row, its
     * explanation and the summary give the amounts in samples, as the heading does, not in nanoseconds.
     */
    @Test
    void collapsedCostPerRequestFindingsAreInSamples() throws Exception {
        Path heavier = Files.createDirectories(dir.resolve("collapsed-heavier"));
        Files.copy(collapsed2, heavier.resolve(collapsed2.getFileName()));
        List<String> requests = Files.readAllLines(collapsed2.resolveSibling("requests.csv"));
        String[] row = requests.get(1).split(",");
        Files.writeString(heavier.resolve("requests.csv"),
                requests.get(0) + "\n" + row[0] + "," + Long.parseLong(row[1].trim()) / 10 + "\n");
        Path config = Files.writeString(dir.resolve("one-pod-per-side.yaml"), "minObservationsPerGroup: 1\nminSamplesPerGroup: 100\n");
        String[] common = {"compare", "--profile-type", "cpu", "--config", config.toString(),
                "--baseline", collapsed1.getParent().toString(), "--canary", heavier.toString()};

        JsonNode verdict = JSON.readTree(run(common, "json"));
        List<JsonNode> perRequest = new ArrayList<>();
        verdict.path("findings").forEach(f -> {
            if (f.path("kind").asString().equals("COST_PER_REQUEST")) {
                perRequest.add(f);
            }
        });
        assertThat(perRequest).as(verdict.toString()).singleElement()
                .satisfies(f -> {
                    assertThat(f.path("unit").asString()).isEqualTo("samples");
                    assertThat(f.path("explanation").asString())
                            .containsPattern("CPU per request rose from [0-9.]+ samples to [0-9.]+ samples")
                            .doesNotContainPattern("[0-9] (ns|µs|ms)\\b");
                });
        for (String format : List.of("text", "markdown", "html")) {
            assertThat(run(common, format)).as(format).contains("per request")
                    .doesNotContainPattern("[0-9] (ns|µs|ms)\\b").doesNotContain("nanoseconds");
        }
    }

    private static String run(String[] common, String format) {
        List<String> args = new ArrayList<>(List.of(common));
        args.addAll(List.of("--format", format));
        CliRun run = CliRun.of(args.toArray(String[]::new));
        assertThat(run.status()).as(run.err()).isIn(0, 1, 2);
        return run.out();
    }
}
