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
 * {@link #DROP_FACTOR} times the noise of the steps between the pod's points (robust to the drops
 * themselves: see {@link #troughs(List)}) and at least
 * {@link #MIN_DROP_BYTES}: the recorded G1 heaps without old collections never fell more than 0.3 MiB,
 * with steps of 0.3–0.8 MiB (docs/EVALUATION.md); the point must also lie {@link #MIN_DROP_BYTES} below
 * the one before it, and the next point as far below the level expected of it (a drop that lasts; the
 * last point of a window cannot show one). Drops within {@link #SAME_CYCLE_MILLIS} of each other with no
 * rise between them are one cycle ({@link #sameCycle}: mixed collections remove the garbage in several
 * steps); its trough is the lowest point from its first drop to the next cycle.
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
        // between consecutive points per their time apart. Collections come at uneven intervals, so a step's
        // expected rise is the rate times its time.
        int n = points.size() - 1;
        double[] rates = new double[n];
        for (int i = 1; i < points.size(); i++) {
            long dt = Math.max(1, points.get(i).timestampMillis() - points.get(i - 1).timestampMillis());
            rates[i - 1] = (points.get(i).bytes() - points.get(i - 1).bytes()) / (double) dt;
        }
        double medianRate = median(rates.clone());
        double rise = Math.max(0, medianRate);
        // The noise, in two passes. First the median deviation (× 1.4826, a standard deviation for normal
        // noise) of the steps at or above the median rate (at least one): for symmetric noise that is the
        // median absolute deviation of all steps, and no drop can inflate it (they all lie below). Then the
        // median absolute deviation of every step but the drops that noise finds and the step after each;
        // the larger of the two is the noise. Without drops that is every step's, as it must be for a heap
        // without old collections; taking in the drops themselves, when old collections come every few
        // points (a cycle every ~4 in the recorded saw-tooth heap), made the noise ~1.9 MiB and the threshold
        // larger than the drops (5–6 MiB), so the window showed no cycle.
        double[] deviations = new double[n];
        int upper = 0;
        for (int i = 1; i < points.size(); i++) {
            if (rates[i - 1] >= medianRate) {
                long dt = points.get(i).timestampMillis() - points.get(i - 1).timestampMillis();
                deviations[upper++] = points.get(i).bytes() - points.get(i - 1).bytes() - medianRate * dt;
            }
        }
        double upperNoise = 1.4826 * median(Arrays.copyOf(deviations, upper));
        List<Integer> firstDrops = drops(points, rise, Math.max(DROP_FACTOR * upperNoise, MIN_DROP_BYTES));
        boolean[] skip = new boolean[n];
        for (int i : firstDrops) {
            skip[i - 1] = true; // the step into the drop
            skip[i] = true; // and the step after it
        }
        int kept = 0;
        for (int i = 1; i < points.size(); i++) {
            if (!skip[i - 1]) {
                long dt = points.get(i).timestampMillis() - points.get(i - 1).timestampMillis();
                deviations[kept++] = Math.abs(points.get(i).bytes() - points.get(i - 1).bytes() - rise * dt);
            }
        }
        double noise = kept == 0 ? upperNoise : Math.max(upperNoise, 1.4826 * median(Arrays.copyOf(deviations, kept)));
        double threshold = Math.max(DROP_FACTOR * noise, MIN_DROP_BYTES);
        // Indices where a cycle starts: a drop that does not continue the previous one's cycle.
        List<Integer> starts = new ArrayList<>();
        int lastDrop = -1;
        for (int i : drops(points, rise, threshold)) {
            if (!sameCycle(points, lastDrop, i, threshold)) {
                starts.add(i);
            }
            lastDrop = i;
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

    /** Indices of the points that drop: see the class comment; {@code rise} bytes per millisecond. */
    private static List<Integer> drops(List<HeapPoint> points, double rise, double threshold) {
        List<Integer> drops = new ArrayList<>();
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
                drops.add(i);
            }
        }
        return drops;
    }

    /**
     * Whether the drop at {@code i} continues the cycle of the drop at {@code lastDrop} (-1: none): it comes
     * within {@link #SAME_CYCLE_MILLIS} and the heap did not rise between them by more than {@code threshold}
     * bytes. A cycle's mixed collections remove the old garbage in several steps, one after another; a new
     * tooth rises first. (Taking every drop within the time of the previous one as the same cycle chained a
     * leaking pod's cycles, one every ~2 min in the recorded saw-tooth heap, into one.)
     */
    private static boolean sameCycle(List<HeapPoint> points, int lastDrop, int i, double threshold) {
        if (lastDrop < 0 || points.get(i).timestampMillis() - points.get(lastDrop).timestampMillis() > SAME_CYCLE_MILLIS) {
            return false;
        }
        long level = points.get(lastDrop).bytes();
        for (int j = lastDrop + 1; j < i; j++) {
            if (points.get(j).bytes() - level > threshold) {
                return false;
            }
        }
        return true;
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
