package io.canaryjudge.profile.jfr;

import io.canaryjudge.profile.SamplingSetting;
import java.util.Locale;

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
 * @param allocBytes       async-profiler's {@code alloc} sampling interval, bytes; 0 when unknown
 * @param nativememBytes async-profiler's {@code nativemem} sampling interval, bytes; 0 when every allocation was recorded
 *                       (no interval, or 0) or the recording does not say
 * @param engine           async-profiler's CPU sampling engine as it ran ({@code perf_events}, {@code itimer},
 *                         {@code ctimer}: {@code event=cpu} falls back to a timer without perf_events), or null
 */
record JfrSamplingSettings(String event, long intervalNanos, long wallNanos, long jdkPeriodNanos, long allocBytes,
                           String engine, long nativememBytes) {

    /** Pyroscope Java agent default and the assumption of Pyroscope's JFR parser: 100 Hz. */
    static final long DEFAULT_INTERVAL_NANOS = 10_000_000L;

    static final JfrSamplingSettings NONE = new JfrSamplingSettings(null, 0, 0, 0, 0, null, 0);

    /** async-profiler's allocation sampling interval when {@code alloc} is given without one (or as 0): 512 KiB − 1. */
    static final long DEFAULT_ALLOC_INTERVAL_BYTES = 524_287L;

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

    /**
     * Bytes one of async-profiler's allocation samples stands for: {@code alloc} when the recording
     * declares it, else async-profiler's default. An object of {@code size} bytes is sampled with
     * probability about size / interval, so, as async-profiler weighs its own allocation events,
     * a sample counts max(size, interval) bytes.
     */
    long allocIntervalBytes() {
        return allocBytes > 0 ? allocBytes : DEFAULT_ALLOC_INTERVAL_BYTES;
    }

    /**
     * Bytes one of async-profiler's native allocation samples ({@code profiler.Malloc}) of {@code size} bytes stands for:
     * it samples a block each time its count of bytes allocated passes another {@code nativemem} interval (mallocTracer's
     * updateCounter), so a smaller block is sampled with probability about size / interval and, as for its Java
     * allocation samples, counts max(size, interval); without an interval every block is recorded and counts its size.
     */
    long nativeSampleBytes(long size) {
        return Math.max(size, nativememBytes);
    }

    /**
     * How the recording's CPU samples ({@code jdk.ExecutionSample}) were taken, as far as it declares: async-profiler's
     * {@code event} (with the engine it ran, when that differs: {@code event=cpu} on perf_events or a timer) and
     * {@code interval}, or the JDK's {@code period}; null when the recording declares neither (the 10 ms the reader
     * then assumes is not a declared setting).
     */
    SamplingSetting cpuSampling() {
        if (jdkPeriodNanos > 0) {
            return new SamplingSetting("JDK method sampling", jdkPeriodNanos);
        }
        if (event == null) {
            return null;
        }
        String name = "async-profiler event=" + event
                + (engine == null || engine.isBlank() || engine.equals(event) ? "" : " (" + engine + ")");
        return new SamplingSetting(name, timeBasedEvent(event) && intervalNanos > 0 ? intervalNanos : 0);
    }

    /** async-profiler ran in wall-clock mode: its execution samples are wall samples. */
    boolean wallMode() {
        return "wall".equals(event);
    }

    JfrSamplingSettings withAsyncProfilerSetting(String name, String value) {
        switch (name) {
            case "event":
                return new JfrSamplingSettings(value, intervalNanos, wallNanos, jdkPeriodNanos, allocBytes, engine, nativememBytes);
            case "engine":
                return new JfrSamplingSettings(event, intervalNanos, wallNanos, jdkPeriodNanos, allocBytes, value, nativememBytes);
            case "interval":
                return new JfrSamplingSettings(event, parsePositive(value, intervalNanos), wallNanos, jdkPeriodNanos,
                        allocBytes, engine, nativememBytes);
            case "wall":
                return new JfrSamplingSettings(event, intervalNanos, parsePositive(value, wallNanos), jdkPeriodNanos,
                        allocBytes, engine, nativememBytes);
            case "alloc":
                return new JfrSamplingSettings(event, intervalNanos, wallNanos, jdkPeriodNanos,
                        parsePositive(value, allocBytes), engine, nativememBytes);
            case "nativemem":
                return new JfrSamplingSettings(event, intervalNanos, wallNanos, jdkPeriodNanos, allocBytes, engine,
                        parsePositive(value, nativememBytes));
            default:
                return this;
        }
    }

    JfrSamplingSettings withJdkPeriod(String value) {
        long nanos = value == null ? 0 : parseJdkDuration(value.toLowerCase(Locale.ROOT).strip());
        return nanos > 0 ? new JfrSamplingSettings(event, intervalNanos, wallNanos, nanos, allocBytes, engine,
                nativememBytes) : this;
    }

    /**
     * {@code "10 ms"}, {@code "20ms"}: 1 to 12 digits, optional spaces, a unit (ns, us, ms, s, m, h);
     * nanoseconds, or 0 when the text is anything else. (A hand-written parser: a regex costs
     * ~10 ms of start-up for one setting.)
     */
    private static long parseJdkDuration(String text) {
        int digits = 0;
        while (digits < text.length() && text.charAt(digits) >= '0' && text.charAt(digits) <= '9') {
            digits++;
        }
        if (digits == 0 || digits > 12) {
            return 0;
        }
        long amount = Long.parseLong(text.substring(0, digits));
        long unit;
        switch (text.substring(digits).strip()) {
            case "ns": unit = 1L; break;
            case "us": unit = 1_000L; break;
            case "ms": unit = 1_000_000L; break;
            case "s": unit = 1_000_000_000L; break;
            case "m": unit = 60_000_000_000L; break;
            case "h": unit = 3_600_000_000_000L; break;
            default: return 0;
        }
        return amount > Long.MAX_VALUE / unit ? 0 : amount * unit;
    }

    private static long parsePositive(String value, long fallback) {
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
