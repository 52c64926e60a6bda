package io.canaryjudge.judge.memory;

import io.canaryjudge.profile.heap.HeapSeries;
import io.canaryjudge.verdict.PodHeapSummary.HeapPoint;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;

/**
 * Old-generation collections seen in a pod's after-GC heap. Between them the heap after each young
 * collection rises with promoted garbage as well as with live objects; a marking cycle's mixed (or a
 * full) collection then drops it to the live set plus what it left behind — a saw-tooth. Only those
 * troughs show the live set, so in a saw-tooth heap the judge fits the live set's slope through them
 * and not through every point (whose slope is promotion, not retention).
 *
 * <p>A drop is a fall below the level of the points before it ({@link #before}) of more than
 * {@link #DROP_FACTOR} times the noise of the steps between the pod's points (their median absolute
 * deviation) and at least {@link #MIN_DROP_BYTES}: the recorded G1 heaps without old collections never
 * fell more than 0.3 MiB, with steps of 0.3–0.8 MiB (docs/EVALUATION.md); the point must also lie
 * {@link #MIN_DROP_BYTES} below the one before it, and the next point as far below the level expected of
 * it (a drop that lasts; the last point of a window cannot show one).
 * Drops within {@link #SAME_CYCLE_MILLIS} of each other are one cycle (mixed collections remove the
 * garbage in several steps); its trough is the lowest point from its first drop to the next cycle.
 */
final class OldCollections {
    static final double DROP_FACTOR = 6;
    static final long MIN_DROP_BYTES = 1L << 20;
    static final long SAME_CYCLE_MILLIS = 3 * 60_000L;
    /** Points before a candidate drop whose median is the level it fell from. */
    static final int LOOK_BACK = 3;

    private OldCollections() {
    }

    /**
     * The troughs after each old-generation cycle in {@code [fromMillis, toMillis]}, in time order; empty
     * when the heap never dropped there.
     */
    static List<HeapPoint> troughs(HeapSeries heap, long fromMillis, long toMillis) {
        List<HeapPoint> points = new ArrayList<>();
        for (int i = 0; i < heap.size(); i++) {
            long t = heap.timestampMillis(i);
            if (t >= fromMillis && t <= toMillis) {
                points.add(new HeapPoint(t, heap.heapAfterGcBytes(i)));
            }
        }
        return troughs(points);
    }

    /** {@link #troughs(HeapSeries, long, long)} of points in time order. */
    static List<HeapPoint> troughs(List<HeapPoint> points) {
        if (points.size() < 3) {
            return List.of();
        }
        // The heap's usual rise (promotion and growth), bytes per millisecond: the median rise of the steps
        // between consecutive points per their time apart; the noise: the median absolute deviation
        // (× 1.4826, a standard deviation for normal noise) of the steps from that rise. Collections come at
        // uneven intervals, so a step's expected rise is the rate times its time.
        int n = points.size() - 1;
        double[] rates = new double[n];
        for (int i = 1; i < points.size(); i++) {
            long dt = Math.max(1, points.get(i).timestampMillis() - points.get(i - 1).timestampMillis());
            rates[i - 1] = (points.get(i).bytes() - points.get(i - 1).bytes()) / (double) dt;
        }
        double rise = Math.max(0, median(rates.clone()));
        double[] deviations = new double[n];
        for (int i = 1; i < points.size(); i++) {
            long dt = points.get(i).timestampMillis() - points.get(i - 1).timestampMillis();
            deviations[i - 1] = Math.abs(points.get(i).bytes() - points.get(i - 1).bytes() - rise * dt);
        }
        double noise = 1.4826 * median(deviations);
        double threshold = Math.max(DROP_FACTOR * noise, MIN_DROP_BYTES);
        // Indices where a cycle starts: a drop more than SAME_CYCLE_MILLIS after the previous drop.
        List<Integer> starts = new ArrayList<>();
        long lastDrop = Long.MIN_VALUE;
        for (int i = 1; i + 1 < points.size(); i++) {
            // The level expected at i: the median of the points before it, risen at the usual rate since the
            // middle one of them.
            int middle = i - (Math.min(i, LOOK_BACK) + 1) / 2;
            double expected = before(points, i) + rise * (points.get(i).timestampMillis() - points.get(middle).timestampMillis());
            // ... and an actual fall: a heap whose growth slows (a cache filling up) falls behind the rate,
            // never below the point before.
            boolean fell = points.get(i - 1).bytes() - points.get(i).bytes() > MIN_DROP_BYTES;
            // ... that lasts: the next point stays as far below the level expected of it. A dip that comes
            // back at once is no old collection (per-pool minima summed over a step catch the survivor
            // space emptied and the old generation not yet grown: the recorded Prometheus series dipped
            // 1–8 MiB that way and recovered the next minute).
            double expectedNext = expected + rise * (points.get(i + 1).timestampMillis() - points.get(i).timestampMillis());
            boolean lasts = expectedNext - points.get(i + 1).bytes() > threshold;
            if (fell && lasts && expected - points.get(i).bytes() > threshold) {
                long t = points.get(i).timestampMillis();
                if (lastDrop == Long.MIN_VALUE || t - lastDrop > SAME_CYCLE_MILLIS) {
                    starts.add(i);
                }
                lastDrop = t;
            }
        }
        List<HeapPoint> troughs = new ArrayList<>();
        for (int c = 0; c < starts.size(); c++) {
            int end = c + 1 < starts.size() ? starts.get(c + 1) : points.size();
            HeapPoint lowest = points.get(starts.get(c));
            for (int i = starts.get(c); i < end; i++) {
                if (points.get(i).bytes() < lowest.bytes()) {
                    lowest = points.get(i);
                }
            }
            troughs.add(lowest);
        }
        return troughs;
    }

    /**
     * The level before point {@code i}: the median of up to {@link #LOOK_BACK} points before it, so a
     * single high point (a humongous object alive at one collection, a scrape that caught a
     * collection midway) falling back is not a drop, while a cycle's mixed collections falling in
     * several steps are.
     */
    private static double before(List<HeapPoint> points, int i) {
        int from = Math.max(0, i - LOOK_BACK);
        double[] previous = new double[i - from];
        for (int j = from; j < i; j++) {
            previous[j - from] = points.get(j).bytes();
        }
        return median(previous);
    }

    private static double median(double[] values) {
        Arrays.sort(values);
        int n = values.length;
        return n % 2 == 1 ? values[n / 2] : (values[n / 2 - 1] + values[n / 2]) / 2;
    }
}
