package io.canaryjudge.judge.memory;

import io.canaryjudge.profile.heap.HeapSeries;
import java.util.Objects;

/**
 * One pod's heap after GC over one window, as the caller fetched it (Prometheus, heap.csv, a JFR
 * recording's heap summaries).
 *
 * @param instance          the pod; equal names in baseline and history are the same JVM
 * @param heap              the points of the window (and the JVM's start when known)
 * @param requestsPerSecond requests the pod served per second over the window; null when unknown
 *                          (then slopes are compared per hour, not per request)
 * @param liveSet           whether the points already are the live set after old-generation collections
 *                          (Micrometer's {@code jvm_gc_live_data_size_bytes}): their drops are the live set
 *                          shrinking, so the slope goes through every point, never only through troughs
 * @param unusablePoints    points the source gave for this pod that are no heap size (NaN, infinite or negative
 *                          Prometheus samples) and were dropped; said when the pod is left without data
 */
public record PodHeap(String instance, HeapSeries heap, Double requestsPerSecond, boolean liveSet, int unusablePoints) {
    public PodHeap {
        Objects.requireNonNull(instance, "instance");
        Objects.requireNonNull(heap, "heap");
        if (requestsPerSecond != null && !(requestsPerSecond >= 0)) {
            throw new IllegalArgumentException("requestsPerSecond must be >= 0, was " + requestsPerSecond);
        }
        if (unusablePoints < 0) {
            throw new IllegalArgumentException("unusablePoints must be >= 0, was " + unusablePoints);
        }
    }

    public PodHeap(String instance, HeapSeries heap, Double requestsPerSecond, boolean liveSet) {
        this(instance, heap, requestsPerSecond, liveSet, 0);
    }

    public PodHeap(String instance, HeapSeries heap, Double requestsPerSecond) {
        this(instance, heap, requestsPerSecond, false);
    }

    public PodHeap(String instance, HeapSeries heap) {
        this(instance, heap, null);
    }

    /** This pod with another request rate (per second; null when unknown). */
    public PodHeap withRequestsPerSecond(Double rate) {
        return new PodHeap(instance, heap, rate, liveSet, unusablePoints);
    }
}
