package io.canaryjudge.qa100;

import static org.assertj.core.api.Assertions.assertThat;

import io.canaryjudge.SharedFixtures;
import io.canaryjudge.cli.CompareJson;
import io.canaryjudge.profile.Profile;
import io.canaryjudge.profile.ProfileFiles;
import io.canaryjudge.profile.ProfileType;
import io.canaryjudge.profile.ReadOptions;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;
import tools.jackson.databind.JsonNode;

/**
 * qa92's per-pod division: a pod's several in-use heap snapshots (V8's sampled heap, uploaded once a minute by
 * Pyroscope's Node SDK: 7 a pod in qa76, 22 in qa75) share most of their sampled objects, so together they count as one
 * snapshot's samples ({@code TypeContext.inUseSnapshots}). At the default {@code minSamplesPerGroup} (1,000) these
 * pods' live heap is too small to be judged with or without the division, so these tests lower the floor to 5 in a
 * {@code --config} file: the live types are then judged, and their sampling noise is what the division sets. Each test
 * fails with the division taken out (checked by reverting it locally): the samples read 155 for qa76's baseline
 * instead of 23, and unchanged canaries discovered live-heap rises at q &lt; 0.01 (qa75 a1: 5, q down to 7e-10; qa76's
 * b3 rotation: 1).
 */
class HeapSnapshotsPerPodTest {
    private static final Path QA76 = SharedFixtures.projectRoot().resolve("canary-judge/src/test/resources/qa76/pods");
    private static final Path QA75 = SharedFixtures.projectRoot().resolve("canary-judge/src/test/resources/qa75/pods");

    @TempDir
    static Path scratch;

    /** The judge's settings with the sample floor low enough that a few V8 heap snapshots are judged. */
    private static String lowSampleFloor() throws IOException {
        Path config = scratch.resolve("low-sample-floor.yaml");
        if (!Files.exists(config)) {
            Files.writeString(config, "minSamplesPerGroup: 5\n");
        }
        return config.toString();
    }

    /**
     * qa76's baseline pods b1-b3 (7 snapshots each): the live_bytes samples the verdict reports are one snapshot's
     * worth per pod (each snapshot's samples, read from its file, divided by the pod's snapshot count), not the 7
     * summed.
     */
    @Test
    void aPodsSnapshotsCountAsOneSnapshotsSamples() throws IOException {
        List<String> baseline = List.of("b1", "b2", "b3");
        JsonNode verdict = CompareJson.of(QA76, baseline, List.of("a1"), List.of(), "--config", lowSampleFloor());

        long summed = 0;
        long perPod = 0;
        for (String pod : baseline) {
            List<Long> snapshots = liveBytesSamples(QA76.resolve(pod));
            assertThat(snapshots).as(pod).hasSize(7);
            summed += snapshots.stream().mapToLong(Long::longValue).sum();
            for (long samples : snapshots) {
                perPod += Math.round((double) samples / snapshots.size());
            }
        }
        JsonNode liveBytes = type(verdict, "live_bytes");
        assertThat(liveBytes.path("judged").asBoolean()).as(liveBytes.toString()).isTrue();
        assertThat(liveBytes.path("baseline").path("samples").asLong()).as("summed over snapshots: " + summed)
                .isEqualTo(perPod).isLessThan(summed / 5);
    }

    /**
     * Unchanged canaries with their live heap judged: no live-heap discovery at q &lt; 0.01. Counted as fresh samples
     * each, the snapshots understate the heap's sampling noise several times over.
     */
    @ParameterizedTest
    @CsvSource({"qa75,a1,b1,b2,b3", "qa76,b3,a1,a2,b1"})
    void anUnchangedCanaryWhoseHeapIsJudgedDiscoversNothingOnIt(String set, String canary, String b1, String b2,
                                                               String b3) throws IOException {
        JsonNode verdict = CompareJson.of(set.equals("qa76") ? QA76 : QA75, List.of(b1, b2, b3), List.of(canary),
                List.of(), "--config", lowSampleFloor());

        assertThat(type(verdict, "live_objects").path("judged").asBoolean()).as(verdict.toString()).isTrue();
        assertThat(CompareJson.liveHeapDiscoveries(verdict))
                .as(set + " " + canary + ": " + verdict.path("summary").asString()).isZero();
    }

    /** Each heap snapshot's live_bytes samples in {@code pod}, as the reader counts them (Kish's effective number). */
    private static List<Long> liveBytesSamples(Path pod) throws IOException {
        try (Stream<Path> files = Files.list(pod)) {
            return files.filter(f -> f.getFileName().toString().startsWith("heap-")).sorted().map(f -> {
                try {
                    Profile heap = ProfileFiles.read(f, ReadOptions.defaults()).get(0);
                    return heap.sampleCount(heap.sampleTypeIndex(ProfileType.LIVE_BYTES));
                } catch (Exception e) {
                    throw new IllegalStateException(f + ": " + e.getMessage(), e);
                }
            }).toList();
        }
    }

    private static JsonNode type(JsonNode verdict, String id) {
        for (JsonNode type : verdict.path("dataQuality").path("types")) {
            if (type.path("profileType").asString().equals(id)) {
                return type;
            }
        }
        throw new AssertionError("no " + id + " in dataQuality.types: " + verdict.path("dataQuality"));
    }
}
