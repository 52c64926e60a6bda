package io.canaryjudge.store;

/** The store did not answer (database down, too slow, or too busy): answered 503, not 404. */
public class VerdictStoreUnavailableException extends RuntimeException {
    public VerdictStoreUnavailableException(String message, Throwable cause) {
        super(message, cause);
    }
}
