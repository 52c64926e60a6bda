package io.canaryjudge.profile;

import java.util.Locale;

/**
 * A file that is a profile (its format was recognised) but cannot be read: truncated, corrupt,
 * over a configured limit. Carries where and why, for a message a person can act on.
 */
public class InvalidProfileException extends Exception {
    private final String source;
    private final ProfileFormat format;
    private final long offset;
    private final String reason;

    /**
     * @param source file name or other description of the input
     * @param format the detected format, {@code null} when not known
     * @param offset byte offset of the problem in the (inflated) input, -1 when not known
     * @param reason what is wrong, in plain words
     */
    public InvalidProfileException(String source, ProfileFormat format, long offset, String reason) {
        this(source, format, offset, reason, null);
    }

    public InvalidProfileException(String source, ProfileFormat format, long offset, String reason, Throwable cause) {
        super(message(source, format, offset, reason), cause);
        this.source = source;
        this.format = format;
        this.offset = offset;
        this.reason = reason;
    }

    /**
     * For a problem that is not damage ({@code "SOURCE: PROBLEM"}): a profile of a format the judge does not read.
     *
     * @param problem what is wrong and what to do, in plain words
     */
    protected InvalidProfileException(String source, String problem) {
        super((source == null ? "<input>" : source) + ": " + problem);
        this.source = source;
        this.format = null;
        this.offset = -1;
        this.reason = problem;
    }

    private static String message(String source, ProfileFormat format, long offset, String reason) {
        StringBuilder text = new StringBuilder();
        text.append(source == null ? "<input>" : source).append(": ");
        if (format != null) {
            text.append("invalid ").append(format.name().toLowerCase(Locale.ROOT)).append(" profile");
        } else {
            text.append("invalid profile");
        }
        if (offset >= 0) {
            text.append(" at byte ").append(offset);
        }
        return text.append(": ").append(reason).toString();
    }

    public String source() {
        return source;
    }

    public ProfileFormat format() {
        return format;
    }

    /** Byte offset in the (inflated) input, -1 when not known. */
    public long offset() {
        return offset;
    }

    public String reason() {
        return reason;
    }
}
