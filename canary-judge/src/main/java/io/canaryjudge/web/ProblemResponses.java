package io.canaryjudge.web;

import io.canaryjudge.analysis.AnalysisGate;
import io.canaryjudge.config.AnalysisConfigs;
import io.canaryjudge.config.AnalysisProperties;
import io.canaryjudge.config.HttpProperties;
import io.canaryjudge.profile.source.local.UploadSource;
import io.canaryjudge.store.UnreadableAnalysisException;
import io.canaryjudge.store.VerdictStoreUnavailableException;
import io.netty.channel.ChannelException;
import io.netty.handler.timeout.ReadTimeoutException;
import java.net.URI;
import java.time.Duration;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.springframework.core.Ordered;
import org.springframework.core.annotation.Order;
import org.springframework.core.io.buffer.DataBufferLimitException;
import org.springframework.http.HttpHeaders;
import org.springframework.http.HttpStatus;
import org.springframework.http.HttpStatusCode;
import org.springframework.http.MediaType;
import org.springframework.http.ProblemDetail;
import org.springframework.http.ResponseEntity;
import org.springframework.web.ErrorResponse;
import org.springframework.web.ErrorResponseException;
import org.springframework.web.bind.annotation.ExceptionHandler;
import org.springframework.web.bind.annotation.RestControllerAdvice;
import org.springframework.web.server.MethodNotAllowedException;
import org.springframework.web.server.ResponseStatusException;
import org.springframework.web.server.ServerWebExchange;
import org.springframework.web.server.ServerWebInputException;
import org.springframework.web.server.UnsupportedMediaTypeStatusException;
import reactor.netty.channel.AbortedException;
import tools.jackson.databind.json.JsonMapper;
import tools.jackson.databind.node.ObjectNode;

/**
 * The one place where failures become HTTP answers: RFC 9457 problem bodies ({@code application/problem+json})
 * with a {@code type} per kind of problem, a {@code title}, a {@code detail} that names the bad field and what is
 * wrong with it, and the field itself as the extension member {@code field}. Never a stack trace.
 */
@RestControllerAdvice
@Order(Ordered.HIGHEST_PRECEDENCE)
public class ProblemResponses {
    /** Problem types are URNs under this prefix, documented in docs/API.md ("Problems"). */
    public static final String TYPE_PREFIX = "urn:canary-judge:problem:";
    private static final Logger LOG = LoggerFactory.getLogger(ProblemResponses.class);
    private static final JsonMapper JSON = JsonMapper.builder().build();
    private static final String REQUEST_TIMEOUT = "reactor.netty.http.server.RequestTimeoutException";

    private final Duration retryAfter;
    private final HttpProperties http;

    /** A 429 tells callers to wait one analysis deadline: by then a running analysis has given its slot back. */
    public ProblemResponses(AnalysisProperties settings, HttpProperties http) {
        this.retryAfter = settings.deadline();
        this.http = http;
    }

    @ExceptionHandler(InvalidFieldException.class)
    ResponseEntity<ProblemDetail> invalidField(InvalidFieldException e) {
        return problem(HttpStatus.BAD_REQUEST, "invalid-request", "Invalid request", e.getMessage(), e.field());
    }

    @ExceptionHandler(AnalysisConfigs.UnknownConfigException.class)
    ResponseEntity<ProblemDetail> unknownConfig(AnalysisConfigs.UnknownConfigException e) {
        return problem(HttpStatus.BAD_REQUEST, "unknown-config", "Unknown config", e.getMessage(), "config");
    }

    /** Thrown by the Flagger adapter, whose config comes from {@code metadata.config}. */
    @ExceptionHandler(FlaggerWebhookController.UnknownMetadataConfigException.class)
    ResponseEntity<ProblemDetail> unknownMetadataConfig(FlaggerWebhookController.UnknownMetadataConfigException e) {
        return problem(HttpStatus.BAD_REQUEST, "unknown-config", "Unknown config", e.getMessage(), "metadata.config");
    }

    @ExceptionHandler(UploadSource.InvalidUploadException.class)
    ResponseEntity<ProblemDetail> invalidUpload(UploadSource.InvalidUploadException e) {
        return problem(HttpStatus.BAD_REQUEST, "invalid-upload", "Invalid upload", e.getMessage(), e.part());
    }

    @ExceptionHandler(PayloadTooLargeException.class)
    ResponseEntity<ProblemDetail> tooLarge(PayloadTooLargeException e) {
        return problem(HttpStatus.CONTENT_TOO_LARGE, "payload-too-large", "Payload too large", e.getMessage(),
                e.field());
    }

    @ExceptionHandler(DataBufferLimitException.class)
    ResponseEntity<ProblemDetail> bufferLimit(DataBufferLimitException e) {
        String said = e.getMessage() == null ? "" : e.getMessage();
        if (said.startsWith("Part headers")) {
            // the multipart reader's own limit on one part's headers (a very long file name), not the body's
            return problem(HttpStatus.CONTENT_TOO_LARGE, "payload-too-large", "Payload too large",
                    "a part's headers are longer than this service reads (spring.webflux.multipart.max-headers-size,"
                            + " 10 KiB unless set; a file name that long is likely a mistake): " + said, "part headers");
        }
        return problem(HttpStatus.CONTENT_TOO_LARGE, "payload-too-large", "Payload too large",
                "the request body is larger than this service reads into memory (spring.http.codecs.max-in-memory-size): "
                        + said, "body");
    }

    @ExceptionHandler({AnalysisGate.TooManyAnalysesException.class, UploadReader.UploadMemoryFullException.class,
            UploadSource.MemoryBusyException.class})
    ResponseEntity<ProblemDetail> tooMany(RuntimeException e) {
        long seconds = Math.max(1, (retryAfter.toMillis() + 999) / 1000);
        ResponseEntity<ProblemDetail> answer = problem(HttpStatus.TOO_MANY_REQUESTS, "too-many-analyses",
                "Too many analyses", e.getMessage() + " (retry after " + seconds + " s)", null);
        return ResponseEntity.status(answer.getStatusCode()).headers(answer.getHeaders())
                .header(HttpHeaders.RETRY_AFTER, Long.toString(seconds)).body(answer.getBody());
    }

    @ExceptionHandler(AnalysisNotFoundException.class)
    ResponseEntity<ProblemDetail> notFound(AnalysisNotFoundException e) {
        return problem(HttpStatus.NOT_FOUND, "analysis-not-found", "Analysis not found", e.getMessage(), "id");
    }

    /** The verdict may well exist: the database did not answer. Not a 404, so nobody concludes it is gone. */
    @ExceptionHandler(VerdictStoreUnavailableException.class)
    ResponseEntity<ProblemDetail> storeUnavailable(VerdictStoreUnavailableException e) {
        LOG.warn("{}", e.getMessage());
        return problem(HttpStatus.SERVICE_UNAVAILABLE, "store-unavailable", "Verdict store unavailable",
                e.getMessage() + "; try again later", null);
    }

    /**
     * The row exists but its documents cannot be read back (damaged, or written by an incompatible version): not a
     * bug of this request, so one WARN line naming the analysis and what is wrong, no stack trace, and the same
     * words in the answer.
     */
    @ExceptionHandler(UnreadableAnalysisException.class)
    ResponseEntity<ProblemDetail> unreadableAnalysis(UnreadableAnalysisException e) {
        LOG.warn("verdict store: {}", oneLine(e.getMessage()));
        return problem(HttpStatus.INTERNAL_SERVER_ERROR, "stored-analysis-unreadable", "Stored analysis unreadable",
                oneLine(e.getMessage()) + " (its row in the table analyses is damaged, or was written by an"
                        + " incompatible version)", "id");
    }

    /** A body that stalled or trickled ({@link HttpProperties}); the server closes the connection after this. */
    @ExceptionHandler({ReadTimeoutException.class, ChannelException.class})
    ResponseEntity<ProblemDetail> requestTimeout(Exception e) {
        if (!stalledRequest(e)) {
            return internal(e);
        }
        String detail = e instanceof ReadTimeoutException
                ? "the request's body stopped arriving: nothing came for " + readable(http.readTimeout())
                + " (canary-judge.http.read-timeout)"
                : "the request's body did not arrive whole within " + readable(http.requestTimeout())
                + " (canary-judge.http.request-timeout)";
        LOG.debug("{}", detail);
        return problem(HttpStatus.REQUEST_TIMEOUT, "request-timeout", "Request timeout", detail, "body");
    }

    /**
     * The client closed its connection before its request had arrived (an upload's client killed, or its own timeout
     * come): nothing in the service failed, and nobody is left to hear the answer. DEBUG, not the ERROR of
     * {@link #internal}.
     */
    @ExceptionHandler(AbortedException.class)
    ResponseEntity<ProblemDetail> clientGone(AbortedException e) {
        LOG.debug("the client closed its connection before its request arrived: {}", e.getMessage());
        return problem(HttpStatus.BAD_REQUEST, "invalid-request", "Invalid request", "the connection was closed"
                + " before the request's body had arrived", "body");
    }

    /** Spring gives no content type when the header is not a media type at all ({@code jsn}): named as sent. */
    @ExceptionHandler(UnsupportedMediaTypeStatusException.class)
    ResponseEntity<ProblemDetail> unsupportedMediaType(UnsupportedMediaTypeStatusException e, ServerWebExchange exchange) {
        String sent = exchange.getRequest().getHeaders().getFirst(HttpHeaders.CONTENT_TYPE);
        String which = e.getContentType() != null ? "Content-Type " + e.getContentType() + " is not accepted here"
                : sent == null || sent.isBlank() ? "Content-Type (none) is not accepted here"
                : "Content-Type \"" + oneLine(sent) + "\" is not a media type";
        return problem(HttpStatus.UNSUPPORTED_MEDIA_TYPE, "unsupported-media-type", "Unsupported media type",
                which + "; send one of " + e.getSupportedMediaTypes(), "Content-Type");
    }

    @ExceptionHandler(MethodNotAllowedException.class)
    ResponseEntity<ProblemDetail> methodNotAllowed(MethodNotAllowedException e) {
        return problem(HttpStatus.METHOD_NOT_ALLOWED, "method-not-allowed", "Method not allowed",
                e.getHttpMethod() + " is not allowed here; allowed: " + e.getSupportedMethods(), null);
    }

    @ExceptionHandler(ServerWebInputException.class)
    ResponseEntity<ProblemDetail> badInput(ServerWebInputException e) {
        for (Throwable cause = e; cause != null; cause = cause.getCause()) {
            if (cause instanceof DataBufferLimitException limit) {
                return bufferLimit(limit);
            }
            if (stalledRequest(cause)) {
                return requestTimeout((Exception) cause);
            }
        }
        return problem(HttpStatus.BAD_REQUEST, "invalid-request", "Invalid request", oneLine(e.getReason())
                + cause(e), "body");
    }

    /**
     * What the framework found wrong under its generic reason ("Failed to read HTTP message"): e.g. a multipart
     * body that ends before its closing boundary. Empty when there is nothing more to say.
     */
    private static String cause(ServerWebInputException e) {
        Throwable root = e;
        while (root.getCause() != null && root.getCause() != root) {
            root = root.getCause();
        }
        String message = root == e ? null : root.getMessage();
        return message == null || message.isBlank() || (e.getReason() != null && e.getReason().contains(message)) ? ""
                : ": " + oneLine(message);
    }

    /** Other framework answers (404 for an unknown path, 406, ...): their status, as a problem. */
    @ExceptionHandler({ResponseStatusException.class, ErrorResponseException.class})
    ResponseEntity<ProblemDetail> framework(Exception e) {
        ErrorResponse error = (ErrorResponse) e;
        HttpStatusCode status = error.getStatusCode();
        if (status.value() == HttpStatus.CONTENT_TOO_LARGE.value()) {
            for (Throwable cause = e.getCause(); cause != null && cause != cause.getCause(); cause = cause.getCause()) {
                if (cause instanceof DataBufferLimitException limit) {
                    return bufferLimit(limit);
                }
            }
            return problem(status, "payload-too-large", "Payload too large", "the request body is larger than this"
                    + " service reads into memory (spring.http.codecs.max-in-memory-size)", "body");
        }
        String detail = error.getBody().getDetail() != null ? error.getBody().getDetail() : oneLine(e.getMessage());
        return problem(status, "http-" + status.value(), error.getBody().getTitle(), detail, null);
    }

    @ExceptionHandler(Exception.class)
    ResponseEntity<ProblemDetail> internal(Exception e) {
        LOG.error("internal error", e);
        return problem(HttpStatus.INTERNAL_SERVER_ERROR, "internal-error", "Internal error",
                "internal error: " + oneLine(e.toString()) + " (the service's log has the details)", null);
    }

    static ResponseEntity<ProblemDetail> problem(HttpStatusCode status, String type, String title, String detail,
                                                 String field) {
        ProblemDetail problem = ProblemDetail.forStatusAndDetail(status, detail);
        problem.setType(URI.create(TYPE_PREFIX + type));
        problem.setTitle(title);
        if (field != null) {
            problem.setProperty("field", field);
        }
        return ResponseEntity.status(status).contentType(MediaType.APPLICATION_PROBLEM_JSON).body(problem);
    }

    /**
     * The same problem as JSON text, for answers written below Spring ({@link MalformedRequests}: requests the HTTP
     * server could not parse, whose path is unknown, hence no {@code instance}).
     */
    static String json(HttpStatusCode status, String type, String title, String detail, String field) {
        ObjectNode problem = JSON.createObjectNode();
        problem.put("type", TYPE_PREFIX + type).put("title", title).put("status", status.value())
                .put("detail", oneLine(detail));
        if (field != null) {
            problem.put("field", field);
        }
        return JSON.writeValueAsString(problem);
    }

    /**
     * Reactor Netty's read timeout, or its request timeout (a package-private {@link ChannelException}, known by
     * its name): the client stopped sending its request.
     */
    static boolean stalledRequest(Throwable e) {
        return e instanceof ReadTimeoutException || e.getClass().getName().equals(REQUEST_TIMEOUT);
    }

    /** {@code 15 s}, {@code 500 ms}. */
    private static String readable(Duration duration) {
        return duration.toMillis() % 1000 == 0 ? duration.toSeconds() + " s" : duration.toMillis() + " ms";
    }

    private static String oneLine(String text) {
        return text == null ? "" : text.replaceAll("[\\r\\n]+", " ");
    }
}
