package io.canaryjudge.fxf;

import static org.assertj.core.api.Assertions.assertThat;

import io.canaryjudge.profile.Profile;
import io.canaryjudge.profile.ProfileType;
import io.canaryjudge.profile.source.ProfileSelector;
import io.canaryjudge.profile.source.SliceProfile;
import io.canaryjudge.profile.source.SourceInstance;
import io.canaryjudge.profile.source.TimeWindow;
import io.canaryjudge.profile.source.pyroscope.PyroscopeConnection;
import io.canaryjudge.profile.source.pyroscope.PyroscopeProfileTypes;
import io.canaryjudge.profile.source.pyroscope.PyroscopeSource;
import io.canaryjudge.profile.testing.PyroscopeStandIn;
import io.canaryjudge.profile.testing.PyroscopeStandIn.Fault;
import io.canaryjudge.profile.testing.PyroscopeStandIn.Route;
import java.net.URI;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.StringJoiner;
import java.util.TreeMap;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/**
 * Gauges (Go's goroutine and heap {@code inuse_*} profiles) as Pyroscope holds them: the Go SDK uploads every 15 s, and
 * {@code SelectMergeProfile} adds up every upload in the range, so a one-minute slice answers four snapshots summed.
 * The stand-in merges stored profiles as Pyroscope does (identical stacks added). The snapshots are real: qa87's HTTP/2
 * pod r1 (bench/go-pod), one goroutine and one heap profile a minute. Before fxf every slice below was judged four times
 * the goroutines and live bytes of the one-upload pod.
 */
class GaugeUploadsThroughPyroscopeTest {
    static final Path R1 = Path.of("src", "test", "resources", "qa87", "pods", "r1");
    static final Instant T0 = Instant.parse("2026-12-01T10:00:00Z");
    static final Duration SLICE = Duration.ofMinutes(1);
    static final Duration UPLOAD = Duration.ofSeconds(15);
    static final Duration WAIT = Duration.ofSeconds(30);

    private PyroscopeStandIn pyroscope;
    private PyroscopeSource source;

    @BeforeEach
    void start() {
        pyroscope = PyroscopeStandIn.start();
        source = new PyroscopeSource(PyroscopeConnection.to(URI.create(pyroscope.url()))
                .withProfileTypeIds(PyroscopeProfileTypes.goSdk()), 4);
    }

    @AfterEach
    void stop() {
        source.close();
        pyroscope.close();
    }

    private static Map<String, String> pod(String name) {
        return Map.of("service_name", "gopod", "pod", name);
    }

    /** Minute {@code minute}'s goroutine and heap snapshots of r1 as one upload stamped {@code at}. */
    private void upload(String podName, int minute, Instant at, Duration length) {
        String n = String.format("%02d", minute);
        pyroscope.addProfile(pod(podName), at, at.plus(length), R1.resolve("goroutine-" + n + ".pb.gz"));
        pyroscope.addProfile(pod(podName), at, at.plus(length), R1.resolve("heap-" + n + ".pb.gz"));
    }

    private List<SliceProfile> fetch(String podName, ProfileType type, int slices) {
        List<TimeWindow> windows = new ArrayList<>();
        for (int i = 0; i < slices; i++) {
            windows.add(new TimeWindow(T0.plus(SLICE.multipliedBy(i)), T0.plus(SLICE.multipliedBy(i + 1))));
        }
        return source.profiles(new ProfileSelector("gopod", List.of()), new SourceInstance(podName, null), type,
                windows).collectList().block(WAIT);
    }

    /** Each stack (frames and labels) of {@code type}'s column with its value. */
    private static Map<String, Long> stacks(Profile profile, ProfileType type) {
        int column = profile.sampleTypeIndex(type);
        Map<String, Long> stacks = new TreeMap<>();
        for (int s = 0; s < profile.stackCount(); s++) {
            StringJoiner key = new StringJoiner(";", "", " " + profile.labels(s));
            for (int d = 0; d < profile.stackDepth(s); d++) {
                key.add(profile.functionName(profile.stackFunction(s, d)));
            }
            long value = profile.value(s, column);
            if (value != 0) {
                stacks.merge(key.toString(), value, Long::sum);
            }
        }
        return stacks;
    }

    /**
     * The same minute's snapshot uploaded four times in a slice (as four uploads of a gauge that held still) is judged
     * as the one upload of it: stack for stack, goroutines, live bytes and live objects. Fails before fxf (4x).
     */
    @Test
    void fourUploadsOfOneSnapshotAreJudgedAsTheSnapshot() {
        for (int minute = 5; minute < 8; minute++) {
            Instant slice = T0.plus(SLICE.multipliedBy(minute - 5));
            upload("one", minute, slice, SLICE);
            for (int u = 0; u < 4; u++) {
                upload("four", minute, slice.plus(UPLOAD.multipliedBy(u)), UPLOAD);
            }
        }
        for (ProfileType type : List.of(ProfileType.GOROUTINES, ProfileType.LIVE_BYTES, ProfileType.LIVE_OBJECTS)) {
            List<SliceProfile> one = fetch("one", type, 3);
            List<SliceProfile> four = fetch("four", type, 3);

            assertThat(four).as(type.id()).hasSize(3);
            for (int i = 0; i < 3; i++) {
                Profile expected = one.get(i).profile();
                Profile actual = four.get(i).profile();
                assertThat(actual.total(actual.sampleTypeIndex(type))).as(type.id() + " slice " + i)
                        .isEqualTo(expected.total(expected.sampleTypeIndex(type))).isPositive();
                assertThat(stacks(actual, type)).as(type.id()).isEqualTo(stacks(expected, type));
                assertThat(actual.caveats()).as(type.id()).isEmpty();
            }
        }
    }

    /**
     * Four different consecutive snapshots (minutes 5-8) uploaded in one slice: the slice is their mean, each stack's
     * sum over the four one-upload slices divided by 4. Fails before fxf (the sum).
     */
    @Test
    void fourDifferentSnapshotsInASliceAreJudgedAsTheirMean() {
        for (int u = 0; u < 4; u++) {
            upload("one", 5 + u, T0.plus(SLICE.multipliedBy(u)), SLICE);
            upload("four", 5 + u, T0.plus(UPLOAD.multipliedBy(u)), UPLOAD);
        }
        for (ProfileType type : List.of(ProfileType.GOROUTINES, ProfileType.LIVE_BYTES)) {
            Map<String, Long> sum = new TreeMap<>();
            for (SliceProfile slice : fetch("one", type, 4)) {
                stacks(slice.profile(), type).forEach((stack, value) -> sum.merge(stack, value, Long::sum));
            }
            Map<String, Long> mean = new TreeMap<>();
            sum.forEach((stack, value) -> {
                long rounded = Math.round(value / 4.0);
                if (rounded != 0) {
                    mean.put(stack, rounded);
                }
            });

            List<SliceProfile> four = fetch("four", type, 1);

            assertThat(four).hasSize(1);
            assertThat(stacks(four.get(0).profile(), type)).as(type.id()).isEqualTo(mean);
        }
    }

    /**
     * When Pyroscope cannot say how many uploads a slice merged, the slice is kept as fetched and says so: a caveat that
     * reaches the verdict's warnings, never a silent multiple of the gauge.
     */
    @Test
    void anUnknownNumberOfUploadsIsACaveatNotASilentMultiple() {
        for (int u = 0; u < 4; u++) {
            upload("four", 5, T0.plus(UPLOAD.multipliedBy(u)), UPLOAD);
        }
        pyroscope.fail(Route.SELECT_SERIES, Fault.error(503, "unavailable"));

        List<SliceProfile> four = fetch("four", ProfileType.GOROUTINES, 1);

        assertThat(four).hasSize(1);
        assertThat(four.get(0).profile().caveats().get(ProfileType.GOROUTINES))
                .contains("could not say how many it merged");
    }
}
