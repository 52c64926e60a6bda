package io.canaryjudge.qa75;

import static org.assertj.core.api.Assertions.assertThat;

import io.canaryjudge.SharedFixtures;
import io.canaryjudge.cli.CompareJson;
import io.canaryjudge.judge.FrameClass;
import io.canaryjudge.judge.FrameClassifier;
import io.canaryjudge.profile.Profile;
import io.canaryjudge.profile.ProfileFiles;
import io.canaryjudge.profile.ProfileType;
import io.canaryjudge.profile.ReadOptions;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;
import tools.jackson.databind.JsonNode;

/**
 * A Node HTTP service under Pyroscope's Node SDK (@pyroscope/nodejs 0.6.4, @datadog/pprof 5.14.4, collectCpuTime on),
 * its uploads kept as they were sent (src/test/resources/qa75/pods, bench/qa75-node/record.sh): 21-22 profiles of 15 s
 * a pod, b1-b3 and a1 one build, s1 with priceOrder doing 1.5 times the work, n1 rendering one more Mustache template per
 * order under a new auditOrder. At 20794fe6 every JavaScript frame but Node's dotted method names read as native code
 * (./server.js:priceOrder as the kernel's, reported apart), so no canary could FAIL or be named: s1 and n1 were
 * INCONCLUSIVE with "no material regression seen".
 */
class NodeServicesTest {
    static final Path PODS = SharedFixtures.projectRoot().resolve("canary-judge/src/test/resources/qa75/pods");
    private static final List<String> BASELINE = List.of("b1", "b2", "b3");

    /**
     * priceOrder +50 %: named as application code. Today within what three baseline processes' noise allows (V8
     * inlined it into its callers in some processes: its own share was 3.7 % of wall time in one baseline pod,
     * 6.6-6.8 % in the others), so INCONCLUSIVE — a known miss, not the goal: a FAIL would be right, so the test only
     * asserts what must hold either way (not PASS, and priceOrder or its caller handleOrder named).
     */
    @Test
    void aSlowerApplicationFunctionIsNamedAsApplicationCode() {
        JsonNode verdict = CompareJson.of(PODS, BASELINE, List.of("s1"), List.of(), "--profile-type", "cpu");

        String summary = verdict.path("summary").asString();
        assertThat(verdict.path("result").asString()).as(summary).isNotEqualTo("PASS");
        assertThat(summary).containsAnyOf("`./server.js:priceOrder`", "`./server.js:handleOrder`");
    }

    @Test
    void aNewPathIntoALibraryFailsAtTheApplicationFunctionThatCallsIt() {
        JsonNode verdict = CompareJson.of(PODS, BASELINE, List.of("n1"), List.of(), "--profile-type", "cpu");

        assertThat(verdict.path("result").asString()).as(verdict.path("summary").asString()).isEqualTo("FAIL");
        JsonNode lead = verdict.path("incidents").get(0);
        assertThat(lead.path("entryFrame").asString()).isEqualTo("./server.js:auditOrder");
        assertThat(lead.path("summary").asString()).contains("mostly the npm package mustache");
    }

    @Test
    void anUnchangedCanaryDoesNotFail() {
        for (String type : List.of("cpu", "wall")) {
            JsonNode verdict = CompareJson.of(PODS, BASELINE, List.of("a1"), List.of(), "--profile-type", type);
            assertThat(verdict.path("result").asString()).as(type + ": " + verdict.path("summary").asString())
                    .isNotEqualTo("FAIL");
        }
    }

    /**
     * All types at default settings (wall, cpu, live heap): with the frames classed but V8's JIT prior not applied to
     * Node's frames (eeadccd9 without JitPrior.v8), a1 FAILed at Node's own node:internal/process/task_queues:nextTick,
     * 0.18-0.27 % of CPU in b1-b3 and 0.91 % in a1 (V8 compiles each process on its own; three processes did not show
     * its spread). At 20794fe6 this passes too: nothing could fail there.
     */
    @Test
    void anUnchangedCanaryDoesNotFailAtDefaultSettings() {
        JsonNode verdict = CompareJson.of(PODS, BASELINE, List.of("a1"));

        assertThat(verdict.path("result").asString()).as(verdict.path("summary").asString()).isNotEqualTo("FAIL");
    }

    /**
     * Every A/A rotation of the four pods of one build (b1, b2, b3, a1), each as canary against the other three, at
     * all types and with --profile-type cpu: the JIT prior was tuned on none of them but a1's (review of qa75).
     * Measured at 3d605842: b1 INCONCLUSIVE, b2 PASS, b3 PASS at all types.
     */
    @ParameterizedTest
    @ValueSource(strings = {"b1", "b2", "b3"})
    void everyOtherRotationOfOneBuildDoesNotFail(String canary) {
        List<String> baseline = new ArrayList<>(List.of("b1", "b2", "b3", "a1"));
        baseline.remove(canary);
        for (List<String> options : List.of(List.<String>of(), List.of("--profile-type", "cpu"))) {
            JsonNode verdict = CompareJson.of(PODS, baseline, List.of(canary), List.of(), options.toArray(String[]::new));
            assertThat(verdict.path("result").asString())
                    .as(canary + " " + options + ": " + verdict.path("summary").asString()).isNotEqualTo("FAIL");
        }
    }

    /**
     * @datadog/pprof counts the event loop's idle samples in samples/count with no wall time: the wall column's
     * samples are those that carry wall time (20 ms each here), not every sample.
     */
    @Test
    void wallSamplesAreThoseThatCarryWallTime() throws Exception {
        Profile profile = ProfileFiles.read(PODS.resolve("b1/wall-005.pb.gz"), ReadOptions.defaults()).get(0);
        int wall = profile.sampleTypeIndex(ProfileType.WALL);
        assertThat(profile.sampleCount(wall) * 20_000_000L).isEqualTo(profile.total(wall));
    }

    /** @datadog/pprof by itself keeps a function's script in its file name: the reader puts it in front. */
    @Test
    void datadogPprofByItselfIsReadWithItsScripts() throws Exception {
        Path raw = SharedFixtures.projectRoot().resolve("canary-judge/src/test/resources/qa75/raw/wall-002.pb.gz");
        Profile profile = ProfileFiles.read(raw, ReadOptions.defaults()).get(0);
        List<String> names = new ArrayList<>();
        for (int f = 0; f < profile.functionCount(); f++) {
            names.add(profile.functionName(f));
        }
        assertThat(names).contains("/tmp/qa75/app/server.js:priceOrder", "/tmp/qa75/app/server.js:handleOrder",
                "node:events:emit", ":writev", ":Garbage Collection");
        FrameClassifier frames = FrameClassifier.defaults();
        assertThat(frames.classify("/tmp/qa75/app/server.js:priceOrder")).isEqualTo(FrameClass.APPLICATION);
        assertThat(frames.classify(":Garbage Collection")).isEqualTo(FrameClass.JVM_INTERNAL);
    }

    /** Every frame of a recorded profile, read and classed: runtime work and the idle loop apart, scripts by owner. */
    @Test
    void runtimeWorkAndTheIdleLoopAreNotApplicationCode() throws Exception {
        Profile profile = ProfileFiles.read(PODS.resolve("n1/wall-005.pb.gz"), ReadOptions.defaults()).get(0);
        FrameClassifier frames = FrameClassifier.defaults();
        List<String> names = new ArrayList<>();
        for (int f = 0; f < profile.functionCount(); f++) {
            String name = profile.functionName(f);
            names.add(name);
            FrameClass expected = name.startsWith("./server.js:") ? FrameClass.APPLICATION
                    : name.startsWith("./node_modules/mustache/") ? FrameClass.LIBRARY
                    : name.startsWith("./node_modules/@datadog/pprof/") || name.startsWith("./node_modules/@pyroscope/")
                    || name.startsWith("./node_modules/pprof-format/") ? FrameClass.PROFILER
                    : name.startsWith("node:") ? FrameClass.JDK : null;
            if (expected != null) {
                assertThat(frames.classify(name)).as(name).isEqualTo(expected);
            }
        }
        assertThat(names).contains(":(idle)", ":Non JS threads activity", ":Garbage Collection", ":Node.js",
                "./server.js:auditOrder", "./node_modules/mustache/mustache.js:renderTokens");
        assertThat(frames.classify(":(idle)")).isEqualTo(FrameClass.NATIVE_SYSTEM);
        assertThat(frames.classify(":Non JS threads activity")).isEqualTo(FrameClass.JVM_INTERNAL);
        assertThat(frames.classify(":Garbage Collection")).isEqualTo(FrameClass.JVM_INTERNAL);
    }
}
