package io.canaryjudge.metrics;

import java.util.Objects;
import java.util.regex.Pattern;

/**
 * One memory area outside the Java heap whose growth the memory-growth check also judges: what OOM-kills a pod while
 * its heap after GC stays flat (classes loaded per request, direct buffers kept, threads never ended).
 *
 * @param area  its name in findings and configuration, lower case with hyphens: {@code metaspace}, {@code direct-buffers},
 *              {@code threads}
 * @param query one series per pod ({@code by ({{instance_label}})}): bytes, or for {@link #THREADS} live threads
 */
public record MemoryAreaQuery(String area, QueryTemplate query) {
    /** The area counted in threads, not bytes. */
    public static final String THREADS = "threads";
    private static final Pattern NAME = Pattern.compile("[a-z][a-z0-9-]{0,39}");

    public MemoryAreaQuery {
        Objects.requireNonNull(area, "area");
        Objects.requireNonNull(query, "query");
        if (!NAME.matcher(area).matches()) {
            throw new IllegalArgumentException("a memory area's name is lower case letters, digits and hyphens, was '"
                    + area + "'");
        }
    }

    /** Whether the query counts threads (each one costs its stack outside the heap) rather than bytes. */
    public boolean countsThreads() {
        return area.equals(THREADS);
    }
}
