package io.canaryjudge.web;

import static org.assertj.core.api.Assertions.assertThat;

import io.canaryjudge.CanaryJudgeApplication;
import java.time.Duration;
import org.junit.jupiter.api.Test;
import org.springframework.boot.test.context.SpringBootTest;
import org.springframework.boot.test.web.server.LocalServerPort;
import org.springframework.http.MediaType;
import org.springframework.test.context.DynamicPropertyRegistry;
import org.springframework.test.context.DynamicPropertySource;
import org.springframework.test.web.reactive.server.EntityExchangeResult;
import org.springframework.test.web.reactive.server.WebTestClient;

/** With {@code canary-judge.flagger.inconclusive=PASS}, not enough data lets Flagger go on (200). */
@SpringBootTest(classes = CanaryJudgeApplication.class, webEnvironment = SpringBootTest.WebEnvironment.RANDOM_PORT,
        properties = "canary-judge.flagger.inconclusive=PASS")
class FlaggerInconclusivePassTest {
    @LocalServerPort
    int port;

    @DynamicPropertySource
    static void properties(DynamicPropertyRegistry registry) {
        registry.add("canary-judge.local.directory", () -> ProfileDirectories.EXAMPLE_SHOP.getParent().toString());
    }

    @Test
    void inconclusiveIsAPassWhenConfiguredSo() {
        EntityExchangeResult<String> result = WebTestClient.bindToServer().baseUrl("http://127.0.0.1:" + port)
                .responseTimeout(Duration.ofSeconds(60)).build()
                .post().uri("/api/v1/webhooks/flagger").contentType(MediaType.APPLICATION_JSON)
                .bodyValue(FlaggerWebhookTest.payload("ghost", "{}")).exchange()
                .expectBody(String.class).returnResult();

        assertThat(result.getStatus().value()).isEqualTo(200);
        assertThat(result.getResponseBody()).startsWith("INCONCLUSIVE: no baseline or canary profiles");
    }
}
