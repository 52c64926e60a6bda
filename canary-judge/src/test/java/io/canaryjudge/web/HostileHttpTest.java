package io.canaryjudge.web;

import static org.assertj.core.api.Assertions.assertThat;

import io.canaryjudge.CanaryJudgeApplication;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.InputStream;
import java.net.Socket;
import java.net.SocketException;
import java.net.SocketTimeoutException;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.springframework.boot.test.context.SpringBootTest;
import org.springframework.boot.test.web.server.LocalServerPort;
import tools.jackson.databind.JsonNode;
import tools.jackson.databind.json.JsonMapper;

/**
 * Requests a hostile or broken client sends, over a raw socket to the real server: what the HTTP server itself
 * refuses (a URL or headers beyond its limits, a line that is not HTTP) is a problem body naming the limit, like any
 * other bad request; a body that stops arriving, or trickles in, is answered 408 and its connection closed instead of
 * being waited for forever — an upload holds an analysis slot (here the only one) while its body is received.
 */
@SpringBootTest(classes = CanaryJudgeApplication.class, webEnvironment = SpringBootTest.WebEnvironment.RANDOM_PORT,
        properties = {"canary-judge.http.read-timeout=2s", "canary-judge.http.request-timeout=5s",
                "canary-judge.analysis.max-concurrent=1", "canary-judge.analysis.queue=0"})
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

    /**
     * {@code GET / HTTP/9.9} was answered as HTTP/1.1 under a status line echoing {@code HTTP/9.9}, and
     * {@code HTTP/2.0} got Reactor Netty's empty 400: a version the service does not speak is a 505 problem, its body
     * (if any) dropped with the connection.
     */
    @Test
    void aRequestLineOfAnHttpVersionOtherThanOneIs505WithAProblem() throws Exception {
        for (String version : List.of("HTTP/9.9", "HTTP/2.0", "HTTP/0.9")) {
            Answer answer = send("GET /api/v1/analyses/x " + version + "\r\nHost: judge\r\n\r\n");

            assertThat(answer.status()).as(version + ": " + answer.text()).isEqualTo(505);
            assertThat(answer.headers()).startsWith("HTTP/1.1 505 ");
            JsonNode problem = answer.problem();
            assertThat(problem.get("type").asString()).isEqualTo("urn:canary-judge:problem:http-version-not-supported");
            assertThat(problem.get("status").asInt()).isEqualTo(505);
            assertThat(problem.get("detail").asString()).isEqualTo("the request line says " + version
                    + "; this service speaks HTTP/1.1 and HTTP/1.0");
        }
        String body = AnalysisApiTest.EXAMPLE;
        Answer post = send("POST /api/v1/analyses HTTP/9.9\r\nHost: judge\r\nContent-Type: application/json\r\n"
                + "Content-Length: " + body.getBytes(StandardCharsets.UTF_8).length + "\r\n\r\n" + body);
        assertThat(post.status()).as(post.text()).isEqualTo(505);
    }

    /** A later HTTP/1 is served as HTTP/1.1 (RFC 9112, 2.3): the status line echoed {@code HTTP/1.9}. */
    @Test
    void aLaterMinorVersionOfHttpOneIsAnsweredAsHttpOneOne() throws Exception {
        Answer answer = send("GET /api/v1/analyses/x HTTP/1.9\r\nHost: judge\r\nConnection: close\r\n\r\n");

        assertThat(answer.headers()).as(answer.text()).startsWith("HTTP/1.1 404 ");
        assertThat(answer.problem().get("type").asString()).isEqualTo("urn:canary-judge:problem:analysis-not-found");
    }

    @Test
    void theServerStillAnswersAfterwards() throws Exception {
        send("GET /" + "a".repeat(5000) + " HTTP/1.1\r\n\r\n");
        Answer answer = send("GET /api/v1/analyses/x HTTP/1.0\r\n\r\n");

        assertThat(answer.status()).as(answer.text()).isEqualTo(404);
        assertThat(answer.problem().get("type").asString()).isEqualTo("urn:canary-judge:problem:analysis-not-found");
    }

    @Test
    void jsonBeyondTheReadersLimitsIsABodyProblemNamingTheLimit() throws Exception {
        String deep = "{\"application\": \"shop\", \"overrides\": " + "{\"a\": ".repeat(10_000) + "1"
                + "}".repeat(10_000) + "}";
        String longNumber = "{\"application\": \"shop\", \"overrides\": {\"maxQValue\": " + "9".repeat(100_000) + "}}";
        for (String body : new String[] {deep, longNumber}) {
            Answer answer = send("POST /api/v1/analyses HTTP/1.0\r\nContent-Type: application/json\r\nContent-Length: "
                    + body.length() + "\r\n\r\n" + body);

            assertThat(answer.status()).as(answer.text()).isEqualTo(400);
            // it blamed the field it was reading ("overrides.a has the wrong kind of value")
            assertThat(answer.problem().get("field").asString()).isEqualTo("body");
            assertThat(answer.problem().get("detail").asString()).startsWith("the body is beyond what this service"
                    + " reads").containsPattern("exceeds the maximum allowed \\(\\d+");
        }
    }

    @Test
    void aContentTypeThatIsNoMediaTypeIsNamedAsSent() throws Exception {
        Answer answer = send("POST /api/v1/webhooks/flagger HTTP/1.0\r\nContent-Type: jsn\r\nContent-Length: 2\r\n\r\n{}");

        assertThat(answer.status()).as(answer.text()).isEqualTo(415);
        assertThat(answer.problem().get("field").asString()).isEqualTo("Content-Type");
        // it said "Content-Type (none)", as if none had been sent
        assertThat(answer.problem().get("detail").asString()).startsWith("Content-Type \"jsn\" is not a media type")
                .contains("application/json");
    }

    @Test
    void aBodyThatStopsArrivingIs408NamingTheReadTimeout() throws Exception {
        long started = System.nanoTime();
        Answer answer = send("POST /api/v1/analyses HTTP/1.1\r\nHost: judge\r\nContent-Type: application/json\r\n"
                + "Content-Length: 200\r\n\r\n{\"application\": \"shop\"");

        assertThat(answer.status()).as(answer.text()).isEqualTo(408);
        assertThat(answer.problem().get("type").asString()).isEqualTo("urn:canary-judge:problem:request-timeout");
        assertThat(answer.problem().get("detail").asString()).contains("2 s").contains("canary-judge.http.read-timeout");
        assertThat(Duration.ofNanos(System.nanoTime() - started)).isLessThan(Duration.ofSeconds(10));
    }

    /**
     * A part whose headers run past the multipart reader's limit (a file name of 12,000 characters): the 413 named
     * spring.http.codecs.max-in-memory-size, a setting that does not govern part headers.
     */
    @Test
    void partHeadersBeyondTheLimitAreA413NamingThePartHeaderSetting() throws Exception {
        String body = "--XX\r\nContent-Disposition: form-data; name=\"baseline\"; filename=\"b1/" + "s".repeat(12_000)
                + ".txt\"\r\n\r\na;b 1\r\n--XX--\r\n";
        Answer answer = send("POST /api/v1/analyses HTTP/1.0\r\nContent-Type: multipart/form-data; boundary=XX\r\n"
                + "Content-Length: " + body.length() + "\r\n\r\n" + body);

        assertThat(answer.status()).as(answer.text()).isEqualTo(413);
        assertThat(answer.problem().get("detail").asString()).contains("spring.webflux.multipart.max-headers-size")
                .doesNotContain("max-in-memory-size");
        assertThat(answer.problem().get("field").asString()).isEqualTo("part headers");
    }

    @Test
    void aStalledUploadIs408AndGivesItsAnalysisSlotBack() throws Exception {
        Answer answer = send("POST /api/v1/analyses HTTP/1.1\r\nHost: judge\r\n"
                + "Content-Type: multipart/form-data; boundary=XX\r\nContent-Length: 100000\r\n\r\n--XX\r\n"
                + "Content-Disposition: form-data; name=\"baseline\"; filename=\"b1/s1.txt\"\r\n\r\na;b 1");
        assertThat(answer.status()).as(answer.text()).isEqualTo(408);
        assertThat(answer.problem().get("detail").asString()).contains("canary-judge.http.read-timeout");

        Answer analysis = send("POST /api/v1/analyses HTTP/1.0\r\nContent-Type: application/json\r\nContent-Length: "
                + AnalysisApiTest.EXAMPLE.getBytes(StandardCharsets.UTF_8).length + "\r\n\r\n" + AnalysisApiTest.EXAMPLE);
        assertThat(analysis.status()).as(analysis.text()).isEqualTo(200);
    }

    @Test
    void aBodyTrickledInIs408AtTheRequestTimeout() throws Exception {
        long started = System.nanoTime();
        try (Socket socket = new Socket("127.0.0.1", port)) {
            socket.getOutputStream().write(("POST /api/v1/webhooks/flagger HTTP/1.1\r\nHost: judge\r\n"
                    + "Content-Type: application/json\r\nContent-Length: 100000\r\n\r\n")
                    .getBytes(StandardCharsets.ISO_8859_1));
            socket.setSoTimeout(1000);
            ByteArrayOutputStream received = new ByteArrayOutputStream();
            byte[] buffer = new byte[8192];
            int n = 0;
            // One byte a second: never a pause as long as the read timeout, never the whole body.
            while (n >= 0 && System.nanoTime() - started < Duration.ofSeconds(20).toNanos()) {
                try {
                    socket.getOutputStream().write(' ');
                } catch (IOException e) {
                    break;
                }
                try {
                    n = socket.getInputStream().read(buffer);
                    if (n > 0) {
                        received.write(buffer, 0, n);
                    }
                } catch (SocketTimeoutException e) {
                    // nothing yet: send the next byte
                } catch (SocketException e) {
                    break; // reset: the server closed while a byte was on its way
                }
            }
            // Reactor Netty closes the connection at the request timeout, and the 408 written just before may not
            // make it: what matters is that the connection ends, and that whatever came is the problem.
            String text = received.toString(StandardCharsets.UTF_8);
            if (!text.isEmpty()) {
                assertThat(text).startsWith("HTTP/1.1 408 ").contains("urn:canary-judge:problem:request-timeout")
                        .contains("canary-judge.http.request-timeout");
            }
        }
        assertThat(Duration.ofNanos(System.nanoTime() - started)).isLessThan(Duration.ofSeconds(15));
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
