package io.canaryjudge.profile.source.pyroscope;

import static io.canaryjudge.profile.source.pyroscope.PyroscopeTestData.bytes;
import static io.canaryjudge.profile.source.pyroscope.PyroscopeTestData.functionTotals;
import static io.canaryjudge.profile.source.pyroscope.PyroscopeTestData.kafkaSlices;
import static io.canaryjudge.profile.source.pyroscope.PyroscopeTestData.read;
import static io.canaryjudge.profile.source.pyroscope.PyroscopeTestData.summed;
import static org.assertj.core.api.Assertions.assertThat;

import io.canaryjudge.profile.Profile;
import io.canaryjudge.profile.ProfileFiles;
import io.canaryjudge.profile.ProfileType;
import io.canaryjudge.profile.ReadOptions;
import io.canaryjudge.profile.SampleType;
import io.canaryjudge.profile.SharedFixtures;
import io.canaryjudge.profile.source.LabelMatcher;
import io.canaryjudge.profile.source.ProfileSelector;
import io.canaryjudge.profile.source.SliceProfile;
import io.canaryjudge.profile.source.SourceInstance;
import io.canaryjudge.profile.source.TimeWindow;
import io.canaryjudge.profile.AsyncProfilerConversions;
import io.canaryjudge.profile.testing.JfrParserAnswers;
import io.canaryjudge.profile.testing.WorkloadRecording;
import io.canaryjudge.profile.testing.PyroscopeStandIn;
import io.canaryjudge.profile.testing.PyroscopeStandIn.Route;
import java.net.URI;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.Map;
import java.util.function.UnaryOperator;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/**
 * The Pyroscope source against the stand-in over real HTTP on loopback, with real profiles: Pyroscope's
 * own conversions of four Kafka slices, and async-profiler recordings of the repo's scenarios.
 */
class PyroscopeSourceTest {
    static final Instant T0 = Instant.parse("2026-11-25T10:00:00Z");
    static final Duration WAIT = Duration.ofSeconds(30);

    private PyroscopeStandIn pyroscope;
    private PyroscopeSource source;

    @BeforeEach
    void start() {
        pyroscope = PyroscopeStandIn.start();
    }

    @AfterEach
    void stop() {
        if (source != null) {
            source.close();
        }
        pyroscope.close();
    }

    private PyroscopeSource source(UnaryOperator<PyroscopeConnection> settings) {
        source = new PyroscopeSource(settings.apply(PyroscopeConnection.to(URI.create(pyroscope.url()))), 4);
        return source;
    }

    private static Map<String, String> kafkaPod(String pod) {
        return Map.of("service_name", "kafka", "pod", pod, "namespace", "cortex-dev-01");
    }

    /** Slices 0..3 at T0 + 10 s * i for kafka-0; kafka-1 gets them rotated by one, so the pods differ. */
    private void storeKafka() {
        List<Path> slices = kafkaSlices();
        for (int i = 0; i < 4; i++) {
            Instant at = T0.plusSeconds(10L * i);
            pyroscope.addProfile(kafkaPod("kafka-0"), at, at.plusSeconds(10), slices.get(i));
            pyroscope.addProfile(kafkaPod("kafka-1"), at, at.plusSeconds(10), slices.get((i + 1) % 4));
        }
    }

    private static List<SliceProfile> fetch(PyroscopeSource source, String pod, ProfileType type, TimeWindow window,
                                            Duration slice) {
        List<SliceProfile> profiles = source.profiles(new ProfileSelector("kafka", List.of()),
                new SourceInstance(pod, null), type, window.split(slice)).collectList().block(WAIT);
        assertThat(profiles).isNotNull();
        return profiles;
    }

    @Test
    void severalPodsAndSlicesGiveTheSameFunctionTotalsAsTheFiles() {
        storeKafka();
        source(c -> c);
        List<Path> files = kafkaSlices();
        TimeWindow window = new TimeWindow(T0, T0.plusSeconds(40));

        for (int pod = 0; pod < 2; pod++) {
            List<SliceProfile> slices = fetch(source, "kafka-" + pod, ProfileType.CPU, window, Duration.ofSeconds(10));
            assertThat(slices).extracting(SliceProfile::window).containsExactlyElementsOf(window.split(Duration.ofSeconds(10)));
            for (int i = 0; i < 4; i++) {
                SliceProfile slice = slices.get(i);
                Profile file = read(files.get((i + pod) % 4));
                assertThat(slice.instance()).isEqualTo("kafka-" + pod);
                assertThat(slice.truncated()).isFalse();
                assertThat(slice.requests()).isNull();
                // A profile stamped on a slice boundary belongs to one slice only: exact equality with one file.
                assertThat(functionTotals(slice.profile(), ProfileType.CPU))
                        .as("pod %d slice %d", pod, i)
                        .isEqualTo(functionTotals(file, ProfileType.CPU));
            }
        }
        // Binary requests, each asking for [slice start, slice end - 1 ms], and no node limit.
        List<PyroscopeStandIn.Call> calls = pyroscope.calls(Route.SELECT_MERGE_PROFILE);
        assertThat(calls).hasSize(8).allSatisfy(call -> {
            assertThat(call.contentType()).startsWith("application/proto");
            assertThat(call.profileTypeId()).isEqualTo("process_cpu:cpu:nanoseconds:cpu:nanoseconds");
            assertThat(call.endMs() - call.startMs()).isEqualTo(9_999);
            assertThat(call.maxNodes()).isNull();
            assertThat(call.headers()).containsEntry("connect-protocol-version", "1").doesNotContainKey("x-scope-orgid")
                    .containsEntry("accept-encoding", "gzip");
        });
    }

    @Test
    void aLongerSliceMergesTheProfilesInIt() {
        storeKafka();
        source(c -> c);
        List<Path> files = kafkaSlices();

        List<SliceProfile> slices = fetch(source, "kafka-0", ProfileType.CPU, new TimeWindow(T0, T0.plusSeconds(40)),
                Duration.ofSeconds(20));

        assertThat(slices).hasSize(2);
        assertThat(functionTotals(slices.get(0).profile(), ProfileType.CPU))
                .isEqualTo(summed(List.of(read(files.get(0)), read(files.get(1))), ProfileType.CPU));
        assertThat(functionTotals(slices.get(1).profile(), ProfileType.CPU))
                .isEqualTo(summed(List.of(read(files.get(2)), read(files.get(3))), ProfileType.CPU));
    }

    @Test
    void slicesWithoutDataAreLeftOutNotErrors() {
        storeKafka();
        source(c -> c);

        List<SliceProfile> slices = fetch(source, "kafka-0", ProfileType.CPU,
                new TimeWindow(T0.minusSeconds(20), T0.plusSeconds(60)), Duration.ofSeconds(10));

        assertThat(slices).extracting(s -> s.window().start())
                .containsExactly(T0, T0.plusSeconds(10), T0.plusSeconds(20), T0.plusSeconds(30));
        assertThat(pyroscope.calls(Route.SELECT_MERGE_PROFILE)).hasSize(8);
    }

    @Test
    void instancesAreThePodsWithProfilesInTheWindowFirstSeenWithinOneStep() {
        byte[] cpu = bytes(kafkaSlices().get(0));
        Map<String, String> old = kafkaPod("kafka-old");
        pyroscope.addProfile(old, T0.minus(Duration.ofMinutes(40)), T0.minus(Duration.ofMinutes(40)).plusSeconds(10), cpu);
        pyroscope.addProfile(old, T0.minus(Duration.ofMinutes(5)), T0.minus(Duration.ofMinutes(5)).plusSeconds(10), cpu);
        pyroscope.addProfile(old, T0, T0.plusSeconds(10), cpu);
        Map<String, String> young = kafkaPod("kafka-young");
        pyroscope.addProfile(young, T0.plusSeconds(25), T0.plusSeconds(35), cpu);
        pyroscope.addProfile(young, T0.plusSeconds(35), T0.plusSeconds(45), cpu);
        pyroscope.addProfile(kafkaPod("kafka-gone"), T0.minusSeconds(120), T0.minusSeconds(110), cpu);
        pyroscope.addProfile(kafkaPod("kafka-later"), T0.plusSeconds(60), T0.plusSeconds(70), cpu);
        pyroscope.addProfile(Map.of("service_name", "zookeeper", "pod", "zk-0"), T0, T0.plusSeconds(10), cpu);
        source(c -> c);

        List<SourceInstance> instances = source.instances(new ProfileSelector("kafka", List.of()), ProfileType.CPU,
                new TimeWindow(T0, T0.plusSeconds(60))).block(WAIT);

        assertThat(instances).extracting(SourceInstance::name).containsExactly("kafka-old", "kafka-young");
        // Older than the 15 min lookback: first seen within a step of the earliest profile inside it.
        assertThat(instances.get(0).firstSeen())
                .isBetween(T0.minus(Duration.ofMinutes(5)), T0.minus(Duration.ofMinutes(5)).plusSeconds(10));
        // Started inside the window: never reported earlier than its first profile, at most a step later.
        assertThat(instances.get(1).firstSeen()).isBetween(T0.plusSeconds(25), T0.plusSeconds(35));

        PyroscopeStandIn.Call call = pyroscope.calls(Route.SELECT_SERIES).get(0);
        assertThat(call.contentType()).startsWith("application/json");
        assertThat(call.groupBy()).containsExactly("pod");
        assertThat(call.stepSeconds()).isEqualTo(10.0);
        assertThat(call.selector()).isEqualTo(Map.of("service_name", "kafka"));
        assertThat(Instant.ofEpochMilli(call.startMs())).isBefore(T0.minus(Duration.ofMinutes(15)));
        assertThat(call.endMs()).isGreaterThanOrEqualTo(T0.plusSeconds(60).toEpochMilli() - 1);
    }

    /**
     * A pod restarted under the same name (or whose profiler did not upload) has steps without a profile between steps
     * with profiles: its silences, each from the end of the last step with profiles to the end of the first with
     * profiles again. Profiles every 10 s are none.
     */
    @Test
    void instancesSayWhereAPodsProfilesPausedAndResumed() {
        byte[] cpu = bytes(kafkaSlices().get(0));
        Map<String, String> restarted = kafkaPod("kafka-restarted");
        for (int s : new int[] {-30, -20, -10, 0, 10, 40, 50}) {
            pyroscope.addProfile(restarted, T0.plusSeconds(s), T0.plusSeconds(s + 10), cpu);
        }
        Map<String, String> steady = kafkaPod("kafka-steady");
        for (int s = -30; s < 60; s += 10) {
            pyroscope.addProfile(steady, T0.plusSeconds(s), T0.plusSeconds(s + 10), cpu);
        }
        // Uploads every 10 s that drifted across a bucket's edge: two in one step, none in the next. Not a pause.
        Map<String, String> drifting = kafkaPod("kafka-drifting");
        for (int s : new int[] {-30, -20, -10, 0, 11, 19, 30, 40, 50}) {
            pyroscope.addProfile(drifting, T0.plusSeconds(s), T0.plusSeconds(s + 10), cpu);
        }
        source(c -> c);

        List<SourceInstance> instances = source.instances(new ProfileSelector("kafka", List.of()), ProfileType.CPU,
                new TimeWindow(T0, T0.plusSeconds(60))).block(WAIT);

        assertThat(instances).extracting(SourceInstance::name)
                .containsExactly("kafka-drifting", "kafka-restarted", "kafka-steady");
        assertThat(instances.get(0).silences()).isEmpty();
        assertThat(instances.get(1).silences()).hasSize(1);
        TimeWindow silence = instances.get(1).silences().get(0);
        // The last profile before it was stamped T0 + 10 s, the first after it T0 + 40 s: each within a step.
        assertThat(silence.start()).isBetween(T0.plusSeconds(10), T0.plusSeconds(20));
        assertThat(silence.end()).isBetween(T0.plusSeconds(40), T0.plusSeconds(50));
        assertThat(instances.get(2).silences()).isEmpty();
    }

    @Test
    void instancesOfAnEmptyWindowAreAnEmptyList() {
        storeKafka();
        source(c -> c);

        List<SourceInstance> instances = source.instances(new ProfileSelector("kafka", List.of()), ProfileType.CPU,
                new TimeWindow(T0.plus(Duration.ofHours(2)), T0.plus(Duration.ofHours(3)))).block(WAIT);

        assertThat(instances).isEmpty();
    }

    @Test
    void asyncProfilerRecordingsOfSeveralPodsAndSlicesReadAsTheirFiles() {
        // Two recorded pods of a scenario: async-profiler 4.2 CPU samples written as Pyroscope-style pprof.
        Instant start = T0;
        Duration slice = Duration.ofSeconds(6);
        int sliceCount = 0;
        for (String pod : List.of("pod-1", "pod-2")) {
            Map<String, String> labels = Map.of("service_name", "shop", "pod", pod, "rollouts_pod_template_hash", "7f9b6c5d4");
            sliceCount = pyroscope.addInstance(labels, PyroscopeTestData.scenarioPod("cpu-regression-100/canary/" + pod),
                    start, slice);
        }
        assertThat(sliceCount).isEqualTo(5);
        source(c -> c);
        ProfileSelector canary = new ProfileSelector("shop", List.of(new LabelMatcher("rollouts_pod_template_hash", "7f9b6c5d4")));
        TimeWindow window = new TimeWindow(start, start.plus(slice.multipliedBy(5)));

        List<SourceInstance> instances = source.instances(canary, ProfileType.CPU, window).block(WAIT);
        assertThat(instances).extracting(SourceInstance::name).containsExactly("pod-1", "pod-2");
        for (SourceInstance instance : instances) {
            List<SliceProfile> slices = source.profiles(canary, instance, ProfileType.CPU, window.split(slice))
                    .collectList().block(WAIT);
            assertThat(slices).hasSize(5);
            for (int k = 0; k < 5; k++) {
                Path file = PyroscopeTestData.scenarioPod("cpu-regression-100/canary/" + instance.name())
                        .resolve("slice-" + (k + 1) + ".pb.gz");
                assertThat(functionTotals(slices.get(k).profile(), ProfileType.CPU))
                        .as("%s slice %d", instance.name(), k + 1)
                        .isEqualTo(functionTotals(read(file), ProfileType.CPU));
            }
        }
    }

    @Test
    void aRecordingMadeNowWithAsyncProfilerReadsAsItsFile() throws Exception {
        // Recorded in this JVM by async-profiler 4.2, converted by async-profiler's own pprof converter.
        WorkloadRecording.Recording recording = WorkloadRecording.shared();
        byte[] pprof = AsyncProfilerConversions.pprof(recording.jfr(), "--cpu", "--total");
        pyroscope.addProfile(Map.of("service_name", "synthetic", "pod", "synthetic-0"), T0, T0.plusSeconds(10), pprof);
        source(c -> c);

        SliceProfile slice = source.profiles(new ProfileSelector("synthetic", List.of()), new SourceInstance("synthetic-0", null),
                ProfileType.CPU, List.of(new TimeWindow(T0, T0.plusSeconds(10)))).blockLast(WAIT);

        assertThat(slice).isNotNull();
        Profile file = ProfileFiles.read(pprof, "async-profiler pprof", ReadOptions.defaults()).get(0);
        assertThat(functionTotals(slice.profile(), ProfileType.CPU)).isEqualTo(functionTotals(file, ProfileType.CPU))
                .containsKey("io.canaryjudge.profile.testing.SyntheticWorkload.step");
    }

    @Test
    void allocBytesOfRecordedPodsAsksForBothTlabKindsAndReadsAsTheFiles() {
        Path pod = PyroscopeTestData.scenarioPod("alloc-regression/canary/pod-1");
        Duration slice = Duration.ofSeconds(6);
        pyroscope.addInstance(Map.of("service_name", "shop", "pod", "pod-1"), pod, T0, slice);
        source(c -> c);

        List<SliceProfile> slices = source.profiles(new ProfileSelector("shop", List.of()), new SourceInstance("pod-1", null),
                ProfileType.ALLOC_BYTES, new TimeWindow(T0, T0.plus(slice.multipliedBy(5))).split(slice))
                .collectList().block(WAIT);

        assertThat(slices).hasSize(5);
        for (int k = 0; k < 5; k++) {
            Profile file = read(pod.resolve("slice-" + (k + 1) + ".pb.gz"));
            // The file reader sums the two TLAB columns of one file; the source sums two answers (these
            // recordings have no outside-TLAB allocations: that answer is empty).
            assertThat(functionTotals(slices.get(k).profile(), ProfileType.ALLOC_BYTES))
                    .as("slice %d", k + 1).isEqualTo(functionTotals(file, ProfileType.ALLOC_BYTES));
        }
        assertThat(pyroscope.calls(Route.SELECT_MERGE_PROFILE)).extracting(PyroscopeStandIn.Call::profileTypeId)
                .containsOnly(PyroscopeProfileTypes.ALLOC_NEW_TLAB_BYTES, PyroscopeProfileTypes.ALLOC_OUTSIDE_TLAB_BYTES)
                .hasSize(10);
    }

    @Test
    void allocBytesSumsPyroscopesNewTlabAndOutsideTlabProfiles() throws Exception {
        // What Pyroscope's JFR parser makes of a dd-trace-java recording: one profile per event type.
        Path keys = SharedFixtures.folder("jfr-parser");
        Path newTlab = keys.resolve("dd-trace-java_1_memory_alloc_in_new_tlab_objects__count+alloc_in_new_tlab_bytes__bytes_expected_collapsed.txt.gz");
        Path outsideTlab = keys.resolve("dd-trace-java_2_memory_alloc_outside_tlab_objects__count+alloc_outside_tlab_bytes__bytes_expected_collapsed.txt.gz");
        byte[] newTlabPprof = JfrParserAnswers.pprof(newTlab);
        byte[] outsideTlabPprof = JfrParserAnswers.pprof(outsideTlab);
        Map<String, String> labels = Map.of("service_name", "dd", "pod", "dd-0");
        pyroscope.addProfile(labels, T0, T0.plusSeconds(60), newTlabPprof);
        pyroscope.addProfile(labels, T0, T0.plusSeconds(60), outsideTlabPprof);
        source(c -> c);

        SliceProfile slice = source.profiles(new ProfileSelector("dd", List.of()), new SourceInstance("dd-0", null),
                ProfileType.ALLOC_BYTES, List.of(new TimeWindow(T0, T0.plusSeconds(60)))).blockLast(WAIT);

        assertThat(slice).isNotNull();
        List<Profile> files = List.of(
                ProfileFiles.read(newTlabPprof, "new TLAB", ReadOptions.defaults()).get(0),
                ProfileFiles.read(outsideTlabPprof, "outside TLAB", ReadOptions.defaults()).get(0));
        assertThat(functionTotals(slice.profile(), ProfileType.ALLOC_BYTES)).isEqualTo(summed(files, ProfileType.ALLOC_BYTES));
        assertThat(slice.profile().sampleTypes()).extracting(SampleType::type)
                .containsExactly("alloc_in_new_tlab_bytes+alloc_outside_tlab_bytes");
        // The answer key's own byte totals, independent of any reader: the last value of each line.
        assertThat(slice.profile().total(0)).isEqualTo(answerKeyTotal(newTlab) + answerKeyTotal(outsideTlab));
    }

    @Test
    void lockDelayIsMonitorPlusParkAndFindsParkAlone() throws Exception {
        Path block = SharedFixtures.folder("jfr-parser")
                .resolve("dd-trace-java_0_block_contentions__count+delay__nanoseconds_expected_collapsed.txt.gz");
        byte[] pprof = JfrParserAnswers.pprof(block);
        pyroscope.addProfile(Map.of("service_name", "dd", "pod", "dd-0"), T0, T0.plusSeconds(60), pprof);
        source(c -> c);

        SliceProfile slice = source.profiles(new ProfileSelector("dd", List.of()), new SourceInstance("dd-0", null),
                ProfileType.LOCK_DELAY, List.of(new TimeWindow(T0, T0.plusSeconds(60)))).blockLast(WAIT);

        assertThat(slice).isNotNull();
        assertThat(slice.profile().total(slice.profile().sampleTypeIndex(ProfileType.LOCK_DELAY)))
                .isEqualTo(answerKeyTotal(block));
        assertThat(pyroscope.calls(Route.SELECT_MERGE_PROFILE)).extracting(PyroscopeStandIn.Call::profileTypeId)
                .containsExactly(PyroscopeProfileTypes.MUTEX_DELAY, PyroscopeProfileTypes.BLOCK_DELAY);
    }

    /** Sum of the last value of every line of a jfr-parser answer key ({@code stack [count value]}). */
    private static long answerKeyTotal(Path expectedCollapsed) throws Exception {
        long total = 0;
        try (var in = new java.util.zip.GZIPInputStream(java.nio.file.Files.newInputStream(expectedCollapsed))) {
            for (String line : new String(in.readAllBytes(), java.nio.charset.StandardCharsets.UTF_8).split("\n")) {
                if (!line.isBlank()) {
                    String values = line.substring(line.lastIndexOf('[') + 1, line.lastIndexOf(']')).trim();
                    total += Long.parseLong(values.substring(values.lastIndexOf(' ') + 1));
                }
            }
        }
        assertThat(total).isPositive();
        return total;
    }

    @Test
    void aTruncatedProfileIsFlaggedAndKeepsItsTotal() {
        storeKafka();
        source(c -> c.withMaxNodes(64));
        Profile file = read(kafkaSlices().get(0));

        SliceProfile slice = fetch(source, "kafka-0", ProfileType.CPU, new TimeWindow(T0, T0.plusSeconds(10)),
                Duration.ofSeconds(10)).get(0);

        assertThat(slice.truncated()).isTrue();
        assertThat(pyroscope.calls(Route.SELECT_MERGE_PROFILE).get(0).maxNodes()).isEqualTo(64);
        Map<String, List<Long>> totals = functionTotals(slice.profile(), ProfileType.CPU);
        assertThat(totals).containsKey("other").hasSizeLessThan(functionTotals(file, ProfileType.CPU).size());
        assertThat(slice.profile().total(0)).isEqualTo(file.total(file.sampleTypeIndex(ProfileType.CPU)));
    }

    @Test
    void aTenantThatEnforcesANodeLimitTruncatesUnlessTheLimitIsAskedFor() {
        storeKafka();
        pyroscope.enforceMaxNodes(64, 1 << 20);
        TimeWindow window = new TimeWindow(T0, T0.plusSeconds(10));

        assertThat(fetch(source(c -> c), "kafka-0", ProfileType.CPU, window, Duration.ofSeconds(10)).get(0).truncated())
                .as("absent maxNodes means the tenant's default").isTrue();
        source.close();
        assertThat(fetch(source(c -> c.withMaxNodes(1 << 20)), "kafka-0", ProfileType.CPU, window, Duration.ofSeconds(10))
                .get(0).truncated()).as("the tenant's maximum").isFalse();
    }
}
