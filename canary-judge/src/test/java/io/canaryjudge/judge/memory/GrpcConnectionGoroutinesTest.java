package io.canaryjudge.judge.memory;

import static org.assertj.core.api.Assertions.assertThat;

import io.canaryjudge.SharedFixtures;
import io.canaryjudge.judge.FrameClassifier;
import io.canaryjudge.profile.Profile;
import io.canaryjudge.profile.ProfileFiles;
import io.canaryjudge.profile.ProfileType;
import io.canaryjudge.profile.ReadOptions;
import java.nio.file.Path;
import java.util.List;
import org.junit.jupiter.api.Test;

/**
 * {@link ConnectionGoroutines#count} on recorded gRPC-go servers (gRPC-go 1.33's own HTTP/2 transport, Go 1.19;
 * src/test/resources/qa88, README there), held to what the load process says it kept open: each client holds one
 * ClientConn, one HTTP/2 connection, and gRPC's transport runs three goroutines for it (its reader {@code
 * (*http2Server).HandleStreams}, its writer {@code (*loopyWriter).run} and {@code (*http2Server).keepalive}). Before
 * qa88 none of them counted; the hung unary handlers of h1 (under {@code grpc.(*Server).handleStream}) count neither
 * before nor after.
 */
class GrpcConnectionGoroutinesTest {
    static final Path RESOURCES = SharedFixtures.projectRoot().resolve("canary-judge/src/test/resources/qa88/pods");
    static final FrameClassifier FRAMES = FrameClassifier.defaults();

    /**
     * At the last profile (200 clients for minutes), three goroutines per client's connection, plus at most 2 more
     * (Prometheus' HTTP/1.1 scrape connection to /metrics, and its request's background reader while it is served); the
     * rest is the two listeners, the profile's writer, calls in flight and, for h1, its hung handlers (counted out).
     */
    @Test
    void threeGoroutinesPerGrpcConnectionAndNotTheHungHandlers() throws Exception {
        for (String name : List.of("r1", "h1", "b1")) {
            Path pod = RESOURCES.resolve(name);
            Profile last = RecordedGoServer.lastGoroutineProfile(pod);
            long clients = RecordedGoServer.lastClients(pod);
            long connections = ConnectionGoroutines.count(last, FRAMES);
            long total = last.total(last.sampleTypeIndex(ProfileType.GOROUTINES));
            System.err.println("qa88 " + name + ": " + clients + " clients, " + connections + " connection goroutines of "
                    + total);

            assertThat(clients).as(name).isEqualTo(name.equals("b1") ? 20 : 200);
            assertThat(connections).as(name).isBetween(3 * clients, 3 * clients + 2);
            if (name.equals("h1")) {
                // 17 minutes at one hung call per 2,000 of ~100 a second: about 50 hung handlers, none counted
                assertThat(total - connections).as(name).isGreaterThan(30);
            } else {
                assertThat(total - connections).as(name).isLessThan(10);
            }
        }
    }

    /**
     * A closed connection whose hung handlers outlive it leaves {@code grpc.(*Server).serveStreams} waiting in {@code
     * WaitGroup.Wait} for them (closed/, README there: 4 closed connections with a hung handler each): held by the hang,
     * not a connection, so neither it nor the handlers count. Guards the choice of {@code HandleStreams}, not {@code
     * serveStreams}, as the reader's frame (passes before qa88 too, when nothing of gRPC counted).
     */
    @Test
    void aClosedConnectionsWaitForItsHungHandlersIsNotAConnection() throws Exception {
        Path file = RESOURCES.resolveSibling("closed").resolve("goroutine-02.pb.gz");
        Profile profile = ProfileFiles.read(file, ReadOptions.defaults()).get(0);
        long total = profile.total(profile.sampleTypeIndex(ProfileType.GOROUTINES));

        assertThat(total).isEqualTo(11); // 4 hung handlers, 4 serveStreams, 2 listeners, the profile's writer
        assertThat(ConnectionGoroutines.count(profile, FRAMES)).isZero();
    }
}
