package io.canaryjudge.profile.source.pyroscope;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.tuple;

import io.canaryjudge.profile.Profile;
import io.canaryjudge.profile.ProfileFiles;
import io.canaryjudge.profile.ProfileType;
import io.canaryjudge.profile.ReadOptions;
import io.canaryjudge.profile.source.LabelMatcher;
import io.canaryjudge.profile.source.ProfileSelector;
import io.canaryjudge.profile.source.SliceProfile;
import io.canaryjudge.profile.source.SourceInstance;
import io.canaryjudge.profile.source.TimeWindow;
import io.canaryjudge.profile.testing.PyroscopeStandIn;
import io.canaryjudge.profile.testing.PyroscopeStandIn.Call;
import io.canaryjudge.profile.testing.PyroscopeStandIn.Fault;
import io.canaryjudge.profile.testing.PyroscopeStandIn.Route;
import java.net.URI;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.util.Comparator;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/**
 * A Node wall slice whose {@code samples/count} query fails or times out is kept, judged with its nanoseconds as its
 * samples, and says so: under load (qa93) such slices read "could not detect any rise" where compare, which counts the
 * samples, says 80-91 % detectable, with nothing telling the user. The wall profiles are qa76's Node SDK uploads (a
 * {@code samples/count} column beside wall), served by the stand-in over loopback HTTP; the count query of the first
 * slice only is made to fail, so the second slice shows what a read count gives.
 */
class PyroscopeWallCountUnreadTest {
    static final Instant T0 = Instant.parse("2026-12-07T10:00:00Z");
    static final Duration MINUTE = Duration.ofMinutes(1);
    static final Path QA76 = Path.of("../canary-judge/src/test/resources/qa76/pods/b1");
    static final String COUNT_ID = "wall:samples:count:wall:nanoseconds";

    private PyroscopeStandIn pyroscope;
    private PyroscopeSource source;

    @BeforeEach
    void start() {
        pyroscope = PyroscopeStandIn.start();
        Map<String, String> node = Map.of("service_name", "shop", "pod", "shop-1", "rollouts_pod_template_hash", "a");
        for (int i = 0; i < 2; i++) {
            Instant at = T0.plus(MINUTE.multipliedBy(i));
            pyroscope.addProfile(node, at, at.plus(MINUTE), QA76.resolve("wall-00" + (i + 2) + ".pb.gz"));
        }
    }

    @AfterEach
    void stop() {
        if (source != null) {
            source.close();
        }
        pyroscope.close();
    }

    @Test
    void aFailedCountQueryLeavesACaveatOnThatSliceOnly() throws Exception {
        // a loaded machine (two cores shared by several builds) answers the first calls slowly
        source = new PyroscopeSource(PyroscopeConnection.to(URI.create(pyroscope.url()))
                .withTimeout(Duration.ofSeconds(60)), 4);
        pyroscope.fail(Route.SELECT_MERGE_PROFILE, Fault.error(503, "unavailable").onlyForProfileType(COUNT_ID)
                .endingBy(T0.plus(MINUTE)));

        List<SliceProfile> profiles = wall();

        assertFirstSliceCaveatedSecondCounted(profiles, Fault.Kind.ERROR);
    }

    /** qa93's case: the count query of a slice outlasts the source's timeout while the wall queries answered. */
    @Test
    void aTimedOutCountQueryLeavesACaveatOnThatSliceOnly() throws Exception {
        // 15 s: ample for a loopback stand-in's wall answers on a loaded machine, far below the 120 s delay
        source = new PyroscopeSource(PyroscopeConnection.to(URI.create(pyroscope.url()))
                .withTimeout(Duration.ofSeconds(15)), 4);
        pyroscope.fail(Route.SELECT_MERGE_PROFILE, Fault.delay(Duration.ofSeconds(120)).onlyForProfileType(COUNT_ID)
                .endingBy(T0.plus(MINUTE)));

        List<SliceProfile> profiles = wall();

        assertFirstSliceCaveatedSecondCounted(profiles, Fault.Kind.DELAY);
    }

    private void assertFirstSliceCaveatedSecondCounted(List<SliceProfile> profiles, Fault.Kind fault)
            throws Exception {
        assertThat(profiles).hasSize(2);
        // the fault hit the first slice's count query only, not a wall query
        assertThat(pyroscope.calls(Route.SELECT_MERGE_PROFILE)).filteredOn(c -> c.fault() != null)
                .extracting(Call::profileTypeId, Call::fault).containsExactly(tuple(
                        COUNT_ID, fault));

        Profile unread = profiles.get(0).profile();
        int unreadWall = unread.sampleTypeIndex(ProfileType.WALL);
        assertThat(unreadWall).as("the slice is kept").isGreaterThanOrEqualTo(0);
        assertThat(unread.caveats()).containsEntry(ProfileType.WALL, PyroscopeSource.WALL_COUNT_UNREAD);
        assertThat(unread.caveats().get(ProfileType.WALL)).contains("samples/count", "samples are unknown",
                "INCONCLUSIVE");
        assertThat(unread.sampleCount(unreadWall)).as("its count is unknown, not its time in nanoseconds")
                .isEqualTo(-1);

        Profile counted = profiles.get(1).profile();
        Profile file = ProfileFiles.read(QA76.resolve("wall-003.pb.gz"), ReadOptions.defaults()).get(0);
        assertThat(counted.caveats()).doesNotContainKey(ProfileType.WALL);
        assertThat(counted.sampleCount(counted.sampleTypeIndex(ProfileType.WALL)))
                .isEqualTo(file.sampleCount(file.sampleTypeIndex(ProfileType.WALL))).isPositive();
    }

    /** The two slices' wall, first slice first. */
    private List<SliceProfile> wall() {
        ProfileSelector selector = new ProfileSelector("shop",
                List.of(new LabelMatcher("rollouts_pod_template_hash", "a")));
        List<TimeWindow> slices = List.of(new TimeWindow(T0, T0.plus(MINUTE)),
                new TimeWindow(T0.plus(MINUTE), T0.plus(MINUTE.multipliedBy(2))));
        return source.profiles(selector, new SourceInstance("shop-1", T0), ProfileType.WALL, slices)
                .sort(Comparator.comparing((SliceProfile p) -> p.window().start()))
                .collectList().block(Duration.ofSeconds(90));
    }
}
