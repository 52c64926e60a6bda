package io.canaryjudge.judge.memory;

import io.canaryjudge.profile.heap.HeapSeries;
import io.canaryjudge.verdict.PodHeapSummary.HeapPoint;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;

/**
 * Whether the heaps of an analysis are a saw-tooth ({@link OldCollections}): old-generation collections
 * in at least {@link #MIN_WINDOWS} pod windows (one could be a cache dropped at once). Then every pod's
 * slope is fitted through its troughs, and a window with fewer than {@link #MIN_TROUGHS} of them cannot
 * say how fast the live set grows: the verdict says so and which window would.
 *
 * @param windows          pod windows with heap points (baseline, canary and history)
 * @param windowsWithCycle of those, windows with at least one old-generation collection
 * @param cycleMinutes     median interval between a pod's consecutive old-generation collections, minutes;
 *                         NaN when no window held two
 * @param windowMinutes    the longest canary window, minutes
 */
record SawTooth(int windows, int windowsWithCycle, double cycleMinutes, double windowMinutes) {
    static final int MIN_WINDOWS = 2;
    static final int MIN_TROUGHS = 2;
    /** A pod's troughs must span this long, milliseconds (the pod's window spans at least minSpan). */
    static final long MIN_TROUGH_SPAN_MILLIS = 5 * 60_000L;
    /** Troughs per pod the suggested window holds: a slope through 4 troughs scatters a third as much as through 2. */
    static final int SUGGESTED_TROUGHS = 4;

    static SawTooth of(HeapWindows heaps) {
        List<PodHeap> all = new ArrayList<>(heaps.canary());
        all.addAll(heaps.baseline());
        all.addAll(heaps.history());
        int windows = 0;
        int withCycle = 0;
        List<Double> intervals = new ArrayList<>();
        for (PodHeap pod : all) {
            HeapSeries heap = pod.heap();
            if (heap.isEmpty() || pod.liveSet()) {
                continue; // the live set's drops are the live set shrinking, not old collections to look through
            }
            windows++;
            List<HeapPoint> troughs = OldCollections.troughs(heap, Long.MIN_VALUE, Long.MAX_VALUE);
            if (!troughs.isEmpty()) {
                withCycle++;
            }
            for (int i = 1; i < troughs.size(); i++) {
                intervals.add((troughs.get(i).timestampMillis() - troughs.get(i - 1).timestampMillis()) / 60_000.0);
            }
        }
        double windowMinutes = 0;
        for (PodHeap pod : heaps.canary()) {
            HeapSeries heap = pod.heap();
            if (!heap.isEmpty()) {
                windowMinutes = Math.max(windowMinutes,
                        (heap.timestampMillis(heap.size() - 1) - heap.timestampMillis(0)) / 60_000.0);
            }
        }
        double cycle = intervals.isEmpty() ? Double.NaN
                : intervals.stream().mapToDouble(Double::doubleValue).sorted().toArray()[intervals.size() / 2];
        return new SawTooth(windows, withCycle, cycle, windowMinutes);
    }

    boolean present() {
        return windowsWithCycle >= MIN_WINDOWS;
    }

    String describe() {
        return String.format(Locale.ROOT, "saw-tooth heap: old-generation collections in %d of %d pod windows%s;"
                        + " slopes fitted through the troughs after them (the live set), not through every point",
                windowsWithCycle, windows, Double.isNaN(cycleMinutes) ? ""
                        : String.format(Locale.ROOT, " (about one every %.0f min)", cycleMinutes));
    }

    /** Why a saw-tooth analysis could not compare: too few troughs in the {@code group}'s pods. */
    String unresolved(String group, MemoryGrowthConfig config) {
        return String.format(Locale.ROOT, "memory growth not judged: a %.0f-minute window of a saw-tooth heap cannot"
                        + " resolve %.0f MiB/h (%.2f MiB/min): too few %s pods have %d old-generation collections in it,"
                        + " and only they show the live set; %s", windowMinutes,
                config.maxDetectableGrowthMiBPerHour() > 0 ? config.maxDetectableGrowthMiBPerHour() : config.minSlopeMiBPerHour(),
                (config.maxDetectableGrowthMiBPerHour() > 0 ? config.maxDetectableGrowthMiBPerHour()
                        : config.minSlopeMiBPerHour()) / 60, group, MIN_TROUGHS, remedy(config));
    }

    /**
     * The window that would hold {@link #SUGGESTED_TROUGHS} old-generation collections per pod, and never less than the
     * check's minimum span (a heap that marks every minute would be told 5 min, which is never judged), nor than the
     * window judged: a window that already held them was too short for its scatter, and a shorter one would be worse.
     */
    String remedy(MemoryGrowthConfig config) {
        return remedy(config, 1);
    }

    /**
     * {@link #remedy(MemoryGrowthConfig)} for a window whose slopes could detect only {@code shortfall} times the growth
     * wanted: a slope through points (troughs) at a steady rate over a span T scatters as T^−1.5, so the window needs
     * shortfall^(2/3) times its length. (After 17-minute windows of G1 and Serial heaps that detected 71–78 MiB/h, the
     * advice was "at least 10 min" and "15 min": four collections fitted, the scatter did not.)
     */
    String remedy(MemoryGrowthConfig config, double shortfall) {
        double cycle = Double.isNaN(cycleMinutes) ? Math.max(windowMinutes, 1) : cycleMinutes;
        double forTroughs = Math.max(SUGGESTED_TROUGHS * cycle, config.minSpan().toSeconds() / 60.0);
        double forScatter = shortfall > 1 && windowMinutes > 0 ? windowMinutes * Math.pow(shortfall, 2.0 / 3) : 0;
        long minutes = (long) Math.ceil(Math.max(forTroughs, forScatter) / 5) * 5;
        if (minutes <= windowMinutes) {
            minutes = (long) Math.floor(windowMinutes / 5 + 1) * 5; // the next 5 minutes past the window judged
        }
        String why = forScatter > forTroughs
                ? String.format(Locale.ROOT, "the %.0f-minute window held old-generation collections enough, but a slope"
                        + " scatters as its span^-1.5: %.1f times the growth wanted was all it could detect", windowMinutes,
                        shortfall)
                : "about " + SUGGESTED_TROUGHS + " old-generation collections per pod";
        return String.format(Locale.ROOT, "judge a window of at least %d min (%s; in the service memoryGrowth.window:"
                + " %dm), and give history (earlier baseline windows) for a firmer spread", minutes, why, minutes);
    }
}
