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
import org.junit.jupiter.api.Test;

/**
 * {@link ConnectionHeap} on gRPC-go 1.33 servers' heap profiles (qa88's recording, live objects,
 * src/test/resources/qa88/heap, README there): the transport gRPC builds per accepted connection under
 * {@code grpc.(*Server).handleRawConn} (a 64 KiB write and a 32 KiB read buffer) is the connections', and what a call holds (its
 * handler's allocations under {@code grpc.(*Server).handleStream}, its stream built under the reader's
 * {@code operateHeaders}) never is.
 */
class GrpcConnectionHeapStacksTest {
    static final Path HEAP = SharedFixtures.projectRoot().resolve("canary-judge/src/test/resources/qa88/heap");
    static final FrameClassifier FRAMES = FrameClassifier.defaults();
    static final long MIB = 1024L * 1024;

    /** r1 at 200 connections: most live bytes are the connections' (before fix88h: 0.5 of 20.4 MiB, the HPACK tables). */
    @Test
    void theTransportGrpcBuildsPerConnectionIsTheConnections() throws Exception {
        List<Observation> r1 = observations("r1");
        Profile last = r1.get(r1.size() - 1).profile();
        long total = last.total(last.sampleTypeIndex(ProfileType.LIVE_BYTES));
        long held = ConnectionHeap.bytes(last, FRAMES);
        System.err.println("fix88h r1 last profile: " + held / (double) MIB + " of " + total / (double) MIB
                + " MiB connection-held; " + ConnectionHeap.held(r1, FRAMES).get("r1"));

        assertThat(held).isGreaterThan(total * 3 / 4);
        ConnectionHeap.Held rise = ConnectionHeap.held(r1, FRAMES).get("r1");
        assertThat(rise.last()).isGreaterThan(rise.first() + 12 * MIB); // 190 more connections at ~90 KiB, sampled
        assertThat(rise.takenOff()).isPositive().isLessThanOrEqualTo(rise.bytesPerHour());
    }

    /** h1, whose hung unary handlers keep their calls: nothing under a call's or handler's frame is the connections'. */
    @Test
    void whatACallHoldsIsNeverTheConnections() throws Exception {
        int callStacks = 0;
        for (Observation o : observations("h1")) {
            Profile p = o.profile();
            for (int s = 0; s < p.stackCount(); s++) {
                boolean underCall = false;
                for (int d = 0; d < p.stackDepth(s); d++) {
                    String f = p.functionName(p.stackFunction(s, d));
                    underCall |= ConnectionHeap.CALL_FRAMES.contains(f)
                            || f.equals("google.golang.org/grpc.(*Server).handleStream");
                }
                if (underCall) {
                    callStacks++;
                    assertThat(ConnectionHeap.heldByConnection(p, s, FRAMES)).as(p.source()).isFalse();
                }
            }
        }
        assertThat(callStacks).isPositive(); // the recording holds such stacks (operateHeaders in every profile)
    }

    private static List<Observation> observations(String pod) throws Exception {
        List<Observation> out = new ArrayList<>();
        try (var files = Files.list(HEAP.resolve(pod))) {
            for (Path file : files.filter(f -> f.getFileName().toString().startsWith("heap-")).sorted().toList()) {
                out.add(new Observation(pod, ProfileFiles.read(file, ReadOptions.defaults()).get(0), null));
            }
        }
        return out;
    }
}
