package io.canaryjudge.profile.jfr;

import java.util.Locale;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * The sampling settings a recording declares in its {@code jdk.ActiveSetting} events, which turn
 * sample counts into time.
 *
 * <p>async-profiler writes its own settings ({@code event=cpu}, {@code interval=10000000} in
 * nanoseconds, {@code wall=200000000}); the JDK writes {@code period} per event type
 * ({@code "10 ms"} for {@code jdk.ExecutionSample} in {@code profile.jfc}, {@code "20 ms"} in
 * {@code default.jfc}). When a recording declares nothing usable, the interval is 10 ms: the
 * Pyroscope Java agent's default (100 Hz) and what Pyroscope's own JFR parser assumes.
 *
 * @param event            async-profiler's profiling event ({@code cpu}, {@code itimer}, {@code wall}, ...), or null
 * @param intervalNanos    async-profiler's {@code interval} for time-based events, nanoseconds; 0 when unknown
 * @param wallNanos        async-profiler's {@code wall} interval, nanoseconds; 0 when unknown
 * @param jdkPeriodNanos   the JDK's {@code period} of {@code jdk.ExecutionSample}, nanoseconds; 0 when unknown
 */
record JfrSamplingSettings(String event, long intervalNanos, long wallNanos, long jdkPeriodNanos) {

    /** Pyroscope Java agent default and the assumption of Pyroscope's JFR parser: 100 Hz. */
    static final long DEFAULT_INTERVAL_NANOS = 10_000_000L;

    static final JfrSamplingSettings NONE = new JfrSamplingSettings(null, 0, 0, 0);

    private static final Pattern JDK_DURATION = Pattern.compile("\\s*(\\d{1,12})\\s*(ns|us|ms|s|m|h)\\s*");

    /** async-profiler's interval is a time only for these events (for perf events it counts events). */
    private static boolean timeBasedEvent(String event) {
        return event == null || event.equals("cpu") || event.equals("itimer") || event.equals("ctimer")
                || event.equals("wall");
    }

    /** Nanoseconds one CPU sample ({@code jdk.ExecutionSample}) stands for. */
    long cpuIntervalNanos() {
        if (jdkPeriodNanos > 0) {
            return jdkPeriodNanos;
        }
        if (intervalNanos > 0 && timeBasedEvent(event)) {
            return intervalNanos;
        }
        return DEFAULT_INTERVAL_NANOS;
    }

    /** Nanoseconds one wall-clock sample ({@code profiler.WallClockSample}) stands for. */
    long wallIntervalNanos() {
        if (wallNanos > 0) {
            return wallNanos;
        }
        if ("wall".equals(event) && intervalNanos > 0) {
            return intervalNanos;
        }
        return DEFAULT_INTERVAL_NANOS;
    }

    /** async-profiler ran in wall-clock mode: its execution samples are wall samples. */
    boolean wallMode() {
        return "wall".equals(event);
    }

    JfrSamplingSettings withAsyncProfilerSetting(String name, String value) {
        switch (name) {
            case "event":
                return new JfrSamplingSettings(value, intervalNanos, wallNanos, jdkPeriodNanos);
            case "interval":
                return new JfrSamplingSettings(event, parseNanos(value, intervalNanos), wallNanos, jdkPeriodNanos);
            case "wall":
                return new JfrSamplingSettings(event, intervalNanos, parseNanos(value, wallNanos), jdkPeriodNanos);
            default:
                return this;
        }
    }

    JfrSamplingSettings withJdkPeriod(String value) {
        Matcher m = value == null ? null : JDK_DURATION.matcher(value.toLowerCase(Locale.ROOT));
        if (m == null || !m.matches()) {
            return this;
        }
        long amount = Long.parseLong(m.group(1));
        long unit;
        switch (m.group(2)) {
            case "ns": unit = 1L; break;
            case "us": unit = 1_000L; break;
            case "ms": unit = 1_000_000L; break;
            case "s": unit = 1_000_000_000L; break;
            case "m": unit = 60_000_000_000L; break;
            default: unit = 3_600_000_000_000L; break;
        }
        long nanos = amount > Long.MAX_VALUE / unit ? 0 : amount * unit;
        return nanos > 0 ? new JfrSamplingSettings(event, intervalNanos, wallNanos, nanos) : this;
    }

    private static long parseNanos(String value, long fallback) {
        if (value == null) {
            return fallback;
        }
        try {
            long parsed = Long.parseLong(value.trim());
            return parsed > 0 ? parsed : fallback;
        } catch (NumberFormatException e) {
            return fallback;
        }
    }
}
