package io.canaryjudge.judge.memory;

/**
 * The pods' heap after GC as {@link MemoryVerdicts#analyseHeap} analysed it, before a failing client_golang heap is
 * judged again from Go's heap profiles ({@link GoLiveHeap}) and the open connections of a Go server are judged off it:
 * what {@link MemoryVerdicts#apply(io.canaryjudge.verdict.Verdict, HeapMeasure, MemoryGrowthConfig, java.util.List,
 * java.util.List, java.util.List, io.canaryjudge.judge.FrameClassifier, java.util.List, java.util.List, AnalysedHeap)}
 * adds to a verdict. The service analyses the heap once, before the judge runs, because whether it fails so
 * ({@link #failsForConnections}) decides whether the pods' profiles over the heap's window are fetched. It carries the
 * heap it was analysed from, so that the judge cannot be handed an analysis of one heap beside another.
 *
 * @param heap   the pods' heap after GC (and areas outside it) that {@link MemoryVerdicts#analyseHeap} analysed
 * @param result the heap's (or, where it could not resolve growth, the live data size's) outcome, finding and site
 * @param load   the canary's load as its allocation profiles say it, which the heap was judged with: judging the heap
 *               again less the connections uses the same
 */
public record AnalysedHeap(HeapWindows heap, MemoryGrowthResult result, LoadEstimate load) {

    /**
     * Whether the heap after GC (not the live data size) FAILs, so that the open connections of a Go server are judged
     * off it ({@link ConnectionHeap}), from the canary's goroutine and live-bytes profiles over the heap's window when
     * the caller fetched them.
     */
    public boolean failsForConnections() {
        return ConnectionHeap.failsForConnections(result);
    }
}
