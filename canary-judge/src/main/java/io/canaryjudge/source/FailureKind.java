package io.canaryjudge.source;

import java.util.Locale;

/** Why a call to a source failed, as counted in metrics and decided on by retries and circuit breakers. */
public enum FailureKind {
    /** Connection refused or reset, 5xx, 429: a retry may succeed; counts against the source's circuit. */
    UNAVAILABLE(true, true),
    /** No answer within the call's timeout: a retry may succeed; counts against the circuit. */
    TIMEOUT(true, true),
    /** An answer that is not a readable profile or document: retrying gets the same; counts against the circuit. */
    BAD_RESPONSE(false, true),
    /**
     * Something other than the source answered (a login page, a proxy's page): wrong for every application, so it
     * counts against the source's circuit, never one application's; retrying gets the same.
     */
    NOT_THE_API(false, true),
    /** The source refused the request (4xx): the request's fault, not the source's. */
    REJECTED(false, false),
    /** The source's circuit is open: the call was not made. */
    CIRCUIT_OPEN(false, false),
    /** The analysis deadline passed before the call could be made. */
    DEADLINE(false, false);

    private final boolean retryable;
    private final boolean countsAgainstSource;

    FailureKind(boolean retryable, boolean countsAgainstSource) {
        this.retryable = retryable;
        this.countsAgainstSource = countsAgainstSource;
    }

    public boolean retryable() {
        return retryable;
    }

    /** Whether the failure says something about the source's health (recorded by its circuit breaker). */
    public boolean countsAgainstSource() {
        return countsAgainstSource;
    }

    /** The tag value in metrics, e.g. {@code circuit_open}. */
    public String tag() {
        return name().toLowerCase(Locale.ROOT);
    }
}
