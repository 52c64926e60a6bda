package io.canaryjudge.profile.source.pyroscope;

import static org.assertj.core.api.Assertions.assertThat;

import io.canaryjudge.profile.Profile;
import io.canaryjudge.profile.ProfileFiles;
import io.canaryjudge.profile.ProfileType;
import io.canaryjudge.profile.ReadOptions;
import io.canaryjudge.profile.source.LabelMatcher;
import io.canaryjudge.profile.source.ProfileSelector;
import io.canaryjudge.profile.source.ProfileSource;
import io.canaryjudge.profile.source.SliceProfile;
import io.canaryjudge.profile.source.SourceInstance;
import io.canaryjudge.profile.source.TimeWindow;
import io.canaryjudge.profile.source.TypesHeld;
import io.canaryjudge.profile.testing.PyroscopeStandIn;
import java.net.URI;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/**
 * A Node service whose SDK collects CPU time (qa75's uploads, byte for byte) under the default (Java agent) mapping
 * (qa96): the source says its CPU time is held in Node's series, and a view reading cpu from that series gives each
 * slice the CPU column and the samples the upload's file holds, counted from the same uploads' {@code samples/count}
 * series as the pprof reader counts the file's column (Pyroscope answers process_cpu with a 1 s period, so without the
 * count a slice read as CPU seconds, or as billions of nanosecond "samples").
 */
class PyroscopeNodeCpuTest {
    static final Instant T0 = Instant.parse("2026-12-07T10:00:00Z");
    static final Duration MINUTE = Duration.ofMinutes(1);
    static final Path POD = Path.of("../canary-judge/src/test/resources/qa75/pods/b1");
    static final List<Path> UPLOADS = List.of(POD.resolve("wall-002.pb.gz"), POD.resolve("wall-003.pb.gz"));

    private PyroscopeStandIn pyroscope;
    private PyroscopeSource source;

    @BeforeEach
    void start() {
        pyroscope = PyroscopeStandIn.start();
        for (int i = 0; i < UPLOADS.size(); i++) {
            Instant at = T0.plus(MINUTE.multipliedBy(i));
            pyroscope.addProfile(Map.of("service_name", "shop", "pod", "shop-1", "rollouts_pod_template_hash", "a"), at,
                    at.plus(MINUTE), UPLOADS.get(i));
        }
        source = new PyroscopeSource(PyroscopeConnection.to(URI.create(pyroscope.url()))
                .withTimeout(Duration.ofSeconds(60)), 4);
    }

    @AfterEach
    void stop() {
        source.close();
        pyroscope.close();
    }

    @Test
    void aNodeServicesCpuTimeIsHeldInNodesSeries() {
        TypesHeld held = source.held(group(), new TimeWindow(T0, T0.plus(MINUTE.multipliedBy(2))))
                .block(Duration.ofSeconds(60));

        assertThat(held.types()).contains(ProfileType.WALL).doesNotContain(ProfileType.CPU);
        assertThat(held.elsewhere()).containsEntry(ProfileType.CPU, List.of(PyroscopeProfileTypes.NODE_CPU));
    }

    @Test
    void aViewReadsCpuFromNodesSeriesWithTheFilesSamples() throws Exception {
        ProfileSource view = source.readingFrom(ProfileType.CPU, List.of(PyroscopeProfileTypes.NODE_CPU)).orElseThrow();
        List<TimeWindow> slices = List.of(new TimeWindow(T0, T0.plus(MINUTE)),
                new TimeWindow(T0.plus(MINUTE), T0.plus(MINUTE.multipliedBy(2))));

        List<SliceProfile> fetched = view.profiles(group(), new SourceInstance("shop-1", T0), ProfileType.CPU, slices)
                .collectList().block(Duration.ofSeconds(120));

        assertThat(fetched).hasSize(2);
        for (int i = 0; i < 2; i++) {
            Profile file = ProfileFiles.read(UPLOADS.get(i), ReadOptions.defaults()).get(0);
            Profile served = fetched.get(i).profile();
            int fileColumn = file.sampleTypeIndex(ProfileType.CPU);
            int servedColumn = served.sampleTypeIndex(ProfileType.CPU);
            assertThat(served.total(servedColumn)).isEqualTo(file.total(fileColumn));
            assertThat(served.sampleCount(servedColumn)).as("slice " + i).isEqualTo(file.sampleCount(fileColumn));
        }
        // the source it was made from still reads the Java agent's cpu, and the view shares its connections
        assertThat(source.connection().profileTypeIds().get(ProfileType.CPU)).containsExactly(PyroscopeProfileTypes.CPU);
    }

    private static ProfileSelector group() {
        return new ProfileSelector("shop", List.of(new LabelMatcher("rollouts_pod_template_hash", "a")));
    }
}
