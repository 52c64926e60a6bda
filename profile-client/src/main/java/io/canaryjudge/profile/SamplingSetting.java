package io.canaryjudge.profile;

import java.util.Locale;

/**
 * How a profiler took CPU samples, as far as the profile says: the sampling engine and the interval
 * between samples. Profiles taken with different engines (async-profiler's {@code event=cpu},
 * perf_events counting the thread's CPU time, against {@code event=itimer}, a process-wide timer
 * signal that lands on whichever thread runs) or intervals attribute CPU differently in detail —
 * short and native frames, threads that run briefly — so their shares are not comparable function by
 * function.
 *
 * @param engine        what took the samples, e.g. {@code async-profiler event=cpu (perf_events)},
 *                      {@code async-profiler event=itimer}, {@code JDK method sampling}; null when unknown
 * @param intervalNanos the sampling interval, nanoseconds; 0 when unknown
 */
public record SamplingSetting(String engine, long intervalNanos) {
    public SamplingSetting {
        if (intervalNanos < 0) {
            throw new IllegalArgumentException("intervalNanos must be >= 0, was " + intervalNanos);
        }
    }

    /** Whether two settings are known to differ: both name an engine and the engines differ, or both an interval. */
    public boolean differsFrom(SamplingSetting other) {
        return engine != null && other.engine != null && !engine.equals(other.engine)
                || intervalNanos > 0 && other.intervalNanos > 0 && intervalNanos != other.intervalNanos;
    }

    /**
     * The greatest common divisor of two stack values ({@code 0} with {@code v} is {@code v}): a time-sampled column's
     * values are multiples of its sampling interval, so folding this over them shows the interval (or a multiple of
     * it) where the profile does not declare one.
     */
    public static long commonDivisor(long a, long b) {
        while (b != 0) {
            long t = a % b;
            a = b;
            b = t;
        }
        return a;
    }

    /** "async-profiler event=itimer, interval 10 ms"; the parts that are known. */
    public String describe() {
        String interval = intervalNanos > 0 ? "interval " + duration(intervalNanos) : null;
        if (engine == null) {
            return interval == null ? "unknown sampling" : interval;
        }
        return interval == null ? engine : engine + ", " + interval;
    }

    /** 10 ms, 1 ms, 500 µs, 997 ns: the largest unit that divides the interval. */
    private static String duration(long nanos) {
        if (nanos % 1_000_000_000L == 0) {
            return nanos / 1_000_000_000L + " s";
        }
        if (nanos % 1_000_000L == 0) {
            return nanos / 1_000_000L + " ms";
        }
        if (nanos % 1_000L == 0) {
            return nanos / 1_000L + " µs";
        }
        return String.format(Locale.ROOT, "%d ns", nanos);
    }

    @Override
    public String toString() {
        return describe();
    }
}
