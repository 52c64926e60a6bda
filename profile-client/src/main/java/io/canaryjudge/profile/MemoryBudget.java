package io.canaryjudge.profile;

/**
 * Bytes of heap that work running at the same time may hold together (files being inflated, uploads being
 * judged): a reservation either fits now, fits only once others give theirs back, or can never fit.
 */
public final class MemoryBudget {
    /** What a reservation found. */
    public enum Outcome {
        /** Reserved: give it back with {@link #release}. */
        RESERVED,
        /** It would fit alone, but others hold too much now: try again later. */
        BUSY,
        /** Together with what the same work holds already it exceeds the whole budget. */
        NEVER_FITS
    }

    private final long total;
    private long used;

    /** @param total bytes */
    public MemoryBudget(long total) {
        this.total = total;
    }

    /**
     * Reserves {@code bytes} more for work that holds {@code held} of this budget already.
     */
    public synchronized Outcome reserve(long bytes, long held) {
        if (held + bytes > total) {
            return Outcome.NEVER_FITS;
        }
        if (used + bytes > total) {
            return Outcome.BUSY;
        }
        used += bytes;
        return Outcome.RESERVED;
    }

    public synchronized void release(long bytes) {
        used -= bytes;
    }

    /** Bytes reserved now. */
    public synchronized long used() {
        return used;
    }

    /** Bytes in all. */
    public long total() {
        return total;
    }
}
