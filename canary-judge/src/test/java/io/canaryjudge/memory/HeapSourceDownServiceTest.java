package io.canaryjudge.memory;

import static org.assertj.core.api.Assertions.assertThat;

import io.canaryjudge.CanaryJudgeApplication;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.net.ServerSocket;
import java.nio.file.Path;
import java.util.UUID;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.springframework.boot.test.context.SpringBootTest;
import org.springframework.boot.test.web.server.LocalServerPort;
import org.springframework.test.context.DynamicPropertyRegistry;
import org.springframework.test.context.DynamicPropertySource;
import org.springframework.test.web.reactive.server.WebTestClient;
import tools.jackson.databind.JsonNode;

/**
 * Prometheus configured but down (a loopback port nobody listens on): the memory check cannot run, and a source
 * that is down never turns into a PASS. The pods' profiles pass (A/A) or fail (+100 % CPU); their heap.csv files
 * are not used in Prometheus's place (which data judge a canary must not depend on whether Prometheus is up).
 */
@SpringBootTest(classes = CanaryJudgeApplication.class, webEnvironment = SpringBootTest.WebEnvironment.RANDOM_PORT,
        properties = {"canary-judge.analysis.deadline=60s", "canary-judge.prometheus.timeout=2s"})
class HeapSourceDownServiceTest {
    static final Path ROOT = Path.of("target", "heap-down-" + UUID.randomUUID()).toAbsolutePath();

    @LocalServerPort
    int port;

    WebTestClient client;

    @DynamicPropertySource
    static void properties(DynamicPropertyRegistry registry) {
        HeapFilePods.write(ROOT);
        registry.add("canary-judge.local.directory", ROOT::toString);
        registry.add("canary-judge.prometheus.url", () -> "http://127.0.0.1:" + refusedPort());
    }

    /** A loopback port that was free a moment ago: connections to it are refused. */
    private static int refusedPort() {
        try (ServerSocket socket = new ServerSocket(0)) {
            return socket.getLocalPort();
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    @BeforeEach
    void client() {
        client = HeapFilePods.client(port);
    }

    private JsonNode analyse(String application, String canaryTrack) {
        return HeapFilePods.analyse(client, application, canaryTrack);
    }

    @Test
    void aPassingCanaryIsInconclusiveWhenItsHeapCouldNotBeRead() {
        JsonNode verdict = analyse(HeapFilePods.WITHOUT_HEAP, "flat");

        assertThat(verdict.get("result").asString()).as(verdict.toString()).isEqualTo("INCONCLUSIVE");
        assertThat(verdict.get("pass").asBoolean()).isFalse();
        assertThat(verdict.get("summary").asString())
                .startsWith("INCONCLUSIVE: heap after GC could not be read from Prometheus: ")
                .contains("; memory growth not judged. On the data that did arrive: PASS");
        assertThat(verdict.get("dataQuality").get("warnings").toString())
                .contains("heap after GC: the canary pods' heap could not be read from Prometheus");
    }

    @Test
    void aLeakingCanaryDoesNotPassWhilePrometheusIsDown() {
        JsonNode verdict = analyse(HeapFilePods.APPLICATION, "leak");

        assertThat(verdict.get("result").asString()).as(verdict.toString()).isEqualTo("INCONCLUSIVE");
        assertThat(verdict.get("summary").asString()).contains("heap after GC could not be read from Prometheus");
    }

    @Test
    void aFailingCanaryStillFails() {
        JsonNode verdict = analyse(HeapFilePods.WITHOUT_HEAP, "regression");

        assertThat(verdict.get("result").asString()).as(verdict.toString()).isEqualTo("FAIL");
        assertThat(verdict.get("findings").get(0).get("function").asString())
                .isEqualTo("io.canaryjudge.scenario.shop.PriceCalculator.applyDiscounts");
    }
}
