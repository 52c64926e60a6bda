package io.canaryjudge.metrics;

/** Prometheus could not answer a query; the message names the query and the reason in one line. */
public class MetricsException extends RuntimeException {
    /** What kind of failure, so callers decide on retries and answers without parsing messages. */
    public enum Kind {
        /** Connection refused or reset, 5xx (503), 429: may succeed when retried. */
        UNAVAILABLE,
        /** No answer within the time allowed. */
        TIMEOUT,
        /** An answer that is not the documented envelope. */
        BAD_RESPONSE,
        /**
         * Something other than Prometheus answered (a login page, a proxy's page: HTML where the API answers
         * JSON): the url or the authentication is wrong for every query.
         */
        NOT_THE_API,
        /** Prometheus refused the query (400 bad_data, 422 execution error). */
        REJECTED
    }

    private final Kind kind;

    public MetricsException(Kind kind, String message, Throwable cause) {
        super(message, cause);
        this.kind = kind;
    }

    public MetricsException(Kind kind, String message) {
        this(kind, message, null);
    }

    public Kind kind() {
        return kind;
    }

    public boolean retryable() {
        return kind == Kind.UNAVAILABLE || kind == Kind.TIMEOUT;
    }
}
