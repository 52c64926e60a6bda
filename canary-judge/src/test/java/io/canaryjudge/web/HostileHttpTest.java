package io.canaryjudge.web;

import static org.assertj.core.api.Assertions.assertThat;

import io.canaryjudge.CanaryJudgeApplication;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.InputStream;
import java.net.Socket;
import java.net.SocketTimeoutException;
import java.nio.charset.StandardCharsets;
import org.junit.jupiter.api.Test;
import org.springframework.boot.test.context.SpringBootTest;
import org.springframework.boot.test.web.server.LocalServerPort;
import tools.jackson.databind.JsonNode;
import tools.jackson.databind.json.JsonMapper;

/**
 * Requests a hostile or broken client sends, over a raw socket to the real server: what the HTTP server itself
 * refuses (a URL or headers beyond its limits, a line that is not HTTP) is a problem body naming the limit, like any
 * other bad request.
 */
@SpringBootTest(classes = CanaryJudgeApplication.class, webEnvironment = SpringBootTest.WebEnvironment.RANDOM_PORT)
class HostileHttpTest {
    static final JsonMapper JSON = JsonMapper.builder().build();

    @LocalServerPort
    int port;

    @Test
    void aUrlBeyondTheRequestLineLimitIsAProblemNamingTheLimit() throws Exception {
        Answer answer = send("GET /api/v1/analyses/" + "a".repeat(5000) + " HTTP/1.1\r\nHost: judge\r\n\r\n");

        assertThat(answer.status()).as(answer.text()).isEqualTo(414);
        JsonNode problem = answer.problem();
        assertThat(problem.get("type").asString()).isEqualTo("urn:canary-judge:problem:uri-too-long");
        assertThat(problem.get("status").asInt()).isEqualTo(414);
        assertThat(problem.get("field").asString()).isEqualTo("URL");
        assertThat(problem.get("detail").asString()).contains("4096 bytes").contains("server.netty.max-initial-line-length");
    }

    @Test
    void headersBeyondTheLimitAreAProblemNamingTheLimit() throws Exception {
        Answer answer = send("GET /api/v1/analyses/x HTTP/1.1\r\nHost: judge\r\nX-Big: " + "b".repeat(9000)
                + "\r\n\r\n");

        assertThat(answer.status()).as(answer.text()).isEqualTo(431);
        JsonNode problem = answer.problem();
        assertThat(problem.get("type").asString()).isEqualTo("urn:canary-judge:problem:header-too-large");
        assertThat(problem.get("field").asString()).isEqualTo("headers");
        assertThat(problem.get("detail").asString()).contains("8192 bytes").contains("server.max-http-request-header-size");
    }

    @Test
    void aLineThatIsNotHttpIsAnInvalidRequestProblem() throws Exception {
        Answer answer = send("GARBAGE\r\n\r\n");

        assertThat(answer.status()).as(answer.text()).isEqualTo(400);
        assertThat(answer.problem().get("type").asString()).isEqualTo("urn:canary-judge:problem:invalid-request");
        assertThat(answer.problem().get("detail").asString()).startsWith("not a valid HTTP/1.x request");
    }

    @Test
    void theServerStillAnswersAfterwards() throws Exception {
        send("GET /" + "a".repeat(5000) + " HTTP/1.1\r\n\r\n");
        Answer answer = send("GET /api/v1/analyses/x HTTP/1.0\r\n\r\n");

        assertThat(answer.status()).as(answer.text()).isEqualTo(404);
        assertThat(answer.problem().get("type").asString()).isEqualTo("urn:canary-judge:problem:analysis-not-found");
    }

    /** A status and what followed it; the body is whatever came after the headers until the server closed. */
    record Answer(int status, String headers, String body) {
        String text() {
            return headers + "\r\n\r\n" + body;
        }

        JsonNode problem() {
            assertThat(headers.toLowerCase()).contains("content-type: application/problem+json");
            return JSON.readTree(body);
        }
    }

    /** Sends {@code request} as it is and reads until the server closes the connection (at most 20 s). */
    Answer send(String request) throws IOException {
        try (Socket socket = new Socket("127.0.0.1", port)) {
            socket.setSoTimeout(20_000);
            socket.getOutputStream().write(request.getBytes(StandardCharsets.ISO_8859_1));
            socket.getOutputStream().flush();
            ByteArrayOutputStream received = new ByteArrayOutputStream();
            InputStream in = socket.getInputStream();
            byte[] buffer = new byte[8192];
            try {
                for (int n; (n = in.read(buffer)) >= 0; ) {
                    received.write(buffer, 0, n);
                }
            } catch (SocketTimeoutException e) {
                throw new AssertionError("no answer within 20 s; received: " + received.toString(StandardCharsets.UTF_8), e);
            }
            String text = received.toString(StandardCharsets.UTF_8);
            int end = text.indexOf("\r\n\r\n");
            assertThat(end).as("an HTTP answer: " + text).isPositive();
            String headers = text.substring(0, end);
            return new Answer(Integer.parseInt(headers.split(" ", 3)[1]), headers, text.substring(end + 4));
        }
    }
}
