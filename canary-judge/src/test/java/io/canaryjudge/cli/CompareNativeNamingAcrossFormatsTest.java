package io.canaryjudge.cli;

import static org.assertj.core.api.Assertions.assertThat;

import io.canaryjudge.SharedFixtures;
import io.canaryjudge.profile.AsyncProfilerConversions;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import tools.jackson.databind.JsonNode;
import tools.jackson.databind.json.JsonMapper;

/**
 * The same broker in two forms: JFR names a native frame with its library ({@code libjvm.so.GangWorker::loop},
 * {@code .itable stub}, as Pyroscope does), async-profiler's converter writes the symbol alone ({@code GangWorker::loop},
 * {@code itable stub}). A baseline of the Kafka broker's JFR slices against a canary of its other slices converted to
 * collapsed stacks — unchanged code — listed ten "new hot path" and "vanished" rows for JVM frames both sides ran
 * (`itable stub` new, `.itable stub` gone). Native frames are now compared by symbol, in the verdict and its report,
 * and the verdict says so.
 */
class CompareNativeNamingAcrossFormatsTest {
    private static final JsonMapper JSON = JsonMapper.builder().build();

    @TempDir
    Path dir;

    @Test
    void jfrBaselineBesideConvertedCanaryComparesNativeFramesBySymbol() throws Exception {
        Path fixtures = SharedFixtures.folder("jfr-parser");
        Path baseline = Files.createDirectories(dir.resolve("baseline"));
        Path canary = Files.createDirectories(dir.resolve("canary"));
        for (int slice = 0; slice < 2; slice++) {
            String name = "cortex-dev-01__kafka-0__cpu__" + slice + ".jfr.gz";
            Files.copy(fixtures.resolve(name), baseline.resolve(name));
        }
        for (int slice = 2; slice < 4; slice++) {
            Path jfr = AsyncProfilerConversions.recording("cortex-dev-01__kafka-0__cpu__" + slice + ".jfr.gz", dir);
            Files.writeString(canary.resolve("slice-" + slice + ".collapsed"), AsyncProfilerConversions.collapsed(jfr));
        }
        Path config = Files.writeString(dir.resolve("sparse.yaml"),
                "minObservationsPerGroup: 1\nminSamplesPerGroup: 100\nmaxDetectableChange: null\n");

        CliRun run = CliRun.of("compare", "--profile-type", "cpu", "--config", config.toString(), "--format", "json",
                "--baseline", baseline.toString(), "--canary", canary.toString());

        JsonNode verdict = JSON.readTree(run.out());
        List<String> appearedOrGone = new ArrayList<>();
        for (JsonNode finding : verdict.path("findings")) {
            String kind = finding.path("kind").asString();
            if (kind.equals("NEW_HOT_PATH") || kind.equals("VANISHED")) {
                appearedOrGone.add(kind + " " + finding.path("function").asString());
            }
        }
        assertThat(appearedOrGone).as(run.out()).isEmpty();
        assertThat(verdict.path("result").asString()).isNotEqualTo("FAIL");
        assertThat(verdict.path("dataQuality").path("warnings").toString()).contains("compared by symbol alone");

        // The report's flame graphs and evidence in the verdict's spelling: one GangWorker::loop node, not one a side.
        CliRun report = CliRun.of("compare", "--profile-type", "cpu", "--config", config.toString(), "--format", "html",
                "--baseline", baseline.toString(), "--canary", canary.toString());
        assertThat(report.out()).as(report.err()).contains("GangWorker::loop").doesNotContain("libjvm.so.GangWorker::loop")
                .doesNotContain(".itable stub");
    }
}
