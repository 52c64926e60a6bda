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

    /**
     * gRPC-go's client runs the server's writer, {@code (*loopyWriter).run}, for each of its outbound connections too
     * (client/, README there: a load process holding 20 ClientConns to one qa88 pod, its goroutine profile beside the
     * pod's, taken at the same moment): under {@code transport.newHTTP2Client.func3}, not {@code newHTTP2Server.func2}.
     * A canary leaking ClientConns (a {@code grpc.Dial} per request, never closed) must keep its leak, so none of the
     * client's goroutines count (20 counted before fxa), while the pod's three per connection still do, and r1's last
     * profile still counts 601 of its 604.
     */
    @Test
    void aGrpcClientsConnectionsAreNotServed() throws Exception {
        Path client = RESOURCES.resolveSibling("client");
        Profile clients = ProfileFiles.read(client.resolve("client-goroutine.pb.gz"), ReadOptions.defaults()).get(0);
        Profile server = ProfileFiles.read(client.resolve("server-goroutine.pb.gz"), ReadOptions.defaults()).get(0);
        Profile r1 = RecordedGoServer.lastGoroutineProfile(RESOURCES.resolve("r1"));

        // per ClientConn: its writer, its reader, resetTransport, the balancer's watcher and the load's main.client
        assertThat(clients.total(clients.sampleTypeIndex(ProfileType.GOROUTINES))).isGreaterThanOrEqualTo(100);
        assertThat(ConnectionGoroutines.count(clients, FRAMES)).isZero();
        // plus at most the profile request's own HTTP/1.1 connection (curl's, to /debug/pprof) and its background read
        assertThat(ConnectionGoroutines.count(server, FRAMES)).isBetween(3L * 20, 3L * 20 + 2);
        assertThat(ConnectionGoroutines.count(r1, FRAMES)).isEqualTo(601);
        assertThat(r1.total(r1.sampleTypeIndex(ProfileType.GOROUTINES))).isEqualTo(604);
    }
}
