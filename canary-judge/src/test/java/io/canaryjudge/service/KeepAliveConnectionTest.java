package io.canaryjudge.service;

import static org.assertj.core.api.Assertions.assertThat;

import io.canaryjudge.CanaryJudgeApplication;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.net.Socket;
import java.nio.charset.StandardCharsets;
import java.util.Locale;
import org.junit.jupiter.api.Test;
import org.springframework.boot.test.context.SpringBootTest;
import org.springframework.boot.test.web.server.LocalServerPort;

/**
 * One keep-alive connection carries many requests, as Argo's and Flagger's HTTP clients send them: each answered,
 * none left unread on the socket. Reactor Netty 1.3.6 stopped reading a connection whose next request arrived
 * before the previous request's operations had terminated (reactor/reactor-netty#4361): the request then waited
 * until the client gave up and closed the connection. Requests go over a raw socket so no client library retries
 * or reconnects behind the test's back.
 */
@SpringBootTest(classes = CanaryJudgeApplication.class, webEnvironment = SpringBootTest.WebEnvironment.RANDOM_PORT,
        properties = "canary-judge.local.directory=../examples/profiles")
class KeepAliveConnectionTest {
    /** A bound, not a speed check: an answer that has not begun after this long is a hang (ms). */
    private static final int READ_TIMEOUT_MILLIS = 15_000;

    @LocalServerPort
    int port;

    @Test
    void requestsSentBackToBackOnOneConnectionAreAllAnswered() throws IOException {
        try (Socket socket = connect()) {
            OutputStream out = socket.getOutputStream();
            InputStream in = socket.getInputStream();
            for (int i = 0; i < 300; i++) {
                String path = i % 2 == 0 ? "/actuator/health/liveness" : "/api/v1/analyses/no-such-id";
                out.write(get(path));
                out.flush();
                Response response = Response.read(in);
                assertThat(response.status()).as("request %d %s", i, path).isEqualTo(i % 2 == 0 ? 200 : 404);
            }
        }
    }

    @Test
    void pipelinedRequestsAreAllAnsweredInOrder() throws IOException {
        try (Socket socket = connect()) {
            OutputStream out = socket.getOutputStream();
            InputStream in = socket.getInputStream();
            for (int round = 0; round < 50; round++) {
                ByteArrayOutputStream three = new ByteArrayOutputStream();
                three.writeBytes(get("/actuator/health/liveness"));
                three.writeBytes(get("/api/v1/analyses/no-such-id"));
                three.writeBytes(get("/actuator/health/liveness"));
                out.write(three.toByteArray());
                out.flush();
                assertThat(Response.read(in).status()).as("round %d, first", round).isEqualTo(200);
                assertThat(Response.read(in).status()).as("round %d, second", round).isEqualTo(404);
                assertThat(Response.read(in).status()).as("round %d, third", round).isEqualTo(200);
            }
        }
    }

    private Socket connect() throws IOException {
        Socket socket = new Socket("127.0.0.1", port);
        socket.setSoTimeout(READ_TIMEOUT_MILLIS);
        socket.setTcpNoDelay(true);
        return socket;
    }

    private byte[] get(String path) {
        return ("GET " + path + " HTTP/1.1\r\nHost: 127.0.0.1:" + port + "\r\nAccept: */*\r\n\r\n")
                .getBytes(StandardCharsets.US_ASCII);
    }

    /** An HTTP/1.1 answer read off the socket: status line, headers, and a body by length or in chunks. */
    record Response(int status, byte[] body) {
        static Response read(InputStream in) throws IOException {
            String statusLine = line(in);
            int status = Integer.parseInt(statusLine.split(" ")[1]);
            long length = -1;
            boolean chunked = false;
            for (String header = line(in); !header.isEmpty(); header = line(in)) {
                String lower = header.toLowerCase(Locale.ROOT);
                if (lower.startsWith("content-length:")) {
                    length = Long.parseLong(lower.substring("content-length:".length()).trim());
                } else if (lower.startsWith("transfer-encoding:") && lower.contains("chunked")) {
                    chunked = true;
                }
            }
            ByteArrayOutputStream body = new ByteArrayOutputStream();
            if (chunked) {
                for (int size = Integer.parseInt(line(in).split(";")[0].trim(), 16); size > 0;
                        size = Integer.parseInt(line(in).split(";")[0].trim(), 16)) {
                    body.writeBytes(in.readNBytes(size));
                    line(in);
                }
                line(in);
            } else if (length > 0) {
                body.writeBytes(in.readNBytes((int) length));
            }
            return new Response(status, body.toByteArray());
        }

        private static String line(InputStream in) throws IOException {
            StringBuilder line = new StringBuilder();
            for (int c = in.read(); c != '\n'; c = in.read()) {
                if (c < 0) {
                    throw new IOException("connection closed after: " + line);
                }
                if (c != '\r') {
                    line.append((char) c);
                }
            }
            return line.toString();
        }
    }
}
