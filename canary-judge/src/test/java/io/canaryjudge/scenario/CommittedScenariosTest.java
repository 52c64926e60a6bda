package io.canaryjudge.scenario;

import io.canaryjudge.profile.Profile;
import io.canaryjudge.profile.ProfileFiles;
import io.canaryjudge.profile.ProfileType;
import io.canaryjudge.profile.ReadOptions;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.MethodSource;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.stream.Stream;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * The committed recordings are complete and readable: every scenario has its manifest, its
 * canary pods and its session's baseline pods, every pod folder's {@code requests.csv} lists
 * exactly its slice files, every slice reads as a profile with CPU and allocation data, and the
 * injected function moved the way the manifest says.
 */
class CommittedScenariosTest {
    /** Pods per side and slices per pod the recordings were made with (RecordScenarios defaults). */
    private static final int PODS = 3;
    private static final int SLICES = 5;

    static Stream<Scenario> scenarios() {
        return Scenario.all().stream();
    }

    static Stream<Path> podFolders() throws IOException {
        List<Path> pods = new ArrayList<>();
        Path root = ScenarioFolders.scenarios();
        for (Scenario scenario : Scenario.all()) {
            pods.addAll(PodFolder.pods(root.resolve(scenario.name()).resolve("canary")));
        }
        for (int session : Scenario.all().stream().map(Scenario::session).distinct().toList()) {
            pods.addAll(PodFolder.pods(root.resolve(Scenario.baselineFolder(session))));
        }
        pods.addAll(ScenarioFolders.examplePods(ScenarioFolders.example(), ScenarioFolders.EXAMPLE_BASELINE_HASH));
        pods.addAll(ScenarioFolders.examplePods(ScenarioFolders.example(), ScenarioFolders.EXAMPLE_CANARY_HASH));
        return pods.stream();
    }

    @ParameterizedTest
    @MethodSource("scenarios")
    void scenarioHasManifestAndPodsOnBothSides(Scenario scenario) throws IOException {
        Path folder = ScenarioFolders.scenarios().resolve(scenario.name());
        String manifest = Files.readString(folder.resolve("scenario.json"), StandardCharsets.UTF_8);

        assertThat(manifest).contains("\"expectedResult\": \"" + scenario.expectedResult() + "\"")
                .contains("\"baseline\": \"../" + Scenario.baselineFolder(scenario.session()) + "\"");
        if (scenario.function() != null) {
            assertThat(manifest).contains("\"function\": \"" + scenario.function() + "\"");
        }
        assertThat(PodFolder.pods(folder.resolve("canary"))).hasSize(PODS);
        assertThat(PodFolder.pods(ScenarioFolders.scenarios().resolve(Scenario.baselineFolder(scenario.session()))))
                .hasSize(PODS);
    }

    @ParameterizedTest
    @MethodSource("podFolders")
    void requestsCsvListsExactlyTheSliceFiles(Path pod) throws IOException {
        PodFolder folder = PodFolder.read(pod);

        assertThat(folder.slices()).hasSizeGreaterThanOrEqualTo(2);
        assertThat(folder.requests().keySet())
                .containsExactlyElementsOf(folder.slices().stream().map(p -> p.getFileName().toString()).toList());
        assertThat(folder.requests().values()).allSatisfy(requests -> assertThat(requests).isPositive());
    }

    @ParameterizedTest
    @MethodSource("podFolders")
    void everySliceReadsWithCpuAndAllocation(Path pod) throws Exception {
        for (Path slice : PodFolder.read(pod).slices()) {
            assertThat(Files.size(slice)).as("size of %s", slice).isBetween(1L, 256L * 1024);
            List<Profile> profiles = ProfileFiles.read(slice, ReadOptions.defaults());
            assertThat(profiles).as("%s", slice).hasSize(1);
            Profile profile = profiles.get(0);
            assertThat(profile.profileTypes()).as("%s", slice).contains(ProfileType.CPU, ProfileType.ALLOC_BYTES);
            assertThat(profile.sampleCount(profile.sampleTypeIndex(ProfileType.CPU))).as("CPU samples in %s", slice)
                    .isGreaterThanOrEqualTo(200);
            assertThat(profile.functionTotals(ProfileType.ALLOC_BYTES).total()).as("%s", slice).isPositive();
        }
    }

    @Test
    void scenarioPodsHaveTheRecordedNumberOfSlices() throws IOException {
        Path root = ScenarioFolders.scenarios();
        for (Scenario scenario : Scenario.all()) {
            for (Path pod : PodFolder.pods(root.resolve(scenario.name()).resolve("canary"))) {
                assertThat(PodFolder.read(pod).slices()).as("%s", pod).hasSize(SLICES);
            }
            for (Path pod : PodFolder.pods(root.resolve(Scenario.baselineFolder(scenario.session())))) {
                assertThat(PodFolder.read(pod).slices()).as("%s", pod).hasSize(SLICES);
            }
        }
    }

    /** The ground truth is in the data: the injected function's pooled share moved as labelled. */
    @ParameterizedTest
    @MethodSource("scenarios")
    void injectedFunctionMovedTheLabelledWay(Scenario scenario) throws IOException {
        if (scenario.function() == null) {
            return;
        }
        Path root = ScenarioFolders.scenarios();
        ProfileType type = ProfileType.fromId(scenario.profileType());
        double baseline = ScenarioSummary.pooledShare(
                ScenarioSummary.Side.read(root.resolve(Scenario.baselineFolder(scenario.session()))).all(), type,
                scenario.function());
        double canary = ScenarioSummary.pooledShare(
                ScenarioSummary.Side.read(root.resolve(scenario.name()).resolve("canary")).all(), type,
                scenario.function());

        switch (scenario.expectedKind()) {
            case "REGRESSION" -> assertThat(canary).isGreaterThan(baseline).isPositive();
            case "NEW_HOT_PATH" -> {
                assertThat(baseline).isZero();
                assertThat(canary).isGreaterThan(0.02);
            }
            case "IMPROVEMENT" -> assertThat(canary).isLessThan(baseline).isPositive();
            default -> throw new AssertionError("unknown kind " + scenario.expectedKind());
        }
    }
}
