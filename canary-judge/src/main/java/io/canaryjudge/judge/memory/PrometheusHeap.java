package io.canaryjudge.judge.memory;

import io.canaryjudge.metrics.TimeSeries;
import io.canaryjudge.profile.heap.HeapSeries;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * Turns the answers of the heap queries ({@code io.canaryjudge.metrics.HeapQueries}: heap after GC and
 * JVM start, one series per pod) into the pods the memory-growth check compares. Pure: the caller
 * runs the queries.
 */
public final class PrometheusHeap {
    private PrometheusHeap() {
    }

    /**
     * @param heapAfterGc       the heap query's series, one per pod (label {@code instanceLabel}); NaN and
     *                          infinite points are dropped, and a value equal to the one before (the same
     *                          collection's result, scraped again)
     * @param jvmStart          the start-time query's series (seconds since the epoch); may be empty
     * @param instanceLabel     the label naming the pod, e.g. {@code pod}
     * @param requestsPerSecond per pod, requests served per second over the window; pods not in it have none
     * @return one pod per heap series that names its pod, in the series' order
     */
    public static List<PodHeap> pods(List<TimeSeries> heapAfterGc, List<TimeSeries> jvmStart, String instanceLabel,
                                     Map<String, Double> requestsPerSecond) {
        return pods(heapAfterGc, jvmStart, instanceLabel, requestsPerSecond, false);
    }

    /** As {@link #pods(List, List, String, Map)}; {@code liveSet}: the series are the live set ({@link PodHeap#liveSet()}). */
    public static List<PodHeap> pods(List<TimeSeries> heapAfterGc, List<TimeSeries> jvmStart, String instanceLabel,
                                     Map<String, Double> requestsPerSecond, boolean liveSet) {
        Map<String, Long> starts = starts(jvmStart, instanceLabel);
        List<PodHeap> pods = new ArrayList<>();
        for (TimeSeries series : heapAfterGc) {
            String pod = series.labels().get(instanceLabel);
            if (pod == null) {
                continue;
            }
            long[] times = series.timestampsMillis();
            double[] values = series.values();
            long[] t = new long[times.length];
            long[] b = new long[times.length];
            int n = 0;
            int unusable = 0;
            for (int i = 0; i < times.length; i++) {
                // A gauge of "after the last collection" scraped again before the next one repeats its value:
                // one observation, not two. A series that never changes (Micrometer's live data size in a G1
                // JVM that never collects its old generation) is then one point: too few to judge, not flat.
                boolean repeat = n > 0 && Math.round(values[i]) == b[n - 1];
                // A live set of 0 bytes is no JVM's: Micrometer's live data size reads 0 until the first collection that
                // shrank the old generation (a young G1 JVM's first ~17 minutes in the recordings). Taken as a point it
                // made every young pod's live set leap by its whole size (baseline pods at the canary's age +62 MiB/h),
                // hiding a leaking canary's growth beside it (docs/EVALUATION.md "(qa52)").
                boolean notYet = liveSet && values[i] == 0;
                if (!(Double.isFinite(values[i]) && values[i] >= 0)) {
                    unusable++;
                } else if (!repeat && !notYet) {
                    t[n] = times[i];
                    b[n] = Math.round(values[i]);
                    n++;
                }
            }
            HeapSeries heap = new HeapSeries("prometheus " + instanceLabel + "=" + pod, starts.getOrDefault(pod, -1L),
                    Arrays.copyOf(t, n), Arrays.copyOf(b, n));
            pods.add(new PodHeap(pod, heap, requestsPerSecond.get(pod), liveSet, unusable));
        }
        return pods;
    }

    /**
     * A memory area's usage outside the heap, one pod per series that names its pod: every finite, non-negative point
     * (a value scraped again is kept: usage that does not change is flat, not one point), times {@code scale} (bytes
     * per unit: 1 for bytes, a thread's stack for a thread count), as {@link PodHeap#liveSet() live set} (its drops are
     * memory freed, no saw-tooth to look through), without request rates.
     */
    public static List<PodHeap> usage(List<TimeSeries> series, List<TimeSeries> jvmStart, String instanceLabel, long scale) {
        List<PodHeap> pods = new ArrayList<>();
        Map<String, Long> starts = starts(jvmStart, instanceLabel);
        for (TimeSeries one : series) {
            String pod = one.labels().get(instanceLabel);
            if (pod == null) {
                continue;
            }
            long[] times = one.timestampsMillis();
            double[] values = one.values();
            long[] t = new long[times.length];
            long[] b = new long[times.length];
            int n = 0;
            int unusable = 0;
            for (int i = 0; i < times.length; i++) {
                if (Double.isFinite(values[i]) && values[i] >= 0) {
                    t[n] = times[i];
                    b[n] = Math.round(values[i] * scale);
                    n++;
                } else {
                    unusable++;
                }
            }
            HeapSeries usage = new HeapSeries("prometheus " + instanceLabel + "=" + pod, starts.getOrDefault(pod, -1L),
                    Arrays.copyOf(t, n), Arrays.copyOf(b, n));
            pods.add(new PodHeap(pod, usage, null, true, unusable));
        }
        return pods;
    }

    /** Per pod, its latest JVM's start (Unix epoch milliseconds) from the start-time query's series. */
    private static Map<String, Long> starts(List<TimeSeries> jvmStart, String instanceLabel) {
        Map<String, Long> starts = new LinkedHashMap<>();
        for (TimeSeries series : jvmStart) {
            String pod = series.labels().get(instanceLabel);
            double[] values = series.values();
            for (int i = values.length - 1; pod != null && i >= 0; i--) {
                if (Double.isFinite(values[i]) && values[i] > 0) {
                    starts.merge(pod, Math.round(values[i] * 1000), Math::max); // a restarted pod: its latest JVM
                    break;
                }
            }
        }
        return starts;
    }
}
