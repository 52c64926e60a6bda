package io.canaryjudge.profile.pprof;

import static org.assertj.core.api.Assertions.assertThat;

import io.canaryjudge.profile.Profile;
import io.canaryjudge.profile.ProfileFiles;
import io.canaryjudge.profile.ProfileType;
import io.canaryjudge.profile.ReadOptions;
import io.canaryjudge.profile.SampleType;
import java.nio.file.Path;
import org.junit.jupiter.api.Test;

/**
 * The heap profile {@code @datadog/pprof} writes by itself ({@code heap.profile()} then {@code encode}: dd-trace-js, or a
 * user's own code), V8's sampling heap profiler holding the objects still live. Up to 5.15 (5.14.4 is what Pyroscope's
 * Node SDK 0.6.4 pins) its columns are {@code objects/count} and {@code space/bytes}, which mapped to no type: the file
 * was read as holding nothing the judge compares. From 5.16 they are {@code inuse_objects/count} and
 * {@code inuse_space/bytes}. Recorded by {@code bench/fxe-datadog-heap/record.sh} (one Node process each; a script
 * keeping 4,000 ~1 KiB sessions and 4,000 base64 strings of 2,048 bytes, the {@code retain} runs 16,000 sessions).
 */
class DatadogPprofHeapTest {
    static final Path FXE = Path.of("../canary-judge/src/test/resources/fxe");

    private static Profile read(String file) throws Exception {
        return ProfileFiles.read(FXE.resolve(file), ReadOptions.defaults()).get(0);
    }

    /** Bytes (or objects) of {@code column} in stacks through a function of heap.js named {@code function}. */
    private static long through(Profile profile, ProfileType column, String function) {
        int index = profile.sampleTypeIndex(column);
        long sum = 0;
        for (int s = 0; s < profile.stackCount(); s++) {
            for (int depth = 0; depth < profile.stackDepth(s); depth++) {
                if (profile.functionName(profile.stackFunction(s, depth)).equals("/tmp/fxe/app/heap.js:" + function)) {
                    sum += profile.value(s, index);
                    break;
                }
            }
        }
        return sum;
    }

    /** Fails before fxe: both columns mapped to no type. */
    @Test
    void objectsAndSpaceAreLiveObjectsAndLiveBytes() throws Exception {
        Profile profile = read("datadog-pprof-5.14.4/base-1.pb.gz");

        assertThat(profile.sampleTypes()).extracting(SampleType::type).containsExactly("objects", "space");
        assertThat(profile.sampleTypes()).extracting(SampleType::profileType)
                .containsExactly(ProfileType.LIVE_OBJECTS, ProfileType.LIVE_BYTES);
        // 4,000 base64 strings of 2,048 bytes (2,732 one-byte characters each): ~11 MB live, as V8's sampling (every
        // 32 KiB on average) estimates it
        assertThat(through(profile, ProfileType.LIVE_BYTES, "keepBuffer")).isBetween(8_000_000L, 14_000_000L);
        assertThat(profile.total(profile.sampleTypeIndex(ProfileType.LIVE_BYTES)))
                .isGreaterThan(through(profile, ProfileType.LIVE_BYTES, "keepBuffer"));
    }

    /** The columns are what is still live: four times the sessions kept is about four times their bytes and objects. */
    @Test
    void moreRetainedSessionsAreMoreLiveBytesAndObjects() throws Exception {
        for (int run = 1; run <= 2; run++) {
            Profile base = read("datadog-pprof-5.14.4/base-" + run + ".pb.gz");
            Profile retain = read("datadog-pprof-5.14.4/retain-" + run + ".pb.gz");
            for (ProfileType type : new ProfileType[] {ProfileType.LIVE_BYTES, ProfileType.LIVE_OBJECTS}) {
                double ratio = (double) through(retain, type, "cacheSession") / through(base, type, "cacheSession");
                assertThat(ratio).as(type + " run " + run).isBetween(2.5, 6.0);
            }
        }
    }

    /** 5.16 and later name the columns inuse_*: the same types, the same script measured alike. */
    @Test
    void laterVersionsInuseColumnsAreTheSameTypes() throws Exception {
        Profile old = read("datadog-pprof-5.14.4/base-1.pb.gz");
        Profile current = read("datadog-pprof-5.20.0/base-1.pb.gz");

        assertThat(current.sampleTypes()).extracting(SampleType::type).containsExactly("inuse_objects", "inuse_space");
        assertThat(current.profileTypes()).isEqualTo(old.profileTypes());
        double ratio = (double) through(current, ProfileType.LIVE_BYTES, "keepBuffer")
                / through(old, ProfileType.LIVE_BYTES, "keepBuffer");
        assertThat(ratio).isBetween(0.7, 1.4);
    }

    /**
     * A real service's: qa75's {@code raw/heap-002.pb.gz}, @datadog/pprof 5.14.4 by itself in the shop service under
     * load (sampling every 512 KiB). Fails before fxe.
     */
    @Test
    void aServicesHeapProfileFromTheProfilerItselfIsLiveHeap() throws Exception {
        Profile profile = ProfileFiles.read(Path.of("../canary-judge/src/test/resources/qa75/raw/heap-002.pb.gz"),
                ReadOptions.defaults()).get(0);

        assertThat(profile.profileTypes()).containsExactlyInAnyOrder(ProfileType.LIVE_OBJECTS, ProfileType.LIVE_BYTES);
        assertThat(profile.total(profile.sampleTypeIndex(ProfileType.LIVE_BYTES))).isPositive();
    }

    /**
     * The names are looked up for sample types only: Go's runtime writes {@code space/bytes} as its heap profile's period
     * type, and a real Go heap profile still reads as its four columns, nothing added (passes before fxe too: a guard).
     */
    @Test
    void goHeapProfilesPeriodTypeIsNoColumn() throws Exception {
        Profile go = ProfileFiles.read(Path.of("../canary-judge/src/test/resources/go-pprof/b1/heap.pb.gz"),
                ReadOptions.defaults()).get(0);

        assertThat(go.sampleTypes()).extracting(SampleType::type)
                .containsExactly("alloc_objects", "alloc_space", "inuse_objects", "inuse_space");
        assertThat(go.sampleTypes()).extracting(SampleType::profileType).containsExactly(ProfileType.ALLOC_OBJECTS,
                ProfileType.ALLOC_BYTES, ProfileType.LIVE_OBJECTS, ProfileType.LIVE_BYTES);
        // should a producer write both names, the inuse_* column is the one judged
        assertThat(PprofSampleTypes.rank("inuse_space", "bytes")).isLessThan(PprofSampleTypes.rank("space", "bytes"));
        assertThat(PprofSampleTypes.rank("inuse_objects", "count"))
                .isLessThan(PprofSampleTypes.rank("objects", "count"));
    }
}
