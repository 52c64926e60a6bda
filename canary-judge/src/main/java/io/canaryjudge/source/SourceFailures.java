package io.canaryjudge.source;

/**
 * How one kind of source reports failures: which {@link FailureKind} an exception is, and the exception to
 * signal for failures the guard itself detects (timeout, open circuit, deadline), so callers keep seeing the
 * source's own exception type.
 */
public interface SourceFailures {

    /** The kind of {@code failure}; exceptions the source does not classify are {@link FailureKind#BAD_RESPONSE}. */
    FailureKind classify(Throwable failure);

    /** The exception for a failure the guard detected, with a one-line message. */
    RuntimeException create(FailureKind kind, String message, Throwable cause);
}
