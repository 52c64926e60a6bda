package io.canaryjudge.profile.heap;

import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * One instance's memory outside the Java heap, per area, as recorded beside its profiles: JFR's
 * {@code jdk.MetaspaceSummary} (metaspace used after each collection, bytes), {@code jdk.DirectBufferStatistics}
 * (direct buffer memory used, bytes) and {@code jdk.JavaThreadStatistics} (live threads, a count), or the instance's
 * {@code areas.csv}. Each area's points are a {@link HeapSeries} (time, value); the names are the service's
 * ({@code canary-judge.prometheus.heap.areas.*}), so that both judge an area under one name.
 *
 * @param areas per area name, its points in time order; an area nothing recorded is absent
 */
public record MemoryAreaSeries(Map<String, HeapSeries> areas) {
    /** Metaspace used, bytes. */
    public static final String METASPACE = "metaspace";
    /** Direct buffer memory used, bytes. */
    public static final String DIRECT_BUFFERS = "direct-buffers";
    /** Live threads, a count (not bytes). */
    public static final String THREADS = "threads";
    /**
     * Native memory, bytes: resident memory no JVM pool accounts for (the process's or container's resident size minus
     * the committed heap, metaspace, code cache and direct buffers), what a JNI library or an {@code Inflater} never
     * ended keeps; the service's default area of the same name (qa46). Only {@code areas.csv} gives it: no JFR event
     * of the JDKs read here carries the resident size.
     */
    public static final String NATIVE = "native";
    /**
     * A Go process's goroutines, a count (not bytes): client_golang's {@code go_goroutines}, or the goroutine profiles
     * beside an instance's other profiles (each profile's total at its time). A goroutine blocked forever keeps its stack
     * (2 KiB to start, grown as it needed) and what it references; a JVM's threads are {@link #THREADS}.
     */
    public static final String GOROUTINES = "goroutines";

    /**
     * The most live threads a value may claim: 2^31, far above any JVM (each thread has a stack of its own); larger
     * counts are a broken file, and times the stack size the judge charges per thread they would overflow a long.
     */
    public static final long MAX_THREADS = 1L << 31;
    /** The areas recordings and {@code areas.csv} can hold, in the order they are reported. */
    public static final List<String> NAMES = List.of(METASPACE, DIRECT_BUFFERS, THREADS, NATIVE, GOROUTINES);

    /** Whether the area's values count threads or goroutines (each judged as a stack) rather than bytes. */
    public static boolean counted(String area) {
        return THREADS.equals(area) || GOROUTINES.equals(area);
    }

    public MemoryAreaSeries {
        Map<String, HeapSeries> copy = new LinkedHashMap<>();
        for (String name : NAMES) {
            HeapSeries series = areas.get(name);
            if (series != null && !series.isEmpty()) {
                copy.put(name, series);
            }
        }
        areas = Collections.unmodifiableMap(copy);
    }

    public static MemoryAreaSeries empty() {
        return new MemoryAreaSeries(Map.of());
    }

    public boolean isEmpty() {
        return areas.isEmpty();
    }

    /** The area's points, or null when nothing recorded it. */
    public HeapSeries area(String name) {
        return areas.get(name);
    }

    /** Both instances' points per area, merged in time order (an instance's recordings, one file after another). */
    public MemoryAreaSeries plus(MemoryAreaSeries other) {
        Map<String, HeapSeries> merged = new LinkedHashMap<>(areas);
        other.areas.forEach((name, series) -> merged.merge(name, series, HeapSeries::plus));
        return new MemoryAreaSeries(merged);
    }

    /** Every area with the JVM's start where its points do not say it. */
    public MemoryAreaSeries withJvmStartMillis(long millis) {
        if (millis < 0) {
            return this;
        }
        Map<String, HeapSeries> out = new LinkedHashMap<>();
        areas.forEach((name, series) -> out.put(name, series.jvmStartMillis() < 0 ? series.withJvmStartMillis(millis) : series));
        return new MemoryAreaSeries(out);
    }
}
