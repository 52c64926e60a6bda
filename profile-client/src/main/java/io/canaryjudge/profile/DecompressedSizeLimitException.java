package io.canaryjudge.profile;

/**
 * gzip content inflates beyond {@link ReadOptions#maxDecompressedBytes()}. Whether and how that limit can be
 * raised depends on the caller (a command-line flag, a service property, or not at all), so the caller, not
 * this message, says so.
 */
public class DecompressedSizeLimitException extends InvalidProfileException {
    private final long limit;

    /** @param limit the most bytes the content may inflate to */
    public DecompressedSizeLimitException(String source, long limit) {
        super(source, ProfileFormat.GZIP, -1, "gzip content inflates beyond the limit of " + limit + " bytes");
        this.limit = limit;
    }

    /** The most bytes the content may inflate to. */
    public long limit() {
        return limit;
    }
}
