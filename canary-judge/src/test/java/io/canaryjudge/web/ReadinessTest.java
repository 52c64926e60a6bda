package io.canaryjudge.web;

import static org.assertj.core.api.Assertions.assertThat;

import io.canaryjudge.CanaryJudgeApplication;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.UUID;
import org.junit.jupiter.api.Test;
import org.springframework.boot.test.context.SpringBootTest;
import org.springframework.boot.test.web.server.LocalServerPort;
import org.springframework.test.context.DynamicPropertyRegistry;
import org.springframework.test.context.DynamicPropertySource;
import org.springframework.test.web.reactive.server.EntityExchangeResult;
import org.springframework.test.web.reactive.server.WebTestClient;

/** Readiness says whether the profile source answers; liveness does not depend on it. */
@SpringBootTest(classes = CanaryJudgeApplication.class, webEnvironment = SpringBootTest.WebEnvironment.RANDOM_PORT)
class ReadinessTest {
    static final Path DIRECTORY = Path.of("target", "test-profiles-" + UUID.randomUUID()).toAbsolutePath();

    @LocalServerPort
    int port;

    @DynamicPropertySource
    static void properties(DynamicPropertyRegistry registry) throws IOException {
        Files.createDirectories(DIRECTORY.resolve("shop"));
        registry.add("canary-judge.local.directory", DIRECTORY::toString);
    }

    @Test
    void readinessGoesDownWhenTheProfileDirectoryIsGoneAndLivenessStaysUp() throws IOException {
        WebTestClient client = WebTestClient.bindToServer().baseUrl("http://127.0.0.1:" + port)
                .responseTimeout(Duration.ofSeconds(30)).build();
        client.get().uri("/actuator/health/readiness").exchange().expectStatus().isOk();

        Files.delete(DIRECTORY.resolve("shop"));
        Files.delete(DIRECTORY);

        EntityExchangeResult<String> readiness = client.get().uri("/actuator/health/readiness").exchange()
                .expectBody(String.class).returnResult();
        assertThat(readiness.getStatus().value()).isEqualTo(503);
        assertThat(readiness.getResponseBody()).contains("\"status\":\"DOWN\"").contains("profileSource")
                .contains("is not a directory");
        client.get().uri("/actuator/health/liveness").exchange().expectStatus().isOk();
    }
}
