package io.canaryjudge.report;

/**
 * A stored report or verdict JSON that cannot be read back: not JSON, another format, or a field
 * missing or of the wrong kind. The message names the field ({@code flames[0].parent[12]}) and the
 * problem.
 */
public final class InvalidReportException extends RuntimeException {
    public InvalidReportException(String message) {
        super(message);
    }

    public InvalidReportException(String message, Throwable cause) {
        super(message, cause);
    }
}
