package io.canaryjudge.judge.memory;

import io.canaryjudge.metrics.HeapQueries;

/**
 * What a pod's heap series measures, where the judge knows better than its points say. The memory check judges the
 * points it is given; this says when a better live-set measure should replace them once they FAIL.
 */
public enum HeapMeasure {
    /** The heap after GC as given (heap.csv, JFR heap summaries, a JVM exporter's series, a user's own query). */
    AS_GIVEN,
    /**
     * client_golang's {@code go_memstats_heap_alloc_bytes} at its lowest scrape per step (the {@code client-golang}
     * preset): Go's live heap plus whatever was allocated since the last collection finished. That garbage grows with
     * the heap goal (the live heap times 1 + GOGC/100), so the series rises faster than the live set when the live set
     * rises (qa88's r1: +99 MiB an hour against +69 live). When it FAILs, Go's heap profiles judge it instead
     * ({@link GoLiveHeap}).
     */
    GO_HEAP_IN_USE;

    /**
     * What the heap series of {@code queries} measures: {@link #GO_HEAP_IN_USE} for the {@code client-golang} preset's
     * own query ({@link HeapQueries#preset()}), else {@link #AS_GIVEN}. A heap query the user gave measures what the user
     * chose, even when it names {@code go_memstats_heap_alloc_bytes} or repeats the preset's text.
     */
    public static HeapMeasure of(HeapQueries queries) {
        return queries.preset() == HeapQueries.Exporter.CLIENT_GOLANG ? GO_HEAP_IN_USE : AS_GIVEN;
    }
}
