package io.canaryjudge.profile.source.pyroscope;

import static org.assertj.core.api.Assertions.assertThat;

import io.canaryjudge.profile.ProfileType;
import io.canaryjudge.profile.SharedFixtures;
import io.canaryjudge.profile.source.LabelMatcher;
import io.canaryjudge.profile.source.ProfileSelector;
import io.canaryjudge.profile.source.TimeWindow;
import io.canaryjudge.profile.testing.PyroscopeStandIn;
import io.canaryjudge.profile.testing.PyroscopeStandIn.Call;
import io.canaryjudge.profile.testing.PyroscopeStandIn.Route;
import java.net.URI;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.Map;
import java.util.Set;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/**
 * Which profile types an application's group holds, asked of Pyroscope as its own querier asks for ProfileTypes:
 * {@code LabelValues} of {@code __profile_type__}, here narrowed to the group's labels and the window. A Node service's
 * upload at its SDK's defaults (qa76's recordings, byte for byte) holds wall time only; Pyroscope's conversion of a
 * Kafka JFR holds CPU. Before qa82 the source had no such question ({@code ProfileSource#typesHeld} answered nothing).
 */
class PyroscopeTypesHeldTest {
    static final Instant T0 = Instant.parse("2026-12-07T10:00:00Z");
    static final Duration MINUTE = Duration.ofMinutes(1);
    static final Path NODE_WALL = Path.of("../canary-judge/src/test/resources/qa76/pods/b1/wall-002.pb.gz");
    static final Path NODE_HEAP = Path.of("../canary-judge/src/test/resources/qa76/pods/b1/heap-002.pb.gz");

    private PyroscopeStandIn pyroscope;
    private PyroscopeSource source;

    @BeforeEach
    void start() {
        pyroscope = PyroscopeStandIn.start();
        Map<String, String> node = Map.of("service_name", "shop", "pod", "shop-1", "rollouts_pod_template_hash", "a");
        pyroscope.addProfile(node, T0, T0.plus(MINUTE), NODE_WALL);
        pyroscope.addProfile(node, T0, T0.plus(MINUTE), NODE_HEAP);
        pyroscope.addProfile(Map.of("service_name", "kafka", "pod", "kafka-0", "rollouts_pod_template_hash", "a"), T0,
                T0.plus(MINUTE), SharedFixtures.kafkaPprof().get(0));
        // a loaded machine (two cores shared by several builds) answers the first calls slowly
        source = new PyroscopeSource(PyroscopeConnection.to(URI.create(pyroscope.url())).withTimeout(Duration.ofSeconds(60)), 4);
    }

    @AfterEach
    void stop() {
        source.close();
        pyroscope.close();
    }

    @Test
    void aNodeServiceAtItsSdksDefaultsHoldsWallTimeOnly() {
        Set<ProfileType> held = source.typesHeld(group("shop"), new TimeWindow(T0, T0.plus(MINUTE.multipliedBy(5))))
                .block(Duration.ofSeconds(60));

        assertThat(held).contains(ProfileType.WALL).doesNotContain(ProfileType.CPU, ProfileType.ALLOC_BYTES);
        Call call = pyroscope.calls(Route.LABEL_VALUES).get(0);
        assertThat(call.labelName()).isEqualTo("__profile_type__");
        assertThat(call.startMs()).isEqualTo(T0.toEpochMilli());
    }

    @Test
    void aJvmServiceHoldsCpu() {
        Set<ProfileType> held = source.typesHeld(group("kafka"), new TimeWindow(T0, T0.plus(MINUTE)))
                .block(Duration.ofSeconds(60));

        assertThat(held).contains(ProfileType.CPU).doesNotContain(ProfileType.WALL);
    }

    @Test
    void nothingInTheWindowHoldsNothing() {
        Set<ProfileType> held = source.typesHeld(group("shop"), new TimeWindow(T0.plus(MINUTE), T0.plus(MINUTE.multipliedBy(2))))
                .block(Duration.ofSeconds(60));

        assertThat(held).isEmpty();
    }

    private static ProfileSelector group(String application) {
        return new ProfileSelector(application, List.of(new LabelMatcher("rollouts_pod_template_hash", "a")));
    }
}
