package io.canaryjudge.metrics;

import java.util.Objects;
import java.util.regex.Pattern;

/**
 * One memory area outside the Java heap whose growth the memory-growth check also judges: what OOM-kills a pod while
 * its heap after GC stays flat (classes loaded per request, direct buffers kept, threads never ended).
 *
 * @param area  its name in findings and configuration, lower case with hyphens: {@code metaspace}, {@code direct-buffers},
 *              {@code threads}, {@code goroutines}
 * @param query one series per pod ({@code by ({{instance_label}})}): bytes, or for {@link #THREADS} live threads and for
 *              {@link #GOROUTINES} goroutines
 */
public record MemoryAreaQuery(String area, QueryTemplate query) {
    /** The area counted in threads, not bytes. */
    public static final String THREADS = "threads";
    /** A Go process's goroutines, counted as {@link #THREADS} are (client_golang's {@code go_goroutines}). */
    public static final String GOROUTINES = "goroutines";
    private static final Pattern NAME = Pattern.compile("[a-z][a-z0-9-]{0,39}");

    public MemoryAreaQuery {
        Objects.requireNonNull(area, "area");
        Objects.requireNonNull(query, "query");
        if (!NAME.matcher(area).matches()) {
            throw new IllegalArgumentException("a memory area's name is lower case letters, digits and hyphens, was '"
                    + area + "'");
        }
    }

    /**
     * Whether the query counts threads or goroutines (each one costs its stack, and is judged as one) rather than
     * bytes.
     */
    public boolean countsThreads() {
        return area.equals(THREADS) || area.equals(GOROUTINES);
    }
}
