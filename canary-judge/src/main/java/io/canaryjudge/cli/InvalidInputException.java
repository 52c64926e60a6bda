package io.canaryjudge.cli;

/**
 * An input the command cannot use: a PATH that does not exist, a corrupt profile, a bad
 * {@code requests.csv} line (exit 65). The message names the file (and line) and the problem.
 */
public class InvalidInputException extends Exception {
    public InvalidInputException(String message) {
        super(message);
    }

    public InvalidInputException(String message, Throwable cause) {
        super(message, cause);
    }
}
