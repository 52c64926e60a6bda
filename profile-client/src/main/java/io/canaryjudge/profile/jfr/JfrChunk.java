package io.canaryjudge.profile.jfr;

/**
 * One checked chunk of a JFR file: where it lies, its clock, the ids its metadata gives the
 * sampled events, how many of each it holds and the sampling settings it declares.
 *
 * @param offset         absolute offset of the chunk header in the file
 * @param size           chunk length in bytes, header included
 * @param startNanos     chunk start, nanoseconds since the epoch
 * @param durationNanos  chunk length in time, nanoseconds
 * @param startTicks     chunk start in the recording's tick clock
 * @param ticksPerSecond tick clock frequency (always &gt; 0)
 * @param constantPoolOffset where the chain of checkpoint events starts, from the chunk's start
 * @param metadata       the chunk's types (shared with the chunks whose metadata is the same)
 * @param typeIds        event type id per {@link JfrEventKind} ordinal, -1 when the chunk has no such type
 * @param eventCounts    events per {@link JfrEventKind} ordinal
 * @param settings       sampling settings declared in this chunk (or carried over from earlier chunks)
 * @param foreignSamples stack-sample events of producers this reader does not decode
 *                       (dd-trace-java's native profiler: {@code datadog.ExecutionSample}, ...)
 */
record JfrChunk(int offset, int size, long startNanos, long durationNanos, long startTicks, long ticksPerSecond,
                int constantPoolOffset, JfrMetadata metadata, int[] typeIds, long[] eventCounts, JfrSamplingSettings settings, long foreignSamples) {

    long endNanos() {
        return startNanos + durationNanos;
    }

    long count(JfrEventKind kind) {
        return eventCounts[kind.ordinal()];
    }

    /** Converts a tick timestamp of this chunk to nanoseconds since the epoch. */
    long ticksToEpochNanos(long ticks) {
        return startNanos + ticksToNanos(ticks - startTicks);
    }

    /**
     * Converts a tick duration of this chunk to nanoseconds, floored, in exact integer
     * arithmetic (so per-event conversions never round up past the true value).
     */
    long ticksToNanos(long ticks) {
        if (ticksPerSecond == 1_000_000_000L) {
            return ticks;
        }
        long seconds = Math.floorDiv(ticks, ticksPerSecond);
        long rest = Math.floorMod(ticks, ticksPerSecond);
        long fraction = ticksPerSecond <= Long.MAX_VALUE / 1_000_000_000L
                ? rest * 1_000_000_000L / ticksPerSecond
                : (long) Math.floor(rest * (1e9 / ticksPerSecond));
        return Math.addExact(Math.multiplyExact(seconds, 1_000_000_000L), fraction);
    }
}
