package io.canaryjudge.judge.memory;

import io.canaryjudge.profile.heap.HeapSeries;
import io.canaryjudge.verdict.PodHeapSummary.HeapPoint;
import java.util.ArrayList;
import java.util.List;

/**
 * The lowest point of a pod's after-GC heap in each minute. The heap after a young collection still
 * holds the old generation's garbage, which piles up until a mixed or full collection (the recorded
 * pods' after-GC heap rose by a few MiB a minute between those); the live set is at most the lowest
 * value seen, so a minute's minimum is the better estimate and one point a minute keeps a series
 * that reports every collection from outweighing a metric scraped once a minute.
 */
final class HeapEnvelope {
    static final long MINUTE_MILLIS = 60_000;

    private HeapEnvelope() {
    }

    /**
     * The lowest point of each minute (counted from {@code fromMillis}) of the points in
     * {@code [fromMillis, toMillis]}.
     */
    static List<HeapPoint> lowestPerMinute(HeapSeries heap, long fromMillis, long toMillis) {
        List<HeapPoint> points = new ArrayList<>();
        long bucket = Long.MIN_VALUE;
        HeapPoint lowest = null;
        for (int i = 0; i < heap.size(); i++) {
            long t = heap.timestampMillis(i);
            if (t < fromMillis || t > toMillis) {
                continue;
            }
            long b = Math.floorDiv(t - fromMillis, MINUTE_MILLIS);
            if (b != bucket) {
                if (lowest != null) {
                    points.add(lowest);
                }
                bucket = b;
                lowest = null;
            }
            if (lowest == null || heap.heapAfterGcBytes(i) < lowest.bytes()) {
                lowest = new HeapPoint(t, heap.heapAfterGcBytes(i));
            }
        }
        if (lowest != null) {
            points.add(lowest);
        }
        return points;
    }
}
