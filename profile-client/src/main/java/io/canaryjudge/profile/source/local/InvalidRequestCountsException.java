package io.canaryjudge.profile.source.local;

/** A {@code requests.csv} that cannot be used; the message names the file, the line and the problem. */
public class InvalidRequestCountsException extends Exception {
    public InvalidRequestCountsException(String message) {
        super(message);
    }

    public InvalidRequestCountsException(String message, Throwable cause) {
        super(message, cause);
    }
}
