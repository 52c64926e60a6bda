package io.canaryjudge.profile.testing;

/** A request the stand-in refuses, answered as a Connect error: HTTP status and {@code {"code","message"}}. */
final class StandInError extends RuntimeException {
    final int status;
    final String code;

    StandInError(int status, String code, String message) {
        super(message);
        this.status = status;
        this.code = code;
    }
}
