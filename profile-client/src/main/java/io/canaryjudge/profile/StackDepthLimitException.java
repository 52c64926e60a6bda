package io.canaryjudge.profile;

/**
 * A stack deeper than {@link ReadOptions#maxStackDepth()}: a recording made with a stack depth above the default
 * (async-profiler's {@code jstackdepth}) of deeply recursive code, or a hostile file. Whether and how the limit can
 * be raised depends on the caller ({@code --max-stack-depth} on the command line, a service property), so the
 * caller, not this message, says so, as for {@link DecompressedSizeLimitException}.
 */
public class StackDepthLimitException extends InvalidProfileException {
    private final int limit;

    /**
     * @param offset byte offset of the stack in the (inflated) input, -1 when not known
     * @param reason which stack, and how deep it is
     * @param limit  the most frames a stack may have
     */
    public StackDepthLimitException(String source, ProfileFormat format, long offset, String reason, int limit) {
        super(source, format, offset, reason);
        this.limit = limit;
    }

    /** The most frames a stack may have. */
    public int limit() {
        return limit;
    }
}
