package io.canaryjudge.profile.source.pyroscope;

import static org.assertj.core.api.Assertions.assertThat;

import io.canaryjudge.profile.AsyncProfilerConversions;
import io.canaryjudge.profile.Profile;
import io.canaryjudge.profile.ProfileFiles;
import io.canaryjudge.profile.ProfileType;
import io.canaryjudge.profile.ReadOptions;
import io.canaryjudge.profile.source.LabelMatcher;
import io.canaryjudge.profile.source.ProfileSelector;
import io.canaryjudge.profile.source.SliceProfile;
import io.canaryjudge.profile.source.SourceInstance;
import io.canaryjudge.profile.source.TimeWindow;
import io.canaryjudge.profile.testing.JvmWallAsStored;
import io.canaryjudge.profile.testing.PyroscopeStandIn;
import io.canaryjudge.profile.testing.PyroscopeStandIn.Call;
import io.canaryjudge.profile.testing.PyroscopeStandIn.Route;
import java.io.IOException;
import java.io.InputStream;
import java.net.URI;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.Map;
import java.util.zip.GZIPInputStream;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The wall series' sample counts are asked for only where they can exist. Node's SDK uploads a {@code samples/count}
 * column beside wall (qa76's uploads, byte for byte), which qa86 fetches per slice to count the samples; a JVM's wall
 * (qa32's async-profiler {@code wall=20ms} recordings, stored as Pyroscope's JFR parser stores them) has none, and
 * before fxc each of its slices cost a second {@code SelectMergeProfile} for that missing series, inside Argo's 10 s.
 */
class PyroscopeWallCountQueriesTest {
    static final Instant T0 = Instant.parse("2026-12-07T10:00:00Z");
    static final Duration MINUTE = Duration.ofMinutes(1);
    static final Path QA32 = Path.of("../canary-judge/src/test/resources/qa32/wall/b1");
    static final Path QA76 = Path.of("../canary-judge/src/test/resources/qa76/pods/b1");
    static final String COUNT_ID = "wall:samples:count:wall:nanoseconds";

    @TempDir
    Path temp;

    private PyroscopeStandIn pyroscope;
    private PyroscopeSource source;

    @BeforeEach
    void start() throws IOException {
        pyroscope = PyroscopeStandIn.start();
        Map<String, String> jvm = Map.of("service_name", "orders", "pod", "orders-1",
                "rollouts_pod_template_hash", "a");
        Map<String, String> node = Map.of("service_name", "shop", "pod", "shop-1", "rollouts_pod_template_hash", "a");
        for (int i = 0; i < 2; i++) {
            Instant at = T0.plus(MINUTE.multipliedBy(i));
            pyroscope.addProfile(jvm, at, at.plus(MINUTE), jvmWall(QA32.resolve("slice-" + (i + 2) + ".jfr.gz")));
            pyroscope.addProfile(node, at, at.plus(MINUTE), QA76.resolve("wall-00" + (i + 2) + ".pb.gz"));
        }
        // a loaded machine (two cores shared by several builds) answers the first calls slowly
        source = new PyroscopeSource(PyroscopeConnection.to(URI.create(pyroscope.url()))
                .withTimeout(Duration.ofSeconds(60)), 4);
    }

    @AfterEach
    void stop() {
        source.close();
        pyroscope.close();
    }

    @Test
    void aJvmsWallAsksNoCountSeries() {
        List<SliceProfile> profiles = wall("orders", "orders-1");

        assertThat(profiles).hasSize(2);
        List<Call> merges = pyroscope.calls(Route.SELECT_MERGE_PROFILE);
        assertThat(merges).extracting(Call::profileTypeId).containsOnly(PyroscopeProfileTypes.WALL).hasSize(2);
    }

    @Test
    void aNodePodsWallStillGetsItsSamplesCounted() throws Exception {
        List<SliceProfile> profiles = wall("shop", "shop-1");

        assertThat(profiles).hasSize(2);
        assertThat(pyroscope.calls(Route.SELECT_MERGE_PROFILE)).extracting(Call::profileTypeId)
                .containsExactlyInAnyOrder(PyroscopeProfileTypes.WALL, PyroscopeProfileTypes.WALL, COUNT_ID, COUNT_ID);
        Profile file = ProfileFiles.read(QA76.resolve("wall-002.pb.gz"), ReadOptions.defaults()).get(0);
        int wall = file.sampleTypeIndex(ProfileType.WALL);
        Profile served = profiles.get(0).profile();
        assertThat(served.sampleCount(served.sampleTypeIndex(ProfileType.WALL))).isEqualTo(file.sampleCount(wall));
    }

    /** A Pyroscope that cannot say which series the pod holds is asked for the counts, as before the question. */
    @Test
    void withoutAnAnswerToWhichSeriesExistTheCountsAreStillAsked() {
        pyroscope.fail(Route.LABEL_VALUES, PyroscopeStandIn.Fault.error(503, "unavailable"));

        List<SliceProfile> profiles = wall("shop", "shop-1");

        assertThat(profiles).hasSize(2);
        assertThat(pyroscope.calls(Route.SELECT_MERGE_PROFILE)).extracting(Call::profileTypeId).contains(COUNT_ID);
    }

    private List<SliceProfile> wall(String application, String pod) {
        ProfileSelector selector = new ProfileSelector(application,
                List.of(new LabelMatcher("rollouts_pod_template_hash", "a")));
        List<TimeWindow> slices = List.of(new TimeWindow(T0, T0.plus(MINUTE)),
                new TimeWindow(T0.plus(MINUTE), T0.plus(MINUTE.multipliedBy(2))));
        return source.profiles(selector, new SourceInstance(pod, T0), ProfileType.WALL, slices).collectList()
                .block(Duration.ofSeconds(60));
    }

    private byte[] jvmWall(Path jfrGz) throws IOException {
        Path jfr = temp.resolve(jfrGz.getFileName().toString().replace(".gz", ""));
        try (InputStream in = new GZIPInputStream(Files.newInputStream(jfrGz))) {
            Files.copy(in, jfr);
        }
        return JvmWallAsStored.of(AsyncProfilerConversions.pprof(jfr, "--wall", "--total"));
    }
}
