package io.canaryjudge.profile.heap;

import java.util.Arrays;
import java.util.Objects;

/**
 * The heap one JVM used after its garbage collections, over time: one point per collection (or per
 * scrape, for a metric that reports the value after the last collection). What the judge fits a
 * growth slope to; how the points were measured is the producer's business ({@link #source()}).
 *
 * @param source           where the points came from, for messages ({@code pod-1/heap.csv},
 *                         a recording, a Prometheus query)
 * @param jvmStartMillis   when the JVM started, Unix epoch milliseconds; -1 when unknown (then the
 *                         pod's age, which young-canary handling needs, is unknown)
 * @param timestampsMillis point times, Unix epoch milliseconds, ascending
 * @param heapAfterGcBytes heap used after the collection, bytes, same length
 * @param wholeHeap        per point, whether its collection was known to collect the whole heap, the old
 *                         generation included (a full collection, a ZGC major cycle, every cycle of ZGC without
 *                         generations or of Shenandoah): after it the heap holds the live set, not garbage promoted
 *                         since the last old collection. False where unknown (heap.csv, Prometheus, a young
 *                         collection); same length
 * @param jvmPid           the JVM's process id as its recording says ({@code jdk.JVMInformation}); -1 when unknown. It
 *                         tells apart JVMs started within the same second on one host, whose recordings' start times a
 *                         recorder's clock cannot (pods in containers are all process 1: there it says nothing)
 * @param settings         the JVM's collector and heap maximum where its data say them (a JFR recording), else
 *                         {@link HeapSettings#UNKNOWN}
 */
public record HeapSeries(String source, long jvmStartMillis, long[] timestampsMillis, long[] heapAfterGcBytes,
                         boolean[] wholeHeap, long jvmPid, HeapSettings settings) {
    public HeapSeries(String source, long jvmStartMillis, long[] timestampsMillis, long[] heapAfterGcBytes,
                      boolean[] wholeHeap, long jvmPid) {
        this(source, jvmStartMillis, timestampsMillis, heapAfterGcBytes, wholeHeap, jvmPid, HeapSettings.UNKNOWN);
    }

    public HeapSeries(String source, long jvmStartMillis, long[] timestampsMillis, long[] heapAfterGcBytes) {
        this(source, jvmStartMillis, timestampsMillis, heapAfterGcBytes,
                new boolean[Objects.requireNonNull(timestampsMillis, "timestampsMillis").length]);
    }

    public HeapSeries(String source, long jvmStartMillis, long[] timestampsMillis, long[] heapAfterGcBytes,
                      boolean[] wholeHeap) {
        this(source, jvmStartMillis, timestampsMillis, heapAfterGcBytes, wholeHeap, -1);
    }

    public HeapSeries {
        Objects.requireNonNull(source, "source");
        Objects.requireNonNull(timestampsMillis, "timestampsMillis");
        Objects.requireNonNull(heapAfterGcBytes, "heapAfterGcBytes");
        if (timestampsMillis.length != heapAfterGcBytes.length) {
            throw new IllegalArgumentException(source + ": " + timestampsMillis.length + " timestamps but "
                    + heapAfterGcBytes.length + " heap values");
        }
        Objects.requireNonNull(wholeHeap, "wholeHeap");
        Objects.requireNonNull(settings, "settings");
        if (wholeHeap.length != timestampsMillis.length) {
            throw new IllegalArgumentException(source + ": " + timestampsMillis.length + " timestamps but "
                    + wholeHeap.length + " collection kinds");
        }
        timestampsMillis = timestampsMillis.clone();
        heapAfterGcBytes = heapAfterGcBytes.clone();
        wholeHeap = wholeHeap.clone();
        for (int i = 0; i < timestampsMillis.length; i++) {
            if (i > 0 && timestampsMillis[i] < timestampsMillis[i - 1]) {
                throw new IllegalArgumentException(source + ": timestamps must not decrease (point " + (i + 1) + ")");
            }
            if (heapAfterGcBytes[i] < 0) {
                throw new IllegalArgumentException(source + ": negative heap value at point " + (i + 1));
            }
        }
    }

    /** A series without points (a recording without heap summaries). */
    public static HeapSeries empty(String source) {
        return new HeapSeries(source, -1, new long[0], new long[0]);
    }

    public int size() {
        return timestampsMillis.length;
    }

    public boolean isEmpty() {
        return timestampsMillis.length == 0;
    }

    @Override
    public long[] timestampsMillis() {
        return timestampsMillis.clone();
    }

    @Override
    public long[] heapAfterGcBytes() {
        return heapAfterGcBytes.clone();
    }

    @Override
    public boolean[] wholeHeap() {
        return wholeHeap.clone();
    }

    /** Whether point {@code i} followed a collection of the whole heap ({@link #wholeHeap()}). */
    public boolean wholeHeap(int i) {
        return wholeHeap[i];
    }

    /** The points that followed collections of the whole heap (possibly none), with the JVM's start. */
    public HeapSeries afterWholeHeapCollections() {
        int n = 0;
        for (boolean w : wholeHeap) {
            n += w ? 1 : 0;
        }
        long[] times = new long[n];
        long[] bytes = new long[n];
        boolean[] whole = new boolean[n];
        int k = 0;
        for (int i = 0; i < size(); i++) {
            if (wholeHeap[i]) {
                times[k] = timestampsMillis[i];
                bytes[k] = heapAfterGcBytes[i];
                whole[k++] = true;
            }
        }
        return new HeapSeries(source, jvmStartMillis, times, bytes, whole, jvmPid, settings);
    }

    public long timestampMillis(int i) {
        return timestampsMillis[i];
    }

    public long heapAfterGcBytes(int i) {
        return heapAfterGcBytes[i];
    }

    /** This series with another of the same JVM (e.g. the next recording of a pod): points merged in time order. */
    public HeapSeries plus(HeapSeries other) {
        int n = size() + other.size();
        long[][] points = new long[n][];
        for (int i = 0; i < size(); i++) {
            points[i] = new long[] {timestampsMillis[i], heapAfterGcBytes[i], wholeHeap[i] ? 1 : 0};
        }
        for (int i = 0; i < other.size(); i++) {
            points[size() + i] = new long[] {other.timestampsMillis[i], other.heapAfterGcBytes[i], other.wholeHeap[i] ? 1 : 0};
        }
        Arrays.sort(points, (a, b) -> Long.compare(a[0], b[0]));
        long[] times = new long[n];
        long[] bytes = new long[n];
        boolean[] whole = new boolean[n];
        for (int i = 0; i < n; i++) {
            times[i] = points[i][0];
            bytes[i] = points[i][1];
            whole[i] = points[i][2] == 1;
        }
        long start = jvmStartMillis >= 0 ? jvmStartMillis : other.jvmStartMillis;
        return new HeapSeries(isEmpty() ? other.source : source, start, times, bytes, whole,
                jvmPid >= 0 ? jvmPid : other.jvmPid, settings.or(other.settings));
    }

    /** This series with the JVM's start time set. */
    public HeapSeries withJvmStartMillis(long millis) {
        return new HeapSeries(source, millis, timestampsMillis, heapAfterGcBytes, wholeHeap, jvmPid, settings);
    }

    /** This series with the JVM's collector and heap maximum. */
    public HeapSeries withSettings(HeapSettings jvm) {
        return new HeapSeries(source, jvmStartMillis, timestampsMillis, heapAfterGcBytes, wholeHeap, jvmPid, jvm);
    }

    @Override
    public boolean equals(Object o) {
        return o instanceof HeapSeries h && source.equals(h.source) && jvmStartMillis == h.jvmStartMillis
                && Arrays.equals(timestampsMillis, h.timestampsMillis) && Arrays.equals(heapAfterGcBytes, h.heapAfterGcBytes)
                && Arrays.equals(wholeHeap, h.wholeHeap);
    }

    @Override
    public int hashCode() {
        return Objects.hash(source, jvmStartMillis, Arrays.hashCode(timestampsMillis), Arrays.hashCode(heapAfterGcBytes), Arrays.hashCode(wholeHeap));
    }

    @Override
    public String toString() {
        return "HeapSeries[" + source + ", " + size() + " points" + (jvmStartMillis >= 0 ? ", JVM started "
                + jvmStartMillis : "") + "]";
    }
}
