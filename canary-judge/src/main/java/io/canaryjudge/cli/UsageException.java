package io.canaryjudge.cli;

/** A command line that cannot be run: unknown flag, missing value, bad combination (exit 64). */
public class UsageException extends RuntimeException {
    public UsageException(String message) {
        super(message);
    }
}
