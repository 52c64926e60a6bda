package io.canaryjudge.profile.source;

/**
 * A source could not deliver: the message names the source, what was asked and what went wrong,
 * in one line fit for a verdict's {@code dataQuality} or a problem response.
 */
public class ProfileSourceException extends RuntimeException {
    /** What kind of failure, so callers decide on retries and answers without parsing messages. */
    public enum Kind {
        /** Connection refused or reset, 5xx, 429: may succeed when retried. */
        UNAVAILABLE,
        /** No answer within the time allowed. */
        TIMEOUT,
        /** The source answered, but not with a readable profile or document. */
        BAD_RESPONSE,
        /**
         * Something other than the source answered (a login page, a proxy's page: HTML where the API answers
         * protobuf or JSON): the url or the authentication is wrong for every request, not for one application.
         */
        NOT_THE_API,
        /** The source refused the request (4xx other than 429: bad selector, authentication). */
        REJECTED
    }

    private final String source;
    private final Kind kind;

    public ProfileSourceException(String source, Kind kind, String message, Throwable cause) {
        super(source + ": " + message, cause);
        this.source = source;
        this.kind = kind;
    }

    public ProfileSourceException(String source, Kind kind, String message) {
        this(source, kind, message, null);
    }

    public String source() {
        return source;
    }

    public Kind kind() {
        return kind;
    }

    /** Whether a retry of an idempotent read may help. */
    public boolean retryable() {
        return kind == Kind.UNAVAILABLE || kind == Kind.TIMEOUT;
    }
}
