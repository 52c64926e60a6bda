package io.canaryjudge.profile.source.pyroscope;

import static io.canaryjudge.profile.source.pyroscope.PyroscopeTestData.kafkaSlices;
import static io.canaryjudge.profile.source.pyroscope.PyroscopeTestData.read;
import static io.canaryjudge.profile.source.pyroscope.PyroscopeTestData.scenarioPod;
import static org.assertj.core.api.Assertions.assertThat;

import io.canaryjudge.profile.Profile;
import io.canaryjudge.profile.ProfileBuilder;
import io.canaryjudge.profile.ProfileFormat;
import io.canaryjudge.profile.ProfileType;
import io.canaryjudge.profile.SampleType;
import io.canaryjudge.profile.SamplingSetting;
import io.canaryjudge.profile.source.ProfileSelector;
import io.canaryjudge.profile.source.SliceProfile;
import io.canaryjudge.profile.source.SourceInstance;
import io.canaryjudge.profile.source.TimeWindow;
import io.canaryjudge.profile.testing.PyroscopeStandIn;
import io.canaryjudge.profile.testing.PyroscopeStandIn.Route;
import java.net.URI;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/**
 * What the Pyroscope source says about how a pod's profiles were recorded, over real HTTP against the stand-in with
 * real profiles: Pyroscope's own conversion of an async-profiler Kafka recording ({@code event=cpu}, the default
 * 10 ms interval; its answer declares period 1 s, as {@code SetProfileMetadata} writes for every process_cpu answer)
 * and the repo's async-profiler scenario recordings ({@code event=cpu}, 1 ms, {@code alloc=2m}). Series carry
 * {@code jfr_event} as Pyroscope's JFR ingestion labels them from the recording's {@code event} setting.
 */
class PyroscopeRecordingSettingsTest {
    static final Instant T0 = Instant.parse("2026-11-25T10:00:00Z");
    static final Duration WAIT = Duration.ofSeconds(30);
    static final TimeWindow WINDOW = new TimeWindow(T0, T0.plusSeconds(40));

    private PyroscopeStandIn pyroscope;
    private PyroscopeSource source;

    @BeforeEach
    void start() {
        pyroscope = PyroscopeStandIn.start();
        source = new PyroscopeSource(PyroscopeConnection.to(URI.create(pyroscope.url())), 4);
    }

    @AfterEach
    void stop() {
        source.close();
        pyroscope.close();
    }

    private static Map<String, String> pod(String pod, String jfrEvent) {
        Map<String, String> labels = new HashMap<>(Map.of("service_name", "kafka", "pod", pod));
        if (jfrEvent != null) {
            labels.put("jfr_event", jfrEvent);
        }
        return labels;
    }

    private void storeKafka(String pod, String jfrEvent) {
        List<Path> slices = kafkaSlices();
        for (int i = 0; i < 4; i++) {
            Instant at = T0.plusSeconds(10L * i);
            pyroscope.addProfile(pod(pod, jfrEvent), at, at.plusSeconds(10), slices.get(i));
        }
    }

    private List<SliceProfile> fetch(String pod, ProfileType type) {
        List<TimeWindow> slices = List.of(new TimeWindow(T0, T0.plusSeconds(20)), new TimeWindow(T0.plusSeconds(20),
                T0.plusSeconds(40)));
        return source.profiles(new ProfileSelector("kafka", List.of()), new SourceInstance(pod, null), type, slices)
                .collectList().block(WAIT);
    }

    @Test
    void theMergedAnswerDeclaresNoIntervalButItsValuesAndTheJfrEventLabelSayHowThePodWasSampled() {
        // The fixture as a file: period 1 s, which is Pyroscope's label for process_cpu, not a sampling setting.
        assertThat(read(kafkaSlices().get(0)).cpuSampling()).isNull();
        storeKafka("kafka-0", "cpu");

        List<SliceProfile> slices = fetch("kafka-0", ProfileType.CPU);

        assertThat(slices).hasSize(2).allSatisfy(slice -> assertThat(slice.profile().cpuSampling())
                .isEqualTo(new SamplingSetting("async-profiler event=cpu", 10_000_000L)));
        assertThat(pyroscope.calls(Route.SELECT_SERIES)).singleElement().satisfies(call -> {
            assertThat(call.groupBy()).containsExactly("jfr_event");
            assertThat(call.selector()).isEqualTo(Map.of("service_name", "kafka", "pod", "kafka-0"));
            assertThat(call.startMs()).isEqualTo(T0.toEpochMilli());
            assertThat(call.endMs()).isEqualTo(T0.plusSeconds(40).toEpochMilli() - 1);
        });
    }

    /**
     * Allocation bytes come from Pyroscope without their sample counts; the objects series beside them counts the
     * samples (one object a sample), and each slice's count is its stored profiles' objects, as a file's events are.
     */
    @Test
    void allocationBytesCarryTheSampleCountsOfTheirObjectsSeries() {
        Path scenario = scenarioPod("baselines/session-1/pod-1");
        long[] objects = new long[2];
        for (int i = 0; i < 4; i++) {
            Instant at = T0.plusSeconds(10L * i);
            Path slice = scenario.resolve("slice-" + (i + 1) + ".pb.gz");
            pyroscope.addProfile(pod("shop-0", "cpu"), at, at.plusSeconds(10), slice);
            Profile stored = read(slice);
            for (int c = 0; c < stored.sampleTypes().size(); c++) {
                if (stored.sampleTypes().get(c).type().endsWith("_objects")) {
                    objects[i / 2] += stored.total(c);
                }
            }
        }

        List<SliceProfile> slices = fetch("shop-0", ProfileType.ALLOC_BYTES);

        assertThat(objects[0]).isPositive();
        assertThat(objects[1]).isPositive();
        assertThat(slices).hasSize(2);
        for (int i = 0; i < 2; i++) {
            Profile profile = slices.get(i).profile();
            assertThat(profile.sampleCount(profile.sampleTypeIndex(ProfileType.ALLOC_BYTES))).isEqualTo(objects[i]);
        }
    }

    /** A Pyroscope that cannot say the counts leaves them unknown; the bytes are fetched as before. */
    @Test
    void allocationBytesWithoutAnObjectsAnswerKeepTheirCountsUnknown() {
        Path scenario = scenarioPod("baselines/session-1/pod-1");
        for (int i = 0; i < 4; i++) {
            Instant at = T0.plusSeconds(10L * i);
            pyroscope.addProfile(pod("shop-0", "cpu"), at, at.plusSeconds(10), scenario.resolve("slice-" + (i + 1) + ".pb.gz"));
        }
        pyroscope.fail(Route.SELECT_SERIES, PyroscopeStandIn.Fault.error(400, "invalid_argument"));

        List<SliceProfile> slices = fetch("shop-0", ProfileType.ALLOC_BYTES);

        assertThat(slices).hasSize(2).allSatisfy(slice -> assertThat(slice.profile()
                .sampleCount(slice.profile().sampleTypeIndex(ProfileType.ALLOC_BYTES))).isEqualTo(-1));
    }

    @Test
    void sampleCountIdsPairEachBytesIdWithItsObjects() {
        assertThat(PyroscopeSource.sampleCountIds(PyroscopeProfileTypes.javaAgent().get(ProfileType.ALLOC_BYTES)))
                .containsExactly(PyroscopeProfileTypes.ALLOC_NEW_TLAB_OBJECTS, PyroscopeProfileTypes.ALLOC_OUTSIDE_TLAB_OBJECTS);
        assertThat(PyroscopeSource.sampleCountIds(PyroscopeProfileTypes.jdkSampler().get(ProfileType.ALLOC_BYTES)))
                .containsExactly(PyroscopeProfileTypes.ALLOC_SAMPLE_OBJECTS);
        assertThat(PyroscopeSource.sampleCountIds(List.of("memory:custom:bytes:space:bytes"))).isEmpty();
    }

    @Test
    void podsSampledAtDifferentIntervalsDiffer() {
        storeKafka("kafka-0", "cpu");
        Path scenario = scenarioPod("baselines/session-1/pod-1");
        for (int i = 0; i < 4; i++) {
            Instant at = T0.plusSeconds(10L * i);
            pyroscope.addProfile(pod("shop-0", "cpu"), at, at.plusSeconds(10), scenario.resolve("slice-" + (i + 1) + ".pb.gz"));
        }

        SamplingSetting kafka = fetch("kafka-0", ProfileType.CPU).get(0).profile().cpuSampling();
        SamplingSetting shop = fetch("shop-0", ProfileType.CPU).get(0).profile().cpuSampling();

        assertThat(shop).isEqualTo(new SamplingSetting("async-profiler event=cpu", 1_000_000L));
        assertThat(shop.differsFrom(kafka)).as("1 ms against 10 ms").isTrue();
    }

    @Test
    void withoutTheLabelTheEngineIsUnknownAndTheIntervalStillShows() {
        storeKafka("kafka-0", null);

        assertThat(fetch("kafka-0", ProfileType.CPU)).allSatisfy(slice -> assertThat(slice.profile().cpuSampling())
                .isEqualTo(new SamplingSetting(null, 10_000_000L)));
    }

    /**
     * The jfr_event query is a caveat, not the data: a Pyroscope refusing it (here a 400 to every SelectSeries, as a
     * querier that does not know the label could answer) leaves the engine unknown and the slices are fetched.
     */
    @Test
    void aRefusedJfrEventQueryLeavesTheEngineUnknownAndTheSlicesFetched() {
        storeKafka("kafka-0", "cpu");
        pyroscope.fail(Route.SELECT_SERIES, PyroscopeStandIn.Fault.error(400, "invalid_argument"));

        assertThat(fetch("kafka-0", ProfileType.CPU)).hasSize(2).allSatisfy(slice -> assertThat(slice.profile()
                .cpuSampling()).isEqualTo(new SamplingSetting(null, 10_000_000L)));
        assertThat(pyroscope.calls(Route.SELECT_SERIES)).hasSize(1);
    }

    /** stack values in nanoseconds → a profile with one cpu column, one stack of one function per value */
    private static Profile cpuProfile(long... values) throws Exception {
        ProfileBuilder builder = new ProfileBuilder("test", ProfileFormat.PPROF,
                List.of(new SampleType("cpu", "nanoseconds", ProfileType.CPU)), 64);
        for (int i = 0; i < values.length; i++) {
            builder.add(builder.stack(new int[] {builder.function("f" + i)}, 1, 0), 0, values[i]);
        }
        return builder.build();
    }

    /**
     * The interval is read only where the values show it: a few stacks that all hold two samples would make 20 ms of
     * a 10 ms interval, so under 5 stacks at the common divisor say nothing; values that are no multiples of an
     * interval (a divisor under 1 µs) say nothing either.
     */
    @Test
    void theIntervalIsReadOnlyWhereTheValuesShowIt() throws Exception {
        assertThat(PyroscopeRecordingSettings.intervalNanos(cpuProfile(20_000_000L, 20_000_000L, 40_000_000L,
                20_000_000L, 60_000_000L))).isZero();
        assertThat(PyroscopeRecordingSettings.intervalNanos(cpuProfile(10_000_000L, 10_000_000L, 30_000_000L,
                10_000_000L, 10_000_000L, 10_000_000L, 20_000_000L))).isEqualTo(10_000_000L);
        assertThat(PyroscopeRecordingSettings.intervalNanos(cpuProfile(1_000_003L, 2_000_001L, 997L, 997L, 997L, 997L,
                997L))).isZero();
        assertThat(PyroscopeRecordingSettings.cpuSampling(cpuProfile(20_000_000L, 40_000_000L), java.util.Set.of()))
                .isNull();
    }

    @Test
    void allocObjectsOfAsyncProfilerRecordingsCarryTheCaveatThatTheyCountSamples() {
        Path scenario = scenarioPod("baselines/session-4/pod-1");
        for (int i = 0; i < 4; i++) {
            Instant at = T0.plusSeconds(10L * i);
            Path file = scenario.resolve("slice-" + (i + 1) + ".pb.gz");
            pyroscope.addProfile(pod("shop-ap", "cpu"), at, at.plusSeconds(10), file);
            pyroscope.addProfile(pod("shop-jdk", null), at, at.plusSeconds(10), file);
        }

        List<SliceProfile> asyncProfiler = fetch("shop-ap", ProfileType.ALLOC_OBJECTS);
        assertThat(asyncProfiler).hasSize(2).allSatisfy(slice -> {
            Profile profile = slice.profile();
            assertThat(profile.sampleTypeIndex(ProfileType.ALLOC_OBJECTS)).isGreaterThanOrEqualTo(0);
            assertThat(profile.caveats().get(ProfileType.ALLOC_OBJECTS))
                    .startsWith("it counts async-profiler's allocation samples, not objects")
                    .contains("jfr_event=cpu");
        });
        // No jfr_event: not async-profiler's recording (the JDK's own TLAB events), kept as it is, as the JFR reader does.
        assertThat(fetch("shop-jdk", ProfileType.ALLOC_OBJECTS)).hasSize(2)
                .allSatisfy(slice -> assertThat(slice.profile().caveats()).isEmpty());
        // alloc_bytes is what the caveat points to: no caveat there, and no jfr_event call for it (only its objects
        // series' counts, which count its samples)
        pyroscope.clearCalls();
        assertThat(fetch("shop-ap", ProfileType.ALLOC_BYTES)).allSatisfy(slice -> assertThat(slice.profile().caveats())
                .isEmpty());
        assertThat(pyroscope.calls(Route.SELECT_SERIES)).isNotEmpty().allSatisfy(call -> {
            assertThat(call.groupBy()).doesNotContain("jfr_event");
            assertThat(call.profileTypeId()).contains("_objects:count:");
        });
    }
}
