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
    /** profile.jfc with {@code gc=high}: the JDK's TLAB events too, which keep alloc_objects. */
    private static Path profileTlab;
    /** Three more default.jfc runs a side, for a 3 + 3 comparison. */
    private static final List<Path> baselines = new ArrayList<>();
    private static final List<Path> canaries = new ArrayList<>();

    @BeforeAll
    static void record() throws Exception {
        default1 = dir.resolve("default-1/run.jfr");
        default2 = dir.resolve("default-2/run.jfr");
        profile1 = dir.resolve("profile-1/run.jfr");
        profileTlab = dir.resolve("profile-tlab/run.jfr");
        List<Path> defaults = new ArrayList<>(List.of(default1, default2));
        for (int i = 1; i <= 3; i++) {
            baselines.add(dir.resolve("baseline-" + i + "/run.jfr"));
            canaries.add(dir.resolve("canary-" + i + "/run.jfr"));
        }
        defaults.addAll(baselines);
        defaults.addAll(canaries);
        // Two runs at a time: the machine has two cores.
        for (int i = 0; i < defaults.size(); i += 2) {
            CiBenchRun a = CiBenchRun.startWithJdkRecorder("A", defaults.get(i), 3, 500, "settings=default");
            CiBenchRun b = i + 1 < defaults.size()
                    ? CiBenchRun.startWithJdkRecorder("A", defaults.get(i + 1), 3, 500, "settings=default")
                    : CiBenchRun.startWithJdkRecorder("A", profile1, 3, 500, "settings=profile");
            a.await();
            b.await();
        }
        if (defaults.size() % 2 == 0) {
            CiBenchRun a = CiBenchRun.startWithJdkRecorder("A", profile1, 3, 500, "settings=profile");
            CiBenchRun b = CiBenchRun.startWithJdkRecorder("A", profileTlab, 3, 500, "settings=profile,gc=high");
            a.await();
            b.await();
        } else {
            CiBenchRun.startWithJdkRecorder("A", profileTlab, 3, 500, "settings=profile,gc=high").await();
        }
    }

    @Test
    void defaultJfcOldObjectsWithoutStackTracesAreNotJudgedAndTheWarningSaysHowToRecordThem() {
        JsonNode verdict = compareJson("--baseline", default1.toString(), "--canary", default2.toString());

        assertThat(types(verdict)).contains("cpu", "alloc_bytes").doesNotContain("live_objects");
        assertThat(warnings(verdict)).noneMatch(w -> w.contains("hold no live_objects samples"));
        assertThat(warnings(verdict)).anySatisfy(w -> assertThat(w)
                .matches("live_objects not judged in (\\d+) of \\1 profile\\(s\\): the recording's .*")
                .contains("jdk.OldObjectSample events carry no stack trace")
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

    /**
     * default.jfc's 20 ms sampling gives at most 50 CPU samples a second per busy thread: 3 s runs, 3 + 3 pods, cannot
     * show +75 % in a function at 5 % of CPU. The verdict said "collect more samples per pod" whether or not any
     * number of them would do; now it says how many would, with the pods' present counts (the verdict's own figures),
     * or, when the between-pod noise of so few pods sets the limit, that more pods are the answer. Cut into 1 s slices
     * or not, these recordings give one answer or the other, each checked against the type's own note.
     */
    @Test
    void tooFewSamplesPerPodSaysHowManyMoreWouldDoOrThatMorePodsAreNeeded() throws Exception {
        // 3 s on two shared cores gives a few hundred samples a side: below the 1,000 a group needs by default, which
        // the verdict would say first. The floor is lowered so that the power (maxDetectableChange) decides.
        Path config = Files.writeString(dir.resolve("judge.yaml"), "minSamplesPerGroup: 100\n");
        for (boolean sliced : new boolean[] {false, true}) {
            List<String> args = new ArrayList<>(List.of("compare", "--format", "json", "--config", config.toString()));
            if (sliced) {
                args.addAll(List.of("--slice", "1s"));
            }
            baselines.forEach(p -> args.addAll(List.of("--baseline", p.toString())));
            canaries.forEach(p -> args.addAll(List.of("--canary", p.toString())));
            CliRun run = CliRun.of(args.toArray(String[]::new));
            JsonNode verdict = JSON.readTree(run.out());

            String summary = verdict.path("summary").asString();
            // The subject is the advice of an underpowered verdict. These are 3 s recordings from JVM start (JIT
            // warm-up in every slice); under load one such A/A once FAILed (summary not kept; not seen again in 12
            // comparisons of fresh runs): that is no verdict on the advice, so the case is skipped, saying so.
            org.junit.jupiter.api.Assumptions.assumeTrue(run.status() != 1, "A/A of 3 s JDK recordings FAILed: " + summary);
            assertThat(run.status()).as(run.err() + summary).isEqualTo(2);
            // On a loaded machine the pods' spread can leave no detectable change at all ("could not detect any rise").
            // Before the advice: "no material regression seen", or the rise of 75 % or more in a function at 5 % or more
            // that these data cannot resolve (an A/A's noise can be one: `Arrays.copyOfRange` +86 %).
            assertThat(summary).as("sliced %s", sliced).matches("INCONCLUSIVE: (no material regression seen|`[^`]+` rose \\+"
                            + "[0-9.]+ % \\([^)]+ (in its own code|with its callees)\\), within what these pods' noise allows), but these data"
                            + " (could only detect a change of .*|could not detect any rise) in a function at 5 % of"
                            + " (CPU|allocated bytes) \\(required: 75 %\\);"
                            + " collect .*")
                    .doesNotContain("collect more samples per pod (a longer window or a higher sampling rate)");
            String type = summary.contains("of CPU (required") ? "cpu" : "alloc_bytes";
            JsonNode cpu = null;
            for (JsonNode t : verdict.path("dataQuality").path("types")) {
                cpu = t.path("profileType").asString().equals(type) ? t : cpu;
            }
            List<String> notes = new ArrayList<>();
            cpu.path("notes").forEach(n -> notes.add(n.asString()));
            if (summary.contains("× the samples per pod")) {
                long baselinePerPod = Math.round(cpu.path("baseline").path("samples").asLong() / 3.0);
                long canaryPerPod = Math.round(cpu.path("canary").path("samples").asLong() / 3.0);
                String perPod = String.format(java.util.Locale.ROOT,
                        "× the samples per pod (now %,d a baseline pod, %,d a canary pod)", baselinePerPod, canaryPerPod);
                assertThat(summary).contains("; collect about ").contains(perPod)
                        .endsWith(": a longer window or a higher sampling rate.");
                double scale = Double.parseDouble(summary.replaceAll(".*collect about ([0-9.,]+)× the samples.*", "$1")
                        .replace(",", ""));
                assertThat(scale).isGreaterThan(1.0).isLessThanOrEqualTo(1000.0);
                assertThat(notes).anySatisfy(n -> assertThat(n).startsWith("these data cannot detect a change smaller")
                        .contains(perPod + " would, with the same pods and noise"));
            } else {
                assertThat(summary).endsWith("; collect more pods per side (more samples per pod alone would not do).");
                assertThat(notes).anySatisfy(n -> assertThat(n).startsWith("these data cannot detect a change smaller")
                        .endsWith("; more samples per pod alone would not: the between-pod noise of so few pods sets the limit"));
            }
        }
    }

    /**
     * A baseline recorded with the JDK's TLAB events ({@code gc=high}: alloc_objects) and a canary without (throttled
     * samples only: no alloc_objects) cannot compare alloc_objects. That is no shortage of data that more of it would
     * cure: the verdict said "INCONCLUSIVE: not enough data — alloc_objects: the canary has no alloc_objects data";
     * the type is now not compared, saying why, and the other types decide.
     */
    @Test
    void aTypeOneGroupsRecordingsDoNotGiveIsNotTakenForTooLittleData() {
        JsonNode verdict = compareJson("--baseline", profileTlab.toString(), "--canary", profile1.toString());

        assertThat(types(verdict)).contains("alloc_objects");
        JsonNode objects = null;
        for (JsonNode t : verdict.path("dataQuality").path("types")) {
            objects = t.path("profileType").asString().equals("alloc_objects") ? t : objects;
        }
        assertThat(objects.path("judged").asBoolean()).isFalse();
        assertThat(objects.path("baseline").path("samples").asLong()).isPositive();
        assertThat(objects.path("notes").get(0).asString()).isEqualTo("not compared: the canary's recordings give no"
                + " alloc_objects (dataQuality.warnings says why), so the other types decide; record both groups the same"
                + " way to compare it");
        assertThat(verdict.path("summary").asString()).doesNotContain("alloc_objects");
        assertThat(warnings(verdict)).anySatisfy(w -> assertThat(w).startsWith("alloc_objects not judged in ")
                .contains("jdk.ObjectAllocationSample events are throttled samples"));
    }

    /**
     * Asked to judge a type the recordings do not give, compare answered INCONCLUSIVE "no type that can fail the canary
     * (alloc_objects) has data in both groups"; docs/CLI.md promises invalid input saying why, as collapse says it.
     */
    @Test
    void askingForATypeTheRecordingsDoNotGiveIsInvalidInputSayingWhy() {
        CliRun objects = CliRun.of("compare", "--profile-type", "alloc_objects", "--baseline", default1.toString(),
                "--canary", default2.toString());
        assertThat(objects.status()).as(objects.out()).isEqualTo(65);
        assertThat(objects.err()).startsWith("canary-judge: " + default1 + ": no alloc_objects: the JDK's"
                + " jdk.ObjectAllocationSample events are throttled samples");

        CliRun live = CliRun.of("compare", "--profile-type", "live_objects", "--baseline", default1.toString(),
                "--canary", default2.toString());
        assertThat(live.status()).as(live.out()).isEqualTo(65);
        assertThat(live.err()).contains(": no live_objects: the recording's jdk.OldObjectSample events carry no stack trace");

        // A type one side gives is judged as before.
        CliRun cpu = CliRun.of("compare", "--profile-type", "cpu", "--baseline", default1.toString(),
                "--canary", default2.toString());
        assertThat(cpu.status()).as(cpu.err()).isIn(0, 1, 2);
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
