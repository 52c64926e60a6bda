package io.canaryjudge.heldout;

import static org.assertj.core.api.Assertions.assertThat;

import io.canaryjudge.heldout.oracle.PodShares;
import io.canaryjudge.heldout.recording.HeldOutScenario;
import io.canaryjudge.heldout.recording.RecordingArchive;
import io.canaryjudge.heldout.simulation.Change;
import io.canaryjudge.heldout.simulation.Layout;
import io.canaryjudge.judge.Observation;
import io.canaryjudge.profile.ProfileType;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.stream.Stream;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.MethodSource;

/**
 * What must hold of the committed held-out recordings and harness whatever the judge does: every
 * recording is there and readable, the manifests agree with {@link HeldOutScenario}, the injected
 * change is in the data, and the harness runs end to end on a small subset. The judge's figures are
 * measured by {@code bench/heldout-evaluation.sh}, never asserted here.
 */
class HeldOutRecordingsTest {
    private static final int SLICES = 8;
    private static HeldOutRecordings recordings;

    @BeforeAll
    static void read() throws IOException {
        recordings = HeldOutRecordings.read(HeldOutRecordings.folder());
    }

    static Stream<HeldOutScenario> scenarios() {
        return HeldOutScenario.all().stream();
    }

    @ParameterizedTest
    @MethodSource("scenarios")
    void manifestAgreesWithTheScenarioList(HeldOutScenario scenario) throws IOException {
        Path folder = recordings.root().resolve(scenario.name());
        String manifest = Files.readString(folder.resolve("scenario.json"), StandardCharsets.UTF_8);

        assertThat(manifest).contains("\"scenario\": \"" + scenario.name() + "\"")
                .contains("\"expectedResult\": \"" + scenario.expectedResult() + "\"")
                .contains("\"plannedCanaryPods\": " + scenario.pods())
                .contains("\"function\": " + (scenario.function() == null ? "null" : "\"" + scenario.function() + "\""));
        int recorded = recordings.canaries().get(scenario.name()).size();
        assertThat(recorded).isBetween(2, scenario.pods());
        assertThat(manifest).contains("\"canaryPods\": " + recorded)
                .contains("\"baselinePods\": " + recordings.baselines().size());
    }

    @Test
    void everyWindowHasItsSlicesAndRequestCounts() throws IOException {
        List<Path> windows = new ArrayList<>();
        for (Path pod : HeldOutRecordings.pods(recordings.root().resolve("baselines"))) {
            windows.add(pod.resolve("history"));
            windows.add(pod.resolve("current"));
        }
        for (HeldOutScenario scenario : HeldOutScenario.all()) {
            windows.addAll(HeldOutRecordings.pods(recordings.root().resolve(scenario.name()).resolve("canary")));
        }
        assertThat(recordings.baselines()).hasSizeGreaterThanOrEqualTo(6);
        for (Path window : windows) {
            List<Path> slices = HeldOutRecordings.slices(window);
            assertThat(slices).as("%s", window).hasSize(SLICES);
            assertThat(HeldOutRecordings.requests(window).keySet()).as("%s", window).containsExactlyElementsOf(
                    slices.stream().map(s -> s.getFileName().toString().replace(RecordingArchive.SLICE_EXTENSION, ".pb.gz"))
                            .toList());
            for (Path slice : slices) {
                assertThat(Files.size(slice)).as("size of %s", slice).isBetween(1L, 200L * 1024);
            }
        }
    }

    @Test
    void committedRecordingsStayUnderSixMegabytes() throws IOException {
        long total;
        try (Stream<Path> files = Files.walk(recordings.root())) {
            total = files.filter(Files::isRegularFile).mapToLong(f -> f.toFile().length()).sum();
        }
        assertThat(total).isLessThan(6L * 1024 * 1024);
    }

    @Test
    void everySliceHoldsCpuAndAllocationSamples() {
        List<Observation> all = new ArrayList<>();
        recordings.baselines().forEach(p -> {
            all.addAll(p.current());
            all.addAll(p.history());
        });
        recordings.canaries().values().forEach(pods -> pods.forEach(p -> all.addAll(p.current())));
        for (Observation slice : all) {
            assertThat(slice.profile().profileTypes()).as(slice.profile().source())
                    .contains(ProfileType.CPU, ProfileType.ALLOC_BYTES);
            assertThat(slice.profile().sampleCount(slice.profile().sampleTypeIndex(ProfileType.CPU)))
                    .as("CPU samples in %s", slice.profile().source()).isBetween(1000L, 3000L);
            assertThat(slice.requests()).as(slice.profile().source()).isPositive();
        }
    }

    /** The ground truth is in the data: each injected change moved its function the labelled way. */
    @ParameterizedTest
    @MethodSource("scenarios")
    void injectedChangeIsInTheData(HeldOutScenario scenario) {
        List<Observation> baseline = new ArrayList<>();
        recordings.baselines().forEach(p -> baseline.addAll(p.current()));
        List<Observation> canary = new ArrayList<>();
        recordings.canaries().get(scenario.name()).forEach(p -> canary.addAll(p.current()));
        if (scenario.expectedKind() == null) {
            return;
        }
        ProfileType type = ProfileType.fromId(scenario.profileType());
        PodShares before = PodShares.of(baseline, type);
        PodShares after = PodShares.of(canary, type);
        switch (scenario.expectedKind()) {
            case "REGRESSION" -> assertThat(after.mean(scenario.function(), 1))
                    .isGreaterThan(1.05 * before.mean(scenario.function(), 1));
            case "NEW_HOT_PATH" -> {
                assertThat(before.mean(scenario.function(), 1)).isZero();
                assertThat(after.mean(scenario.function(), 1)).isGreaterThan(0.001);
            }
            case "DIFFERENT_PROGRAM" -> {
                // Most of the canary's CPU is in functions the baseline spends under 0.1 % in.
                double unfamiliar = 0;
                for (String function : after.functions()) {
                    if (before.mean(function, 1) < 0.001) {
                        unfamiliar += after.mean(function, 0);
                    }
                }
                assertThat(unfamiliar).isGreaterThan(0.3);
            }
            default -> throw new AssertionError("unknown kind " + scenario.expectedKind());
        }
    }

    /** The harness runs end to end on a few cases of each source and renders every table. */
    @Test
    void harnessRunsEndToEndOnASmallSubset() {
        List<Cell> cells = new ArrayList<>(SimulatedEvaluation.run(List.of(
                new SimulatedEvaluation.Spec(Change.none(), Layout.TWO_V_TWO, 2),
                new SimulatedEvaluation.Spec(Change.cpuRise(0.5, 0.05), Layout.TWO_V_TWO, 1)), 1));
        cells.addAll(new RecordedEvaluation(recordings).runSubset(List.of("rerank-50"), "2v2", 1));
        String report = HeldOutReport.render(cells, "smoke\n");

        assertThat(cells).allSatisfy(cell -> assertThat(cell.judgeErrors().count()).as(cell.label()).isZero());
        assertThat(cells.stream().filter(Cell::changed).flatMap(c -> c.cases().stream()))
                .allSatisfy(c -> assertThat(c.oracle().get(ProfileType.CPU).statistic()).isPositive());
        assertThat(report).contains("Second simulator").contains("Recorded search service").contains("rerank-50")
                .contains("Targets (simulated)").contains("Targets (recorded)");
    }
}
