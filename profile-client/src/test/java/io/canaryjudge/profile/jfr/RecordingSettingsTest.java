package io.canaryjudge.profile.jfr;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.canaryjudge.profile.InvalidProfileException;
import io.canaryjudge.profile.Profile;
import io.canaryjudge.profile.ProfileFiles;
import io.canaryjudge.profile.ProfileType;
import io.canaryjudge.profile.ReadOptions;
import io.canaryjudge.profile.SamplingSetting;
import io.canaryjudge.profile.SharedFixtures;
import io.canaryjudge.profile.testing.WorkloadRecording;
import java.nio.file.Files;
import java.util.List;
import java.util.Set;
import org.junit.jupiter.api.Test;

/**
 * What the readers take from how a profile was recorded, on real profiles: async-profiler's own JFR recordings
 * ({@link WorkloadRecording}: {@code event=itimer}, 10 ms, {@code alloc=64k}), its 2.10 recording in the shared
 * fixtures (TLAB-driven allocation events on JDK 8) and Pyroscope's pprof.
 */
class RecordingSettingsTest {

    /**
     * async-profiler 4.2 samples allocations every {@code alloc} bytes and weighs each sample max(interval, size): its
     * events counted are alloc_bytes / interval, not objects, so the reader gives no alloc_objects and says why.
     */
    @Test
    void asyncProfilerAllocationSamplesGiveBytesButNoObjectCount() throws Exception {
        WorkloadRecording.Recording recording = WorkloadRecording.shared();
        Profile profile = JfrFixtures.readOne(Files.readAllBytes(recording.jfr()), "synthetic-workload.jfr");

        assertThat(profile.profileTypes()).contains(ProfileType.CPU, ProfileType.ALLOC_BYTES)
                .doesNotContain(ProfileType.ALLOC_OBJECTS);
        int bytes = profile.sampleTypeIndex(ProfileType.ALLOC_BYTES);
        // the fact behind it: every sample weighs at least the interval
        assertThat(profile.total(bytes)).isGreaterThanOrEqualTo(profile.sampleCount(bytes) * 65_536L);
        assertThat(profile.leftOutTypes()).containsOnlyKeys(ProfileType.ALLOC_OBJECTS);
        assertThat(profile.leftOutTypes().get(ProfileType.ALLOC_OBJECTS))
                .isEqualTo("async-profiler sampled allocations every 65536 bytes (alloc), each sample weighing at least"
                        + " that: their count is alloc_bytes / 65536, not a number of objects, so alloc_bytes alone is judged");
    }

    @Test
    void askingForObjectCountsAloneOfSuchARecordingIsAnErrorSayingWhy() {
        WorkloadRecording.Recording recording = WorkloadRecording.shared();
        assertThatThrownBy(() -> ProfileFiles.read(recording.jfr(),
                ReadOptions.defaults().withTypes(Set.of(ProfileType.ALLOC_OBJECTS))))
                .isInstanceOf(InvalidProfileException.class)
                .hasMessageContaining("no alloc_objects: async-profiler sampled allocations every 65536 bytes");
    }

    /** async-profiler 2.10 on JDK 8 wrote one event per new TLAB (228 KiB, 2.8 MiB, ...): kept as Pyroscope reads it. */
    @Test
    void tlabDrivenAllocationEventsKeepTheirObjectCounts() throws Exception {
        Profile profile = JfrFixtures.readOne(JfrFixtures.recording("async-profiler"), "async-profiler");

        assertThat(profile.profileTypes()).contains(ProfileType.ALLOC_BYTES, ProfileType.ALLOC_OBJECTS);
        assertThat(profile.leftOutTypes()).isEmpty();
    }

    @Test
    void cpuSamplingIsWhatTheRecordingDeclares() throws Exception {
        WorkloadRecording.Recording recording = WorkloadRecording.shared();
        Profile recorded = JfrFixtures.readOne(Files.readAllBytes(recording.jfr()), "synthetic-workload.jfr");
        assertThat(recorded.cpuSampling()).isEqualTo(new SamplingSetting("async-profiler event=itimer", 10_000_000L));

        // async-profiler 2.10, event=cpu on perf_events (it wrote no engine then)
        Profile fixture = JfrFixtures.readOne(JfrFixtures.recording("async-profiler"), "async-profiler");
        assertThat(fixture.cpuSampling()).isEqualTo(new SamplingSetting("async-profiler event=cpu", 10_000_000L));
        assertThat(fixture.cpuSampling().differsFrom(recorded.cpuSampling())).isTrue();
        assertThat(new SamplingSetting("async-profiler event=itimer", 5_000_000L).differsFrom(recorded.cpuSampling()))
                .isTrue();

        // Pyroscope's merged pprof declares period 1 s and no sample count: nothing about how it was sampled
        List<Profile> pprof = ProfileFiles.read(SharedFixtures.kafkaPprof().get(0), ReadOptions.defaults());
        assertThat(pprof.get(0).cpuSampling()).isNull();
    }
}
