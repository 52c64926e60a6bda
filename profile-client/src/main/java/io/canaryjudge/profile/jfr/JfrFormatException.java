package io.canaryjudge.profile.jfr;

/** A structural problem found while checking a JFR file, at an absolute byte offset. */
final class JfrFormatException extends Exception {
    private final long offset;

    JfrFormatException(long offset, String reason) {
        super(reason, null, false, false);
        this.offset = offset;
    }

    long offset() {
        return offset;
    }
}
