package io.canaryjudge.analysis;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import io.canaryjudge.CanaryJudgeApplication;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.UUID;
import org.junit.jupiter.api.Test;
import org.springframework.beans.factory.annotation.Autowired;
import org.springframework.boot.test.context.SpringBootTest;
import org.springframework.boot.test.web.server.LocalServerPort;
import org.springframework.test.context.DynamicPropertyRegistry;
import org.springframework.test.context.DynamicPropertySource;
import org.springframework.test.web.reactive.server.WebTestClient;

/** A warm-up that fails (a corrupt profile) is logged; the service still starts, reports ready and judges. */
@SpringBootTest(classes = CanaryJudgeApplication.class, webEnvironment = SpringBootTest.WebEnvironment.RANDOM_PORT,
        properties = {"canary-judge.warm-up.enabled=true", "canary-judge.local.directory=../examples/profiles"})
class ServiceWarmUpFailureTest {
    static final Path DIRECTORY = Path.of("target", "warm-up-" + UUID.randomUUID()).toAbsolutePath();

    @LocalServerPort
    int port;
    @Autowired
    ServiceWarmUp warmUp;

    @DynamicPropertySource
    static void properties(DynamicPropertyRegistry registry) throws IOException {
        Path pod = Files.createDirectories(DIRECTORY.resolve("shop-6d4f8c7b9-k2x7p"));
        // gzip magic, then garbage: a profile that cannot be read
        Files.write(pod.resolve("slice-1.pb.gz"), new byte[] {0x1f, (byte) 0x8b, 8, 0, 1, 2, 3});
        registry.add("canary-judge.warm-up.location", () -> DIRECTORY.toUri().toString());
    }

    @Test
    void aFailedWarmUpIsLoggedAndTheServiceStartsReadyAndJudges() {
        await().atMost(ServiceWarmUpTest.OUTCOME_WITHIN).until(() -> warmUp.outcome() != null);

        assertThat(warmUp.outcome().result()).isNull();
        assertThat(warmUp.outcome().failure()).contains("slice-1.pb.gz");
        WebTestClient client = ServiceWarmUpTest.client(port);
        client.get().uri("/actuator/health/readiness").exchange().expectStatus().isOk();
        client.post().uri("/api/v1/analyses").header("Content-Type", "application/json")
                .bodyValue("""
                        {"application": "shop", "baseline": {"labels": {"rollouts_pod_template_hash": "6d4f8c7b9"}},
                         "canary": {"labels": {"rollouts_pod_template_hash": "7f9b6c5d4"}}, "lookback": "10m"}""")
                .exchange().expectStatus().isOk().expectBody().jsonPath("$.result").isEqualTo("FAIL");
    }
}
