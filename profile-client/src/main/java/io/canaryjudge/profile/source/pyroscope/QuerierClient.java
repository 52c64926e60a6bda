package io.canaryjudge.profile.source.pyroscope;

import io.canaryjudge.profile.source.ProfileSourceException;
import io.canaryjudge.profile.source.ProfileSourceException.Kind;
import io.netty.channel.ChannelOption;
import io.netty.channel.ConnectTimeoutException;
import java.io.IOException;
import java.net.ConnectException;
import java.net.URI;
import java.net.UnknownHostException;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.concurrent.TimeoutException;
import java.util.concurrent.atomic.AtomicBoolean;
import javax.net.ssl.SSLException;
import org.springframework.core.io.buffer.DataBuffer;
import org.springframework.core.io.buffer.DataBufferLimitException;
import org.springframework.core.io.buffer.DataBufferUtils;
import org.springframework.http.MediaType;
import org.springframework.http.client.reactive.ReactorClientHttpConnector;
import org.springframework.web.reactive.function.BodyExtractors;
import org.springframework.web.reactive.function.client.ClientResponse;
import org.springframework.web.reactive.function.client.WebClient;
import org.springframework.web.reactive.function.client.WebClientRequestException;
import reactor.core.publisher.Mono;
import reactor.netty.http.client.HttpClient;
import reactor.netty.resources.ConnectionProvider;

/**
 * Unary calls of Pyroscope's Connect API ({@code POST {url}/querier.v1.QuerierService/<Method>}) over
 * Spring's {@link WebClient}: tenant, auth and extra headers on every request, one timeout for the whole
 * exchange, answers read into one buffer of at most {@code maxResponseBytes}, and every failure turned
 * into a {@link ProfileSourceException} whose {@link Kind} says whether a retry may help. No retries here:
 * the caller decides (the service wraps every source call with Resilience4j).
 *
 * <p>Failures by kind: a Connect error ({@code {"code","message"}} with an HTTP status) is judged by its
 * code, else by its status — {@code unavailable}, {@code resource_exhausted}, other server faults, 5xx
 * and 429 are {@code UNAVAILABLE}; {@code deadline_exceeded} and 504 {@code TIMEOUT};
 * {@code invalid_argument}, {@code unauthenticated}, {@code permission_denied}, {@code unimplemented}
 * and other 4xx (and redirects) {@code REJECTED}. Connection refused, reset or closed before an answer
 * began is {@code UNAVAILABLE}; no answer within the timeout is {@code TIMEOUT}; an answer cut short,
 * of the wrong content type, or larger than allowed is {@code BAD_RESPONSE}.
 */
final class QuerierClient implements AutoCloseable {
    static final MediaType PROTO = MediaType.parseMediaType("application/proto");
    private static final String SERVICE = "/querier.v1.QuerierService/";
    /** Error answers are read only this far: enough for any Connect error, bounded against a huge HTML page. */
    private static final int MAX_ERROR_BYTES = 64 << 10;

    private final PyroscopeConnection connection;
    private final ConnectionProvider connections;
    private final WebClient webClient;

    QuerierClient(PyroscopeConnection connection, int maxConnections) {
        this.connection = connection;
        this.connections = ConnectionProvider.builder("pyroscope")
                .maxConnections(maxConnections)
                // Waiting for a pooled connection counts against the request's own timeout; the wait
                // queue is bounded too (callers bound their concurrency, this is the backstop).
                .pendingAcquireTimeout(connection.timeout())
                .pendingAcquireMaxCount(16 * maxConnections)
                .maxIdleTime(Duration.ofSeconds(30))
                .build();
        long connectMillis = Math.min(connection.timeout().toMillis(), 10_000);
        HttpClient http = HttpClient.create(connections)
                // Accept-Encoding: gzip; Pyroscope compresses Connect answers then, Netty inflates them
                // before the size limit counts them.
                .compress(true)
                .option(ChannelOption.CONNECT_TIMEOUT_MILLIS, (int) Math.max(1, connectMillis));
        this.webClient = WebClient.builder().clientConnector(new ReactorClientHttpConnector(http)).build();
    }

    /**
     * Calls {@code method} with {@code body} encoded in {@code codec} ({@link #PROTO} or JSON) and
     * answers the body of a successful answer (possibly empty).
     *
     * @param what the request in words, for messages: e.g. {@code SelectMergeProfile process_cpu:... for pod x, slice ...}
     */
    Mono<byte[]> call(String method, MediaType codec, byte[] body, String what) {
        AtomicBoolean answered = new AtomicBoolean();
        URI uri = URI.create(connection.url() + SERVICE + method);
        return webClient.post().uri(uri)
                .headers(headers -> {
                    headers.setContentType(codec);
                    headers.set("Accept", codec.toString());
                    headers.set("Connect-Protocol-Version", "1");
                    // Lets Pyroscope stop working on a query nobody waits for any more.
                    headers.set("Connect-Timeout-Ms", Long.toString(connection.timeout().toMillis()));
                    if (connection.tenant() != null) {
                        headers.set("X-Scope-OrgID", connection.tenant());
                    }
                    String authorization = connection.auth().authorization();
                    if (authorization != null) {
                        headers.set("Authorization", authorization);
                    }
                    connection.headers().forEach(headers::set);
                })
                .bodyValue(body)
                .exchangeToMono(response -> {
                    answered.set(true);
                    return read(response, codec, what);
                })
                .timeout(connection.timeout())
                .onErrorMap(e -> failure(e, what, answered.get()));
    }

    private Mono<byte[]> read(ClientResponse response, MediaType codec, String what) {
        int status = response.statusCode().value();
        if (status != 200) {
            return body(response, MAX_ERROR_BYTES, true)
                    .defaultIfEmpty(new byte[0])
                    .flatMap(bytes -> Mono.error(statusFailure(status, response, bytes, what)));
        }
        MediaType type = response.headers().contentType().orElse(null);
        if (type != null && !type.isCompatibleWith(codec)
                && !(codec.equals(PROTO) && isProtobufAlias(type))) {
            return response.releaseBody().then(Mono.error(fail(Kind.NOT_THE_API, what,
                    "answered with Content-Type " + type + ", expected " + codec
                            + " (is the url Pyroscope's API, not a login page or proxy?)")));
        }
        long declared = response.headers().contentLength().orElse(-1);
        if (declared > connection.maxResponseBytes()) {
            return response.releaseBody().then(Mono.error(tooLarge(what, declared + " bytes declared")));
        }
        return body(response, (int) connection.maxResponseBytes(), false).defaultIfEmpty(new byte[0]);
    }

    private static boolean isProtobufAlias(MediaType type) {
        String subtype = type.getSubtype();
        return type.getType().equals("application")
                && (subtype.equals("x-protobuf") || subtype.equals("protobuf") || subtype.equals("octet-stream"));
    }

    /** The body joined into one array, failing with {@link DataBufferLimitException} past {@code limit}. */
    private static Mono<byte[]> body(ClientResponse response, int limit, boolean truncate) {
        var buffers = response.body(BodyExtractors.toDataBuffers());
        Mono<DataBuffer> joined = truncate
                ? DataBufferUtils.join(DataBufferUtils.takeUntilByteCount(buffers, limit))
                : DataBufferUtils.join(buffers, limit);
        return joined.map(buffer -> {
            try {
                byte[] bytes = new byte[buffer.readableByteCount()];
                buffer.read(bytes);
                return bytes;
            } finally {
                DataBufferUtils.release(buffer);
            }
        });
    }

    private ProfileSourceException statusFailure(int status, ClientResponse response, byte[] body, String what) {
        QuerierMessages.ConnectError error = QuerierMessages.error(body);
        String code = error == null ? null : error.code();
        Kind kind = kindOf(status, code);
        StringBuilder reason = new StringBuilder("HTTP ").append(status);
        if (code != null) {
            reason.append(' ').append(code);
        }
        String message = error != null ? error.message() : firstLine(body);
        if (message != null && !message.isBlank()) {
            reason.append(": ").append(PyroscopeConnection.printable(message.strip()));
        }
        if (status >= 300 && status < 400) {
            reason.append(" (redirected to ").append(response.headers().asHttpHeaders().getFirst("Location"))
                    .append("; configure the final url)");
        }
        return fail(kind, what, reason.toString());
    }

    /** See the class comment: the Connect code decides when there is one, else the HTTP status. */
    static Kind kindOf(int status, String code) {
        if (code != null) {
            switch (code) {
                case "deadline_exceeded" -> {
                    return Kind.TIMEOUT;
                }
                case "unavailable", "resource_exhausted", "aborted", "canceled", "internal", "unknown", "data_loss" -> {
                    return Kind.UNAVAILABLE;
                }
                case "invalid_argument", "unauthenticated", "permission_denied", "not_found", "failed_precondition",
                     "out_of_range", "unimplemented", "already_exists" -> {
                    return Kind.REJECTED;
                }
                default -> {
                    // an unknown code: judge by the status
                }
            }
        }
        if (status == 408 || status == 504) {
            return Kind.TIMEOUT;
        }
        if (status == 429 || status >= 500) {
            return Kind.UNAVAILABLE;
        }
        if (status >= 300 && status < 500) {
            return Kind.REJECTED;
        }
        return Kind.BAD_RESPONSE;
    }

    private ProfileSourceException failure(Throwable e, String what, boolean answered) {
        if (e instanceof ProfileSourceException known) {
            return known;
        }
        if (e instanceof TimeoutException) {
            return fail(Kind.TIMEOUT, what, "no answer within " + connection.timeout().toMillis() + " ms");
        }
        if (e instanceof DataBufferLimitException) {
            return tooLarge(what, "more streamed in");
        }
        Throwable cause = e instanceof WebClientRequestException && e.getCause() != null ? e.getCause() : e;
        String detail = cause.getClass().getSimpleName() + (cause.getMessage() == null ? "" : ": " + cause.getMessage());
        if (cause instanceof ConnectTimeoutException) {
            // No connection at all is the server's state, not one query's: UNAVAILABLE opens the source's circuit for
            // every application, where a slow answer (TIMEOUT) counts against the asking application's only.
            return fail(Kind.UNAVAILABLE, what, "no connection within the timeout (" + detail + ")", e);
        }
        if (cause instanceof ConnectException || cause instanceof UnknownHostException) {
            return fail(Kind.UNAVAILABLE, what, "cannot connect to " + connection.url() + " (" + detail + ")", e);
        }
        // Reactor Netty's pool exceptions live in a shaded package: matched by name.
        String type = cause.getClass().getSimpleName();
        if (type.equals("PoolAcquireTimeoutException")) {
            // Every application's calls share the pool: the source as a whole is too slow or too busy.
            return fail(Kind.UNAVAILABLE, what, "no free connection within the timeout (" + detail + ")", e);
        }
        if (type.equals("PoolAcquirePendingLimitException")) {
            return fail(Kind.UNAVAILABLE, what, "too many requests waiting for a connection (" + detail + ")", e);
        }
        if (cause instanceof SSLException) {
            return fail(Kind.REJECTED, what, "TLS with " + connection.url() + " failed (" + detail + ")", e);
        }
        if (answered) {
            return fail(Kind.BAD_RESPONSE, what, "the answer was cut short or malformed (" + detail + ")", e);
        }
        if (cause instanceof IOException) {
            return fail(Kind.UNAVAILABLE, what, "the connection failed before an answer (" + detail + ")", e);
        }
        return fail(Kind.BAD_RESPONSE, what, "no readable HTTP answer (" + detail + ")", e);
    }

    private ProfileSourceException tooLarge(String what, String size) {
        return fail(Kind.BAD_RESPONSE, what, "answer larger than the limit of " + connection.maxResponseBytes()
                + " bytes (" + size + "; raise maxResponseBytes if this is genuine)");
    }

    static ProfileSourceException fail(Kind kind, String what, String reason) {
        return fail(kind, what, reason, null);
    }

    static ProfileSourceException fail(Kind kind, String what, String reason, Throwable cause) {
        return new ProfileSourceException(PyroscopeSource.NAME, kind, what + ": " + reason, cause);
    }

    private static String firstLine(byte[] body) {
        String text = new String(body, 0, Math.min(body.length, 512), StandardCharsets.UTF_8);
        int newline = text.indexOf('\n');
        return newline >= 0 ? text.substring(0, newline) : text;
    }

    @Override
    public void close() {
        connections.dispose();
    }
}
