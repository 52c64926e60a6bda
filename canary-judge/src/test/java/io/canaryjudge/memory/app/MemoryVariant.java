package io.canaryjudge.memory.app;

import java.util.Locale;

/**
 * What one pod of the memory scenarios runs: the stable version, or a canary that changes how much
 * of the heap it keeps. Leak sizes are bytes retained per request (payload plus the collection's
 * own entry), chosen so that at {@value OrderService#REQUESTS_PER_SECOND} requests per second the
 * heap after GC grows by about the rate in the name: 0.7 MiB per minute fills 1 GiB in a day.
 */
public enum MemoryVariant {
    /** The baseline: a bounded product cache that warms over minutes, then a flat heap. */
    STABLE,
    /** Unbounded per-request cache: {@code SessionRegistry.register} keeps every session (~0.7 MiB/min). */
    LEAK_SESSIONS,
    /** A listener registered per request and never removed: {@code PriceListeners.subscribe} (~0.35 MiB/min). */
    LEAK_LISTENERS,
    /** A static map that only grows: {@code AuditLog.remember} (~1.4 MiB/min). */
    LEAK_AUDIT,
    /** A larger heap that does not grow: a 48 MiB region table loaded at start ({@code RegionTable}). */
    BIGGER_FLAT,
    /** A second, larger bounded cache that warms slowly ({@code RecommendationCache}, ~38 MiB, 16 min time constant). */
    SLOW_CACHE,
    /**
     * Outside the heap: a class loader with one generated class per {@value NonHeapLeaks#REQUESTS_PER_LOADER}
     * requests, kept in a static list (a plugin or script reloaded per request): metaspace grows, the heap hardly.
     */
    LEAK_CLASSES,
    /** Outside the heap: a 4 KiB direct buffer kept every {@value NonHeapLeaks#REQUESTS_PER_BUFFER} requests (~0.7 MiB/min). */
    LEAK_DIRECT,
    /** Outside the heap: a thread started and parked forever every {@value NonHeapLeaks#REQUESTS_PER_THREAD} requests (6 per minute). */
    LEAK_THREADS,
    /**
     * More memory outside the heap that does not grow: 100 parked worker threads, a 32 MiB direct buffer and
     * 2,000 generated classes set up at start ({@link NonHeapLeaks#bigger()}).
     */
    BIGGER_NONHEAP,
    /**
     * Outside the heap and outside every pool the JVM reports: 4 KiB of native memory ({@code Unsafe.allocateMemory}, as
     * a JNI library's {@code malloc}) written and kept every {@value NonHeapLeaks#REQUESTS_PER_NATIVE_BLOCK} requests
     * (~0.73 MiB/min). Only the process's resident size shows it (qa46).
     */
    LEAK_NATIVE,
    /**
     * Outside every pool the JVM reports (qa48): a {@code java.util.zip.Inflater} inflating the response every
     * {@value NonHeapLeaks#REQUESTS_PER_INFLATER} requests, kept and never {@code end()}ed: zlib's state,
     * {@code malloc}ed by {@code inflateInit2_}, is never freed (~7 KiB each, ~1.2 MiB a minute).
     */
    LEAK_INFLATER,
    /**
     * More native memory allocated, all of it freed (qa48): a {@code java.util.zip.Deflater} compressing every response
     * and {@code end()}ed: zlib's ~270 KiB of state {@code malloc}ed and freed per request, nothing kept.
     */
    CHURN_NATIVE,
    /**
     * Native memory freed only by a {@code Cleaner} (qa51): an {@code Inflater} per
     * {@value NonHeapLeaks#REQUESTS_PER_INFLATER} requests inflating the response, dropped without {@code end()}: zlib's
     * ~7 KiB state stays {@code malloc}ed until a collection finds the inflater unreachable and its cleaner runs.
     */
    DROPPED_INFLATER,
    /**
     * A memoising response cache that leaks (qa64, {@link ResponseMemo}): nine requests in ten served from memoised
     * popular responses (far less allocation per request than {@link #STABLE}), the tenth rendered and kept forever
     * (~1 MiB per minute at 25 requests per second).
     */
    MEMO_RESPONSES,
    /**
     * qa66's baseline: the stable version plus a cache the service already has ({@link IdempotencyKeys}, each request's
     * record kept 30 s): the site is live, flat, in every pod.
     */
    TTL_CACHE,
    /** qa66: {@link #TTL_CACHE} whose expiry no longer runs: the same site grows ~0.7 MiB per minute at 25 requests/s. */
    TTL_BROKEN,
    /** qa66: {@link #TTL_CACHE} whose expiry runs for half the records only: the same site grows ~0.35 MiB per minute. */
    TTL_HALF,
    /** qa78: {@link #TTL_CACHE} keeping one record in four for good: the same site grows ~0.18 MiB per minute. */
    TTL_QUARTER,
    /**
     * qa78: {@link #TTL_CACHE} (its expiry works) whose ring of recent responses, a cache every pod has, pins one response
     * in {@value RecentResponses#PIN_EVERY} for retries and never releases it: a leak at {@code OrderSerializer.toJson},
     * where every pod holds its ring's responses live, not at {@code IdempotencyKeys}.
     */
    RESPONSES_PINNED;

    /** The name used on the command line and in folder names: {@code leak-sessions}. */
    public String id() {
        return name().toLowerCase(Locale.ROOT).replace('_', '-');
    }

    public static MemoryVariant fromId(String id) {
        for (MemoryVariant variant : values()) {
            if (variant.id().equals(id)) {
                return variant;
            }
        }
        throw new IllegalArgumentException("unknown variant " + id);
    }
}
