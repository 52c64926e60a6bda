package io.canaryjudge.web;

import static org.assertj.core.api.Assertions.assertThat;

import io.canaryjudge.CanaryJudgeApplication;
import java.nio.file.Path;
import java.time.Duration;
import java.util.UUID;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;
import org.springframework.boot.test.context.SpringBootTest;
import org.springframework.boot.test.system.CapturedOutput;
import org.springframework.boot.test.system.OutputCaptureExtension;
import org.springframework.boot.test.web.server.LocalServerPort;
import org.springframework.http.MediaType;
import org.springframework.test.context.DynamicPropertyRegistry;
import org.springframework.test.context.DynamicPropertySource;
import org.springframework.test.web.reactive.server.EntityExchangeResult;
import org.springframework.test.web.reactive.server.WebTestClient;
import tools.jackson.databind.JsonNode;

/**
 * Flagger's webhook over real HTTP: Flagger counts status <= 202 as success and copies other bodies into events,
 * so PASS is 200, FAIL (and by default INCONCLUSIVE) 412 with the one-line reason first and the report link next.
 * Primary pods carry app=NAME-primary, canary pods app=NAME (the default templates).
 */
@SpringBootTest(classes = CanaryJudgeApplication.class, webEnvironment = SpringBootTest.WebEnvironment.RANDOM_PORT)
@ExtendWith(OutputCaptureExtension.class)
class FlaggerWebhookTest {
    static final Path PROFILES = ProfileDirectories.build(
            Path.of("target", "test-profiles-" + UUID.randomUUID()).toAbsolutePath());

    @LocalServerPort
    int port;

    WebTestClient client;

    @DynamicPropertySource
    static void properties(DynamicPropertyRegistry registry) {
        registry.add("canary-judge.local.directory", PROFILES::toString);
        registry.add("canary-judge.analysis.deadline", () -> "30s");
    }

    @BeforeEach
    void client() {
        client = WebTestClient.bindToServer().baseUrl("http://127.0.0.1:" + port)
                .responseTimeout(Duration.ofSeconds(60)).build();
    }

    static String payload(String name, String metadata) {
        return """
                {"name": "%s", "namespace": "test", "phase": "Progressing", "checksum": "6d9f1c7b",
                 "metadata": %s}""".formatted(name, metadata);
    }

    private EntityExchangeResult<String> send(String body) {
        return client.post().uri("/api/v1/webhooks/flagger").contentType(MediaType.APPLICATION_JSON).bodyValue(body)
                .exchange().expectBody(String.class).returnResult();
    }

    @Test
    void aFailingCanaryIs412WithTheReasonFirstAndTheReportNext() {
        EntityExchangeResult<String> result = send(payload("podinfo", "{\"lookback\": \"5m\", \"profileTypes\": \"cpu\"}"));

        assertThat(result.getStatus().value()).isEqualTo(412);
        assertThat(result.getResponseHeaders().getContentType().isCompatibleWith(MediaType.TEXT_PLAIN)).isTrue();
        String[] lines = result.getResponseBody().split("\n");
        assertThat(lines[0]).startsWith("FAIL: `io.canaryjudge.scenario.shop.PriceCalculator.applyDiscounts` +");
        assertThat(lines[1]).startsWith("report: http://127.0.0.1:" + port + "/reports/");
        client.get().uri(java.net.URI.create(lines[1].substring("report: ".length())).getPath()).exchange()
                .expectStatus().isOk();
    }

    @Test
    void aHealthyCanaryIs200() {
        EntityExchangeResult<String> result = send(payload("steady", "{\"profileTypes\": \"cpu\"}"));

        assertThat(result.getResponseBody()).as("body").startsWith("PASS: ");
        assertThat(result.getStatus().value()).isEqualTo(200);
    }

    @Test
    void noDataIsInconclusiveAndByDefaultNotAPass() {
        EntityExchangeResult<String> result = send(payload("ghost", "{}"));

        assertThat(result.getStatus().value()).isEqualTo(412);
        assertThat(result.getResponseBody()).startsWith("INCONCLUSIVE: no baseline or canary profiles: baseline "
                + "application \"ghost\", app=\"ghost-primary\", namespace=\"test\"; canary application \"ghost\","
                + " app=\"ghost\", namespace=\"test\"");
    }

    @Test
    void aWebhookCanAnswerItsInconclusiveWith200() {
        // A rollout webhook whose INCONCLUSIVE should not count as a failed check (few pods; a confirm-promotion
        // webhook holds the promotion instead): the same no-data verdict, 200.
        EntityExchangeResult<String> result = send(payload("ghost", "{\"inconclusive\": \"pass\"}"));

        assertThat(result.getStatus().value()).isEqualTo(200);
        assertThat(result.getResponseBody()).startsWith("INCONCLUSIVE: no baseline or canary profiles");
        assertThat(send(payload("ghost", "{\"inconclusive\": \"FAIL\"}")).getStatus().value()).isEqualTo(412);
    }

    @Test
    void metadataNamesTheApplicationAndTheSelectorsFollowTheTemplates() {
        // The canary is called "web", its profiles' application is "podinfo": the labels are app=web(-primary).
        EntityExchangeResult<String> result = send(payload("web", "{\"application\": \"podinfo\"}"));
        assertThat(result.getResponseBody()).contains("application \"podinfo\", app=\"web\"");
    }

    @Test
    void anEventIsAcknowledgedWithoutJudging() {
        // What Flagger's CallEventWebhook sends (type event, or the controller's -event-webhook): no type field, no
        // checksum; metadata eventMessage, eventType, timestamp (Unix ms), then the webhook's own metadata.
        // "podinfo" is the failing canary: judging it would answer 412.
        EntityExchangeResult<String> result = send("""
                {"name": "podinfo", "namespace": "test", "phase": "Progressing",
                 "metadata": {"eventMessage": "Advance podinfo.test canary weight 10", "eventType": "Normal",
                              "timestamp": "1764583200123", "lookback": "5m"}}""");

        assertThat(result.getStatus().value()).as(result.getResponseBody()).isEqualTo(200);
        assertThat(result.getResponseBody()).startsWith("event received, nothing judged: Normal: Advance podinfo.test");
    }

    @Test
    void anEventIsLoggedWithItsPhaseOnlyWhenItHasOne(CapturedOutput output) {
        send("""
                {"name": "podinfo", "namespace": "test", "phase": "Progressing",
                 "metadata": {"eventMessage": "Advance podinfo.test canary weight 20", "eventType": "Normal"}}""");
        send("""
                {"name": "podinfo", "namespace": "test",
                 "metadata": {"eventMessage": "Starting canary analysis for podinfo.test", "eventType": "Normal"}}""");

        assertThat(output.getOut()).contains("Flagger event for canary test/podinfo (Progressing): Normal: Advance")
                .contains("Flagger event for canary test/podinfo: Normal: Starting canary analysis")
                .doesNotContain("podinfo (): ");
    }

    @Test
    void flaggersEventKeysAloneDoNotMakeAnAnalysisAnEvent() {
        // Only a payload with both eventMessage and eventType is an event; anything else is judged, and a key
        // the judge does not read is still refused by name.
        assertProblem(send(payload("podinfo", "{\"lookback\": \"5m\", \"eventMessage\": \"hi\"}")),
                "metadata.eventMessage", "unknown metadata key");
        assertProblem(send(payload("podinfo", "{\"timestamp\": \"1764583200123\"}")), "metadata.timestamp",
                "unknown metadata key");
    }

    @Test
    void badPayloadsAreProblemsNamingTheField() {
        assertProblem(send("{\"namespace\": \"test\"}"), "name", "name is required");
        assertProblem(send(payload("podinfo", "{\"lookbak\": \"5m\"}")), "metadata.lookbak", "unknown metadata key");
        assertProblem(send(payload("podinfo", "{\"config\": \"nope\"}")), "metadata.config", "unknown config");
        assertProblem(send(payload("podinfo", "{\"profileTypes\": \"cpu,heap\"}")), "metadata.profileTypes[1]",
                "must be one of");
        assertProblem(send(payload("podinfo", "{\"lookback\": \"soon\"}")), "metadata.lookback", "duration");
        assertProblem(send(payload("podinfo", "{\"inconclusive\": \"maybe\"}")), "metadata.inconclusive",
                "must be pass");
        assertProblem(send("{\"name\": "), "body", "malformed JSON");
        // the local directory source turns the application into a path: this was an INCONCLUSIVE (412)
        assertProblem(send(payload("podinfo", "{\"application\": \"../etc\"}")), "metadata.application",
                "metadata.application \"../etc\" has a \"..\" segment");
        assertProblem(send(payload("..", "{}")), "name", "name \"..\" has a \"..\" segment");
    }

    private static void assertProblem(EntityExchangeResult<String> result, String field, String detail) {
        assertThat(result.getStatus().value()).as(result.getResponseBody()).isEqualTo(400);
        JsonNode problem = AnalysisApiTest.JSON.readTree(result.getResponseBody());
        assertThat(problem.get("field").asString()).isEqualTo(field);
        assertThat(problem.get("detail").asString()).contains(detail);
    }
}
