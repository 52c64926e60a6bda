package io.canaryjudge.verdict;

import java.util.List;

/**
 * One pod's after-GC heap in a verdict: the points its slope was fitted to (thinned to at most one a
 * minute, the lowest) and the slope.
 *
 * @param instance         the pod
 * @param group            {@code baseline}, {@code canary} or {@code history}
 * @param slopeBytesPerHour Theil–Sen slope of the heap after GC, bytes per hour; null when too few points
 * @param ciLow            lower end of Sen's 95 % interval (independent points assumed), bytes per hour
 * @param ciHigh           upper end
 * @param bytesPer1000Requests the slope per 1,000 requests served; null without request counts
 * @param ageMinutes       the JVM's age at the first point used, minutes; null when its start is unknown
 * @param used             whether the slope entered the comparison (false: too few points, or history
 *                         at another age)
 * @param points           the heap after GC over time the slope was fitted to, bytes (Unix epoch milliseconds)
 * @param windowPoints     for a saw-tooth heap, whose slope is fitted only through the troughs after its
 *                         old-generation collections ({@code points}): every minute's lowest heap after GC over the
 *                         window, the saw-tooth itself; empty otherwise (then {@code points} are those)
 */
public record PodHeapSummary(String instance, String group, Double slopeBytesPerHour, Double ciLow, Double ciHigh,
                             Double bytesPer1000Requests, Double ageMinutes, boolean used, List<HeapPoint> points,
                             List<HeapPoint> windowPoints) {
    public PodHeapSummary {
        points = points == null ? List.of() : List.copyOf(points);
        windowPoints = windowPoints == null ? List.of() : List.copyOf(windowPoints);
    }

    /** A pod whose slope was fitted to every minute's lowest point (no saw-tooth). */
    public PodHeapSummary(String instance, String group, Double slopeBytesPerHour, Double ciLow, Double ciHigh,
                          Double bytesPer1000Requests, Double ageMinutes, boolean used, List<HeapPoint> points) {
        this(instance, group, slopeBytesPerHour, ciLow, ciHigh, bytesPer1000Requests, ageMinutes, used, points, List.of());
    }

    /** A point of the heap after GC. */
    public record HeapPoint(long timestampMillis, long bytes) {
    }
}
