package io.canaryjudge.profile;

/**
 * The input is not a profile in any supported format (a CSV, a README). Callers that read a
 * directory skip such files and report them; a single named file that is not a profile is an error.
 */
public class NotAProfileException extends Exception {
    private final String source;

    public NotAProfileException(String source, String reason) {
        super((source == null ? "<input>" : source) + ": not a profile: " + reason);
        this.source = source;
    }

    public String source() {
        return source;
    }
}
