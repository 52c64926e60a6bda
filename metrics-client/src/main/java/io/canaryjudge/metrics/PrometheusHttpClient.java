package io.canaryjudge.metrics;

import io.netty.channel.ChannelOption;
import io.netty.channel.ConnectTimeoutException;
import io.netty.handler.timeout.TimeoutException;
import java.io.IOException;
import java.math.BigDecimal;
import java.net.ConnectException;
import java.net.URI;
import java.net.UnknownHostException;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.time.Instant;
import java.util.Base64;
import java.util.List;
import java.util.Optional;
import org.springframework.core.io.buffer.DataBufferLimitException;
import org.springframework.http.HttpHeaders;
import org.springframework.http.HttpStatusCode;
import org.springframework.http.MediaType;
import org.springframework.http.client.reactive.ReactorClientHttpConnector;
import org.springframework.util.LinkedMultiValueMap;
import org.springframework.util.MultiValueMap;
import org.springframework.web.reactive.function.BodyInserters;
import org.springframework.web.reactive.function.client.ClientResponse;
import org.springframework.web.reactive.function.client.WebClient;
import reactor.core.publisher.Mono;
import reactor.netty.http.client.HttpClient;
import reactor.netty.http.client.PrematureCloseException;

/**
 * {@link Prometheus} over HTTP: {@code POST /api/v1/query_range} (form-encoded, so long queries never
 * meet a URL length limit) and {@code GET /-/ready}.
 *
 * <p>Every failure ends as one {@link MetricsException} whose one-line message names the query
 * (shortened) and the reason:
 * <ul>
 * <li>{@code REJECTED}: 400 (Prometheus' {@code bad_data}: a PromQL error), 422 ({@code execution}: e.g.
 * many-to-many matching), 401/403 and other 4xx but 429, and arguments this client refuses before
 * sending (step below 1 s, end before start, more than 11,000 points per series — Prometheus' own
 * limit). Not worth retrying.</li>
 * <li>{@code UNAVAILABLE}: 429, 5xx, connection refused, reset or closed before the response was
 * complete, unknown host.</li>
 * <li>{@code TIMEOUT}: no complete answer within {@link PrometheusConnection#timeout()} (connect, send,
 * wait and read together), and a 503 whose {@code errorType} is {@code timeout} (Prometheus' own query
 * time-out).</li>
 * <li>{@code BAD_RESPONSE}: a 200 that is not the envelope — malformed or truncated JSON, {@code status}
 * other than {@code success}, a {@code resultType} other than {@code matrix} — and a body larger than
 * {@link PrometheusConnection#maxResponseBytes()}.</li>
 * </ul>
 * No retries: the service wraps calls in its own retry and circuit breaker, which read
 * {@link MetricsException#retryable()}.
 */
public final class PrometheusHttpClient implements Prometheus {
    /** Prometheus refuses range queries with more points per series ("exceeded maximum resolution"). */
    static final long MAX_POINTS_PER_SERIES = 11_000;
    /** Longest piece of a query or a server's text quoted in a message, characters. */
    private static final int QUOTE_LENGTH = 120;

    private final PrometheusConnection connection;
    private final WebClient web;
    private final URI queryRangeUri;
    private final URI readyUri;

    /**
     * A client with its own Reactor Netty connector: connect time-out = the request time-out, gzip
     * accepted (a matrix compresses about tenfold; the size limit applies to the decompressed body).
     */
    public PrometheusHttpClient(PrometheusConnection connection) {
        this(connection, WebClient.builder().clientConnector(new ReactorClientHttpConnector(HttpClient.create()
                .compress(true)
                .option(ChannelOption.CONNECT_TIMEOUT_MILLIS, (int) connection.timeout().toMillis()))));
    }

    /**
     * A client built from the application's builder (its connector, filters and observation); the
     * builder is cloned, not changed.
     */
    public PrometheusHttpClient(PrometheusConnection connection, WebClient.Builder builder) {
        this.connection = connection;
        this.queryRangeUri = connection.resolve("/api/v1/query_range");
        this.readyUri = connection.resolve("/-/ready");
        this.web = builder.clone()
                .codecs(codecs -> codecs.defaultCodecs().maxInMemorySize(connection.maxResponseBytes()))
                .defaultHeaders(headers -> {
                    headers.setAccept(List.of(MediaType.APPLICATION_JSON));
                    connection.headers().forEach(headers::set);
                    authorization(connection.auth()).ifPresent(value -> headers.set(HttpHeaders.AUTHORIZATION, value));
                })
                .build();
    }

    public PrometheusConnection connection() {
        return connection;
    }

    @Override
    public Mono<List<TimeSeries>> queryRange(String promql, Instant start, Instant end, Duration step) {
        return queryRangeWithWarnings(promql, start, end, step).map(RangeQueryResult::series);
    }

    @Override
    public Mono<RangeQueryResult> queryRangeWithWarnings(String promql, Instant start, Instant end, Duration step) {
        String refusal = refusal(promql, start, end, step);
        if (refusal != null) {
            return Mono.error(new MetricsException(MetricsException.Kind.REJECTED, message(promql, refusal)));
        }
        MultiValueMap<String, String> form = new LinkedMultiValueMap<>();
        form.add("query", promql);
        form.add("start", seconds(start.toEpochMilli()));
        form.add("end", seconds(end.toEpochMilli()));
        form.add("step", seconds(step.toMillis()));
        return web.post()
                .uri(queryRangeUri)
                .contentType(MediaType.APPLICATION_FORM_URLENCODED)
                .body(BodyInserters.fromFormData(form))
                .exchangeToMono(response -> readBody(response)
                        .map(body -> interpret(promql, response.statusCode(), body)))
                .timeout(connection.timeout())
                .onErrorMap(e -> !(e instanceof MetricsException), e -> transportFailure(promql, e));
    }

    @Override
    public Mono<Readiness> readiness() {
        return web.get()
                .uri(readyUri)
                .exchangeToMono(response -> response.releaseBody().thenReturn(response.statusCode().is2xxSuccessful()
                        ? Readiness.up("HTTP " + response.statusCode().value() + " from " + readyUri)
                        : Readiness.down("HTTP " + response.statusCode().value() + " from " + readyUri)))
                .timeout(connection.timeout())
                .onErrorResume(e -> Mono.just(Readiness.down(transportFailureReason(e).reason())));
    }

    /** The body as bytes (empty when there is none); an oversized body of an error answer is dropped, not fatal. */
    private Mono<Body> readBody(ClientResponse response) {
        Mono<Body> body = response.bodyToMono(byte[].class).map(Body::of).defaultIfEmpty(Body.EMPTY);
        if (response.statusCode().is2xxSuccessful()) {
            return body;
        }
        return body.onErrorResume(e -> causedBy(e, DataBufferLimitException.class), e -> Mono.just(Body.TOO_LARGE));
    }

    /** A response body; {@code tooLarge} when it was dropped for exceeding the size limit. */
    private record Body(byte[] bytes, boolean tooLarge) {
        static final Body EMPTY = new Body(new byte[0], false);
        static final Body TOO_LARGE = new Body(new byte[0], true);

        static Body of(byte[] bytes) {
            return new Body(bytes, false);
        }
    }

    private RangeQueryResult interpret(String promql, HttpStatusCode status, Body body) {
        if (status.is2xxSuccessful()) {
            return success(promql, status, body.bytes());
        }
        int code = status.value();
        ResponseEnvelope envelope = null;
        try {
            envelope = body.bytes().length == 0 ? null : ResponseEnvelope.read(body.bytes());
        } catch (ResponseEnvelope.InvalidEnvelopeException e) {
            // Not Prometheus' envelope (a proxy's page); the status and a quote of the body say enough.
        }
        String said = envelope != null && envelope.error() != null
                ? (envelope.errorType() == null ? "" : envelope.errorType() + ": ") + envelope.error()
                : body.tooLarge() ? "(body larger than " + connection.maxResponseBytes() + " bytes)"
                : quoteBody(body.bytes());
        String errorType = envelope == null ? null : envelope.errorType();
        MetricsException.Kind kind;
        String reason;
        if (code == 503 && "timeout".equals(errorType)) {
            kind = MetricsException.Kind.TIMEOUT;
            reason = "Prometheus timed out evaluating it (HTTP 503)";
        } else if (code == 429 || status.is5xxServerError()) {
            kind = MetricsException.Kind.UNAVAILABLE;
            reason = "unavailable (HTTP " + code + ")";
        } else if (code == 401 || code == 403) {
            kind = MetricsException.Kind.REJECTED;
            reason = "not authorized (HTTP " + code + "); check the Prometheus credentials";
        } else if (status.is4xxClientError()) {
            kind = MetricsException.Kind.REJECTED;
            reason = "rejected (HTTP " + code + ")";
        } else {
            kind = MetricsException.Kind.BAD_RESPONSE;
            reason = "unexpected HTTP " + code;
        }
        throw new MetricsException(kind, message(promql, said.isEmpty() ? reason : reason + ": " + said));
    }

    private RangeQueryResult success(String promql, HttpStatusCode status, byte[] body) {
        ResponseEnvelope envelope;
        try {
            envelope = ResponseEnvelope.read(body);
        } catch (ResponseEnvelope.InvalidEnvelopeException e) {
            if (looksLikeMarkup(body)) {
                throw new MetricsException(MetricsException.Kind.NOT_THE_API, message(promql, "answered with an HTML"
                        + " page, not Prometheus' JSON (is the url Prometheus' API, not a login page or proxy?): "
                        + quoteBody(body)));
            }
            throw badResponse(promql, status, e.getMessage());
        }
        if (!"success".equals(envelope.status())) {
            String said = envelope.error() == null ? "" : ": "
                    + (envelope.errorType() == null ? "" : envelope.errorType() + ": ") + envelope.error();
            throw badResponse(promql, status, "status \"" + envelope.status() + "\"" + said);
        }
        if (!envelope.isMatrix()) {
            throw badResponse(promql, status, "resultType \"" + envelope.resultType() + "\", expected \"matrix\"");
        }
        return new RangeQueryResult(envelope.series(), envelope.warnings());
    }

    /** Whether {@code body} starts, after white space, with {@code <}: HTML or XML, never Prometheus' JSON. */
    private static boolean looksLikeMarkup(byte[] body) {
        for (byte b : body) {
            if (b != ' ' && b != '\t' && b != '\n' && b != '\r') {
                return b == '<';
            }
        }
        return false;
    }

    private MetricsException badResponse(String promql, HttpStatusCode status, String reason) {
        return new MetricsException(MetricsException.Kind.BAD_RESPONSE,
                message(promql, "bad response (HTTP " + status.value() + "): " + reason));
    }

    /** Failures below HTTP: time-outs, refused or broken connections, oversized bodies. */
    private MetricsException transportFailure(String promql, Throwable e) {
        TransportFailure failure = transportFailureReason(e);
        return new MetricsException(failure.kind(), message(promql, failure.reason()), e);
    }

    /** What went wrong below HTTP, in one line, and the kind of failure it is. */
    private TransportFailure transportFailureReason(Throwable e) {
        if (causedBy(e, ConnectTimeoutException.class)) {
            // No connection at all is the server's state, not one query's: UNAVAILABLE opens the source's circuit for
            // every application, where a slow answer (TIMEOUT) counts against the asking application's only.
            return new TransportFailure(MetricsException.Kind.UNAVAILABLE, "cannot connect to " + connection.baseUrl()
                    + " within " + connection.timeout().toMillis() + " ms");
        }
        if (causedBy(e, java.util.concurrent.TimeoutException.class) || causedBy(e, TimeoutException.class)) {
            return new TransportFailure(MetricsException.Kind.TIMEOUT,
                    "no answer within " + connection.timeout().toMillis() + " ms");
        }
        if (causedBy(e, DataBufferLimitException.class)) {
            return new TransportFailure(MetricsException.Kind.BAD_RESPONSE,
                    "response larger than " + connection.maxResponseBytes() + " bytes");
        }
        String reason;
        if (causedBy(e, ConnectException.class)) {
            reason = "cannot connect to " + connection.baseUrl() + " (" + rootMessage(e) + ")";
        } else if (causedBy(e, UnknownHostException.class)) {
            reason = "unknown host " + connection.baseUrl().getHost();
        } else if (causedBy(e, PrematureCloseException.class)) {
            reason = "connection closed before the response was complete";
        } else if (causedBy(e, IOException.class)) {
            reason = "connection failed (" + rootMessage(e) + ")";
        } else {
            return new TransportFailure(MetricsException.Kind.BAD_RESPONSE, "unreadable response (" + rootMessage(e) + ")");
        }
        return new TransportFailure(MetricsException.Kind.UNAVAILABLE, reason);
    }

    private record TransportFailure(MetricsException.Kind kind, String reason) {
    }

    /** Why the arguments cannot make a valid request; null when they can. */
    private static String refusal(String promql, Instant start, Instant end, Duration step) {
        if (promql == null || promql.isBlank()) {
            return "the query is empty";
        }
        if (start == null || end == null || step == null) {
            return "start, end and step are required";
        }
        if (step.compareTo(Duration.ofSeconds(1)) < 0) {
            return "step " + step.toMillis() + " ms is below 1 s";
        }
        if (end.isBefore(start)) {
            return "end " + end + " is before start " + start;
        }
        long points = Duration.between(start, end).toMillis() / step.toMillis() + 1;
        if (points > MAX_POINTS_PER_SERIES) {
            return points + " points per series (window / step) exceed Prometheus' limit of " + MAX_POINTS_PER_SERIES
                    + "; use a larger step";
        }
        return null;
    }

    /** {@code Prometheus query "…": reason}, on one line. */
    static String message(String promql, String reason) {
        return "Prometheus query \"" + oneLine(promql == null ? "" : promql, QUOTE_LENGTH) + "\": "
                + oneLine(reason, 400);
    }

    static String oneLine(String text, int maxLength) {
        String line = text.replaceAll("\\s+", " ").strip();
        return line.length() <= maxLength ? line : line.substring(0, maxLength) + "…";
    }

    private static String quoteBody(byte[] body) {
        int length = Math.min(body.length, 4 * QUOTE_LENGTH);
        return oneLine(new String(body, 0, length, StandardCharsets.UTF_8), QUOTE_LENGTH);
    }

    /** Unix seconds (or a duration in seconds) with millisecond precision: {@code 1700000000.5}, {@code 60}. */
    static String seconds(long millis) {
        return BigDecimal.valueOf(millis, 3).stripTrailingZeros().toPlainString();
    }

    private static Optional<String> authorization(PrometheusConnection.Auth auth) {
        if (auth instanceof PrometheusConnection.Basic basic) {
            String pair = basic.username() + ":" + basic.password();
            return Optional.of("Basic "
                    + Base64.getEncoder().encodeToString(pair.getBytes(StandardCharsets.UTF_8)));
        }
        if (auth instanceof PrometheusConnection.Bearer bearer) {
            return Optional.of("Bearer " + bearer.token());
        }
        return Optional.empty();
    }

    private static boolean causedBy(Throwable e, Class<? extends Throwable> type) {
        for (Throwable t = e; t != null; t = t.getCause() == t ? null : t.getCause()) {
            if (type.isInstance(t)) {
                return true;
            }
        }
        return false;
    }

    private static String rootMessage(Throwable e) {
        Throwable root = e;
        while (root.getCause() != null && root.getCause() != root) {
            root = root.getCause();
        }
        String text = root.getMessage() == null ? root.getClass().getSimpleName() : root.getMessage();
        return oneLine(text, QUOTE_LENGTH);
    }
}
