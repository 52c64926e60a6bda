package io.canaryjudge.judge.memory;

import static org.assertj.core.api.Assertions.assertThat;

import io.canaryjudge.SharedFixtures;
import io.canaryjudge.judge.FrameClassifier;
import io.canaryjudge.judge.Observation;
import io.canaryjudge.profile.Profile;
import io.canaryjudge.profile.ProfileFiles;
import io.canaryjudge.profile.ProfileType;
import io.canaryjudge.profile.ReadOptions;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

/**
 * {@link ConnectionHeap} on recorded Go HTTP/2 servers' heap profiles (live objects, src/test/resources/qa87, README
 * there): the live bytes net/http allocated for connections rise with the connections (qa83's r1: 10 → 200), and what
 * a handler keeps (qa87's l1: a copy of an order per request batch, under {@code main.handle}) is never counted.
 */
class Http2ConnectionHeapTest {
    static final Path RESOURCES = SharedFixtures.projectRoot().resolve("canary-judge/src/test/resources/qa87");
    static final FrameClassifier FRAMES = FrameClassifier.defaults();

    @Test
    void connectionHeldBytesRiseWithTheConnections() throws Exception {
        Map<String, ConnectionHeap.Held> held = ConnectionHeap.held(observations("r1", RESOURCES.resolve("qa83-heap/r1")),
                FRAMES);
        ConnectionHeap.Held r1 = held.get("r1");
        System.err.println("qa87 qa83 r1 connection-held: " + r1);

        assertThat(r1.profiles()).isEqualTo(17);
        assertThat(r1.last()).isGreaterThan(r1.first() + 4L * 1024 * 1024); // 190 more connections at ~37 KiB, sampled
        assertThat(r1.takenOff()).isPositive().isLessThanOrEqualTo(r1.bytesPerHour());
    }

    @Test
    void whatAHandlerKeepsIsNeverTheConnections() throws Exception {
        for (Observation o : observations("l1", RESOURCES.resolve("pods/l1"))) {
            Profile p = o.profile();
            int column = p.sampleTypeIndex(ProfileType.LIVE_BYTES);
            long handlers = 0;
            for (int s = 0; s < p.stackCount(); s++) {
                boolean underHandle = false;
                for (int d = 0; d < p.stackDepth(s); d++) {
                    underHandle |= p.functionName(p.stackFunction(s, d)).equals("main.handle");
                }
                if (underHandle) {
                    handlers += p.value(s, column);
                    assertThat(ConnectionHeap.heldByConnection(p, s, FRAMES)).as(p.source()).isFalse();
                }
            }
            assertThat(ConnectionHeap.bytes(p, FRAMES)).isLessThanOrEqualTo(p.total(column) - handlers);
        }
    }

    private static List<Observation> observations(String pod, Path dir) throws Exception {
        List<Observation> out = new ArrayList<>();
        try (var files = Files.list(dir)) {
            for (Path file : files.filter(f -> f.getFileName().toString().startsWith("heap-")).sorted().toList()) {
                out.add(new Observation(pod, ProfileFiles.read(file, ReadOptions.defaults()).get(0), null));
            }
        }
        return out;
    }
}
