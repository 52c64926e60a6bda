package io.canaryjudge.profile.source.pyroscope;

import static org.assertj.core.api.Assertions.assertThat;

import io.canaryjudge.profile.Profile;
import io.canaryjudge.profile.ProfileFiles;
import io.canaryjudge.profile.ProfileType;
import io.canaryjudge.profile.ReadOptions;
import io.canaryjudge.profile.pprof.EffectiveSamples;
import java.nio.file.Path;
import java.util.List;
import org.junit.jupiter.api.Test;

/**
 * The pairing of a sampled heap's two columns ({@link HeapSampleCount}) on qa76's V8 heap uploads: a column paired with
 * its own upload's other column counts what the pprof reader counts from the file (objects: at most one more); paired with another upload's (other
 * stacks) the count is unknown, never guessed; alone, the fewest its stacks allow.
 */
class HeapSampleCountTest {
    static final Path QA76 = Path.of("../canary-judge/src/test/resources/qa76/pods");

    private static Profile read(String file) throws Exception {
        return ProfileFiles.read(QA76.resolve(file), ReadOptions.defaults()).get(0);
    }

    @Test
    void theIDsPairBytesWithObjectsUnderOnePeriodType() {
        assertThat(HeapSampleCount.pairIds(List.of(PyroscopeProfileTypes.NODE_INUSE_SPACE)))
                .containsExactly(PyroscopeProfileTypes.NODE_INUSE_OBJECTS);
        assertThat(HeapSampleCount.pairIds(List.of(PyroscopeProfileTypes.GO_INUSE_OBJECTS)))
                .containsExactly(PyroscopeProfileTypes.GO_INUSE_SPACE);
        assertThat(HeapSampleCount.pairIds(List.of("memory:live:count:objects:count"))).isEmpty();
        assertThat(HeapSampleCount.pairIds(List.of(PyroscopeProfileTypes.GO_INUSE_SPACE,
                PyroscopeProfileTypes.NODE_INUSE_SPACE))).isEmpty();
    }

    @Test
    void aColumnPairedWithItsUploadsOtherCountsAsTheFile() throws Exception {
        for (String file : List.of("b1/heap-002.pb.gz", "a1/heap-005.pb.gz", "d1/heap-008.pb.gz")) {
            Profile heap = read(file);
            int bytes = heap.sampleTypeIndex(ProfileType.LIVE_BYTES);
            int objects = heap.sampleTypeIndex(ProfileType.LIVE_OBJECTS);

            assertThat(HeapSampleCount.of(heap, bytes, heap, objects, true)).as(file)
                    .isEqualTo(heap.sampleCount(bytes)).isPositive();
            // d1's minute 8 holds two rows at different lines of one function (1,395 objects of 376 bytes, 5 of 115 KB):
            // one stack here, two rows to the reader, and a merged row counts at least the rows' sum: 8 for 7
            assertThat(HeapSampleCount.of(heap, objects, heap, bytes, false)).as(file)
                    .isBetween(heap.sampleCount(objects), heap.sampleCount(objects) + 1).isPositive();
            assertThat(EffectiveSamples.fewestPossible(heap, bytes)).isPositive()
                    .isLessThanOrEqualTo(heap.sampleCount(bytes));
        }
    }

    @Test
    void anotherUploadsStacksLeaveTheCountUnknown() throws Exception {
        Profile b1 = read("b1/heap-002.pb.gz");
        Profile a1 = read("a1/heap-002.pb.gz");

        assertThat(HeapSampleCount.of(b1, b1.sampleTypeIndex(ProfileType.LIVE_BYTES), a1,
                a1.sampleTypeIndex(ProfileType.LIVE_OBJECTS), true)).isEqualTo(-1);
    }
}
