package io.canaryjudge.judge.memory;

import java.util.List;

/**
 * The after-GC heap the memory-growth check judges: the baseline's and the canary's pods over the
 * analysis window, and earlier windows of the baseline version (history). History teaches the
 * between-pod and between-window spread of slopes, and — when it covers the canary pods' age, e.g.
 * the first minutes of the baseline pods after their own start — the slope a young JVM of the
 * baseline version has, so that a warming cache is not a leak.
 *
 * @param baseline the baseline pods in the window
 * @param canary   the canary pods in the window
 * @param history  earlier windows of baseline pods (one entry per pod and window); may be empty
 * @param areas    the same pods' memory outside the heap (metaspace, direct buffers, threads), judged beside it; may
 *                 be empty
 * @param liveData the same pods' live set as a second series ({@link PodHeap#liveSet()}: Micrometer's live data size
 *                 beside its heap used), judged only when the heap after GC cannot resolve growth; null for none
 */
public record HeapWindows(List<PodHeap> baseline, List<PodHeap> canary, List<PodHeap> history, List<AreaWindows> areas,
                          HeapWindows liveData) {
    public HeapWindows {
        baseline = List.copyOf(baseline);
        canary = List.copyOf(canary);
        history = history == null ? List.of() : List.copyOf(history);
        areas = areas == null ? List.of() : List.copyOf(areas);
    }

    /** The heap and the areas outside it, no live-set series beside the heap. */
    public HeapWindows(List<PodHeap> baseline, List<PodHeap> canary, List<PodHeap> history, List<AreaWindows> areas) {
        this(baseline, canary, history, areas, null);
    }

    /** The heap only, no area outside it. */
    public HeapWindows(List<PodHeap> baseline, List<PodHeap> canary, List<PodHeap> history) {
        this(baseline, canary, history, List.of());
    }

    /**
     * Whether no pod was given at all: then there is no memory check to report. Pods given without points
     * (a query that found nothing) are a check that could not be judged, and the verdict says so.
     */
    public boolean isEmpty() {
        return baseline.isEmpty() && canary.isEmpty() && history.isEmpty();
    }

    /** These windows with {@code live} as the live-set series beside the heap (null for none). */
    public HeapWindows withLiveData(HeapWindows live) {
        return new HeapWindows(baseline, canary, history, areas, live);
    }
}
