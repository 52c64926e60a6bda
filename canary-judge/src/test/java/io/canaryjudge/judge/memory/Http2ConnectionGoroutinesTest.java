package io.canaryjudge.judge.memory;

import static org.assertj.core.api.Assertions.assertThat;

import io.canaryjudge.SharedFixtures;
import io.canaryjudge.judge.FrameClassifier;
import io.canaryjudge.profile.Profile;
import io.canaryjudge.profile.ProfileType;
import java.nio.file.Path;
import java.util.List;
import org.junit.jupiter.api.Test;

/**
 * {@link ConnectionGoroutines#count} on recorded Go servers speaking HTTP/2 (src/test/resources/qa83, README there), held
 * to what the load process says it kept open: each client holds one HTTP/2 connection, and net/http runs two goroutines
 * for it (its {@code serverConn.serve} and {@code serverConn.readFrames}). Before qa83 only one of the two counted over
 * TLS ({@code (*http2serverConn).serve}, under {@code (*conn).serve}) and none under h2c.
 */
class Http2ConnectionGoroutinesTest {
    static final Path RESOURCES = SharedFixtures.projectRoot().resolve("canary-judge/src/test/resources/qa83");
    static final FrameClassifier FRAMES = FrameClassifier.defaults();

    /**
     * At the last profile (200 clients for minutes), two goroutines per client's connection, plus at most 2 more (TLS
     * pods: Prometheus' HTTP/1.1 scrape connection, and its request's background reader while it is served); the rest
     * is the server's listener(s), the profile's writer and, for h1, its hung stream handlers (counted out).
     */
    @Test
    void twoGoroutinesPerHttp2ConnectionAndNotTheHungHandlers() throws Exception {
        for (Path pod : List.of(RESOURCES.resolve("pods/r1"), RESOURCES.resolve("pods/h1"),
                RESOURCES.resolve("h2c/pods/r1"), RESOURCES.resolve("h2c/pods/h1"))) {
            Profile last = RecordedGoServer.lastGoroutineProfile(pod);
            long clients = RecordedGoServer.lastClients(pod);
            long connections = ConnectionGoroutines.count(last, FRAMES);
            long total = last.total(last.sampleTypeIndex(ProfileType.GOROUTINES));
            System.err.println("qa83 " + pod + ": " + clients + " clients, " + connections + " connection goroutines of "
                    + total);

            assertThat(clients).as(pod.toString()).isEqualTo(200);
            assertThat(connections).as(pod.toString()).isBetween(2 * clients, 2 * clients + 2);
            if (pod.endsWith("h1")) {
                // 17 minutes at one hung stream per 2,000 requests of ~100 a second: about 50 hung handlers, none counted
                assertThat(total - connections).as(pod.toString()).isGreaterThan(30);
            } else {
                assertThat(total - connections).as(pod.toString()).isLessThan(8);
            }
        }
    }
}
