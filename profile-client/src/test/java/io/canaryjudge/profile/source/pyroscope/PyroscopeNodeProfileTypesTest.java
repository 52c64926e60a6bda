package io.canaryjudge.profile.source.pyroscope;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.canaryjudge.profile.ProfileType;
import io.canaryjudge.profile.pprof.PprofSampleTypes;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

/**
 * The profile type IDs Pyroscope stores a Node SDK's uploads under (@pyroscope/nodejs 0.6.4: the wall profile's
 * sample types samples/count, wall/nanoseconds, cpu/nanoseconds with period type wall/nanoseconds, named "wall" by
 * Pyroscope's ingest and its CPU column relabelled to process_cpu; the heap profile's inuse_objects/count and
 * inuse_space/bytes with period type inuse_space/bytes, named "memory"). At 20794fe6 there was no such producer.
 */
class PyroscopeNodeProfileTypesTest {
    @Test
    void theNodeProducerFetchesWhatTheSdkSends() {
        Map<ProfileType, List<String>> ids = PyroscopeProfileTypes.producer("node");

        assertThat(ids).containsOnlyKeys(ProfileType.CPU, ProfileType.WALL, ProfileType.LIVE_BYTES,
                ProfileType.LIVE_OBJECTS);
        assertThat(ids.get(ProfileType.CPU)).containsExactly("process_cpu:cpu:nanoseconds:wall:nanoseconds");
        assertThat(ids.get(ProfileType.WALL)).containsExactly("wall:wall:nanoseconds:wall:nanoseconds");
        assertThat(ids.get(ProfileType.LIVE_BYTES)).containsExactly("memory:inuse_space:bytes:inuse_space:bytes");
        assertThat(ids.get(ProfileType.LIVE_OBJECTS)).containsExactly("memory:inuse_objects:count:inuse_space:bytes");
        ids.forEach((type, list) -> list.forEach(id -> assertThat(PprofSampleTypes.fromPyroscopeId(id)).isEqualTo(type)));
    }

    @Test
    void anUnknownProducerNamesNode() {
        assertThatThrownBy(() -> PyroscopeProfileTypes.producer("deno"))
                .hasMessageContaining("node (Pyroscope's Node SDK)");
    }
}
