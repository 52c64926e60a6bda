package io.canaryjudge.cli;

import static org.assertj.core.api.Assertions.assertThat;

import io.canaryjudge.ci.CiBenchRun;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import tools.jackson.databind.JsonNode;
import tools.jackson.databind.json.JsonMapper;

/**
 * A team without async-profiler records with the JDK's own Flight Recorder, {@code -XX:StartFlightRecording} with
 * {@code default.jfc} or {@code profile.jfc} (found by QA pass qa19). Real recordings: {@link io.canaryjudge.ci.CiBench}
 * runs in their own JVMs, each recording itself. What the verdict must say about them:
 * <ul>
 *   <li>{@code default.jfc} samples old objects without stack traces: live_objects is not judged, and the warning
 *       says why and how to record them, instead of "profiles hold no live_objects samples";</li>
 *   <li>the JDK's throttled allocation samples ({@code jdk.ObjectAllocationSample}) count samples, not objects: no
 *       alloc_objects, with the reason;</li>
 *   <li>{@code default.jfc} (20 ms) against {@code profile.jfc} (10 ms): the CPU samples were taken differently.</li>
 * </ul>
 */
class CompareJdkFlightRecorderTest {
    private static final JsonMapper JSON = JsonMapper.builder().build();

    @TempDir
    static Path dir;
    private static Path default1;
    private static Path default2;
    private static Path profile1;

    @BeforeAll
    static void record() throws Exception {
        default1 = dir.resolve("default-1/run.jfr");
        default2 = dir.resolve("default-2/run.jfr");
        profile1 = dir.resolve("profile-1/run.jfr");
        // Two runs at a time: the machine has two cores.
        CiBenchRun a = CiBenchRun.startWithJdkRecorder("A", default1, 3, 500, "settings=default");
        CiBenchRun b = CiBenchRun.startWithJdkRecorder("A", default2, 3, 500, "settings=default");
        a.await();
        b.await();
        CiBenchRun.startWithJdkRecorder("A", profile1, 3, 500, "settings=profile").await();
    }

    private static JsonNode compareJson(String... paths) {
        List<String> args = new ArrayList<>(List.of("compare", "--format", "json", "--slice", "1s"));
        args.addAll(List.of(paths));
        CliRun run = CliRun.of(args.toArray(String[]::new));
        assertThat(run.status()).as(run.err()).isIn(0, 1, 2);
        return JSON.readTree(run.out());
    }

    private static List<String> warnings(JsonNode verdict) {
        List<String> warnings = new ArrayList<>();
        verdict.path("dataQuality").path("warnings").forEach(w -> warnings.add(w.asString()));
        return warnings;
    }

    private static List<String> types(JsonNode verdict) {
        List<String> types = new ArrayList<>();
        verdict.path("dataQuality").path("types").forEach(t -> types.add(t.path("profileType").asString()));
        return types;
    }

    @Test
    void defaultJfcOldObjectsWithoutStackTracesAreNotJudgedAndTheWarningSaysHowToRecordThem() {
        JsonNode verdict = compareJson("--baseline", default1.toString(), "--canary", default2.toString());

        assertThat(types(verdict)).contains("cpu", "alloc_bytes").doesNotContain("live_objects");
        assertThat(warnings(verdict)).noneMatch(w -> w.contains("hold no live_objects samples"));
        assertThat(warnings(verdict)).anySatisfy(w -> assertThat(w)
                .matches("live_objects not judged in (\\d+) of \\1 profile\\(s\\): the recording's .*")
                .contains("jdk.OldObjectSample event(s) carry no stack trace")
                .contains("default.jfc")
                .contains("settings=profile"));
    }

    @Test
    void collapsingOldObjectsWithoutStackTracesIsInvalidInputSayingWhy() {
        CliRun run = CliRun.of("collapse", default1.toString(), "--profile-type", "live_objects");

        assertThat(run.status()).as(run.err()).isEqualTo(65);
        assertThat(run.err()).contains(default1.toString()).contains("no live_objects: the recording's ")
                .contains("carry no stack trace");
    }

    @Test
    void theJdksThrottledAllocationSamplesGiveNoObjectCountsAndTheVerdictSaysWhy() {
        JsonNode verdict = compareJson("--baseline", default1.toString(), "--canary", default2.toString());

        assertThat(types(verdict)).contains("alloc_bytes").doesNotContain("alloc_objects");
        assertThat(verdict.path("findings").findValuesAsString("profileType")).doesNotContain("alloc_objects");
        assertThat(warnings(verdict)).anySatisfy(w -> assertThat(w).matches("alloc_objects not judged in (\\d+) of \\1 profile\\(s\\): .*")
                .contains("jdk.ObjectAllocationSample events are throttled samples")
                .contains("not of objects"));
        CliRun collapse = CliRun.of("collapse", default1.toString(), "--profile-type", "alloc_objects");
        assertThat(collapse.status()).as(collapse.err()).isEqualTo(65);
        assertThat(collapse.err()).contains("no alloc_objects: the JDK's jdk.ObjectAllocationSample events");
    }

    /** default.jfc samples methods every 20 ms, profile.jfc every 10 ms: a warning naming which pods used which. */
    @Test
    void defaultAgainstProfileSettingsIsASamplingWarningNamingEachGroupsPods() {
        JsonNode verdict = compareJson("--baseline", default1.toString(), "--baseline", default2.toString(),
                "--canary", profile1.toString());

        assertThat(warnings(verdict)).filteredOn(w -> w.startsWith("cpu profiles were sampled differently"))
                .singleElement().satisfies(w -> assertThat(w)
                        .contains("JDK method sampling, interval 20 ms: baseline " + default1 + ", baseline " + default2)
                        .contains("JDK method sampling, interval 10 ms: canary " + profile1));
    }
}
