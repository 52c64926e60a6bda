package io.canaryjudge.qa92;

import static org.assertj.core.api.Assertions.assertThat;

import io.canaryjudge.SharedFixtures;
import io.canaryjudge.cli.CompareJson;
import io.canaryjudge.profile.Profile;
import io.canaryjudge.profile.ProfileFiles;
import io.canaryjudge.profile.ProfileType;
import io.canaryjudge.profile.ReadOptions;
import java.nio.file.Path;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;
import tools.jackson.databind.JsonNode;

/**
 * V8's sampled heap beside Node's wall (qa76's and qa75's uploads, @datadog/pprof under Pyroscope's Node SDK): each
 * upload holds 9-22 rows, one 512 KiB sample each, and a pod's seven one-minute uploads are snapshots of one process
 * sharing most of those samples. Read without a sample count, the live types were judged in bytes with noise learned
 * from those near-identical snapshots: every unchanged canary "discovered" 24-42 live_bytes/live_objects rises at
 * q &lt; 0.01, and those discoveries lowered wall's bar in their shared false-discovery family enough to FAIL d1 and s1
 * (wall alone: INCONCLUSIVE). Each test here fails before the fix.
 */
class InUseHeapNoiseTest {
    private static final Path QA76 = SharedFixtures.projectRoot().resolve("canary-judge/src/test/resources/qa76/pods");
    private static final Path QA75 = SharedFixtures.projectRoot().resolve("canary-judge/src/test/resources/qa75/pods");

    /** The samples behind a V8 heap upload: its rows' objects undone from the sampler's scaling (was: unknown, -1). */
    @Test
    void aV8HeapUploadSaysHowFewSamplesItHolds() throws Exception {
        Profile heap = ProfileFiles.read(QA76.resolve("b1/heap-002.pb.gz"), ReadOptions.defaults()).get(0);
        long bytesSamples = heap.sampleCount(heap.sampleTypeIndex(ProfileType.LIVE_BYTES));
        long objectSamples = heap.sampleCount(heap.sampleTypeIndex(ProfileType.LIVE_OBJECTS));
        // 14 rows, one sample each; one of them a 3.5 MB object, so Kish's effective number of the bytes is lower
        assertThat(bytesSamples).isBetween(1L, 14L);
        assertThat(objectSamples).isBetween(1L, 14L);
    }

    /** Unchanged canaries, five rotations of qa76's one build and qa75's A/A: no live-heap discovery at q &lt; 0.01. */
    @ParameterizedTest
    @CsvSource({"qa76,a1,b1,b2,b3", "qa76,a2,b1,b2,b3", "qa76,b1,b2,b3,a1", "qa76,b2,b3,a1,a2", "qa76,b3,a1,a2,b1",
            "qa75,a1,b1,b2,b3"})
    void anUnchangedCanaryDiscoversNothingOnTheHeap(String set, String canary, String b1, String b2, String b3) {
        JsonNode verdict = CompareJson.of(set.equals("qa76") ? QA76 : QA75, List.of(b1, b2, b3), List.of(canary));

        assertThat(CompareJson.liveHeapDiscoveries(verdict)).as(canary + ": " + verdict.path("summary").asString())
                .isZero();
    }

    /**
     * The heap beside wall no longer decides wall's verdict: each canary's verdict with its heap uploads is the verdict
     * of its wall alone (d1 and s1 were FAIL with the heap, INCONCLUSIVE without: the FAIL was bought by the heap's
     * false discoveries). n1's new path FAILs either way.
     */
    @ParameterizedTest
    @CsvSource({"d1", "s1", "a1", "n1", "w1"})
    void theHeapBesideWallDoesNotChangeTheVerdict(String canary) {
        List<String> baseline = List.of("b1", "b2", "b3");
        JsonNode withHeap = CompareJson.of(QA76, baseline, List.of(canary));
        JsonNode wallOnly = CompareJson.of(QA76, baseline, List.of(canary), List.of(), "--profile-type", "wall");

        assertThat(withHeap.path("result").asString()).as(withHeap.path("summary").asString())
                .isEqualTo(wallOnly.path("result").asString());
    }
}
