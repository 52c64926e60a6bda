package io.canaryjudge.judge.memory;

import static org.assertj.core.api.Assertions.assertThat;

import io.canaryjudge.SharedFixtures;
import io.canaryjudge.judge.FrameClassifier;
import io.canaryjudge.judge.Observation;
import io.canaryjudge.profile.Profile;
import io.canaryjudge.profile.ProfileFiles;
import io.canaryjudge.profile.ProfileType;
import io.canaryjudge.profile.ReadOptions;
import io.canaryjudge.profile.heap.HeapSeries;
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

    /**
     * qa83's r1 profiles span ~16 minutes; a heap window of 20 more minutes before them (memoryGrowth.window 30 min,
     * compare's files or the service's fallback to the analysis window's profiles) is raised only by the rise the
     * profiles measured: fails before fxd, which raised the window's first point by the rate times all 36 minutes.
     */
    @Test
    void theRiseIsTakenOffOnlyOverTheProfilesSpan() throws Exception {
        ConnectionHeap.Held r1 = ConnectionHeap.held(observations("r1", RESOURCES.resolve("qa83-heap/r1")), FRAMES)
                .get("r1");
        long minute = 60_000;
        long from = r1.firstMillis() - 20 * minute;
        long to = r1.lastMillis() + 2 * minute;
        int n = (int) ((to - from) / minute) + 1;
        long[] times = new long[n];
        long[] bytes = new long[n];
        for (int i = 0; i < n; i++) {
            times[i] = from + i * minute;
            bytes[i] = 50L * 1024 * 1024;
        }
        PodHeap pod = new PodHeap("r1", new HeapSeries("pprof", from, times, bytes, new boolean[n], -1));
        long[] judged = ConnectionHeap.less(new HeapWindows(List.of(), List.of(pod), List.of()), Map.of("r1", r1))
                .canary().get(0).heap().heapAfterGcBytes();

        long spanRise = Math.round(r1.takenOff() * (r1.lastMillis() - r1.firstMillis()) / 3_600_000.0);
        assertThat(spanRise).isPositive();
        for (int i = 0; i < n; i++) {
            long expected = Math.round(r1.takenOff()
                    * Math.max(0, r1.lastMillis() - Math.max(times[i], r1.firstMillis())) / 3_600_000.0);
            assertThat(judged[i] - bytes[i]).as("minute %d", i).isEqualTo(expected).isBetween(0L, spanRise);
        }
        assertThat(judged[0] - bytes[0]).isEqualTo(spanRise); // before the first profile: the span's rise, no more
        assertThat(judged[n - 1]).isEqualTo(bytes[n - 1]); // after the last profile: as measured
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
