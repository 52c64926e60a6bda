package io.canaryjudge.judge.memory;

/** What the memory-growth check concluded. */
public enum MemoryOutcome {
    /** The canary's heap after GC grows credibly and materially faster than the baseline's. */
    GROWTH,
    /** Compared, and no abnormal growth. */
    NO_GROWTH,
    /**
     * No growth seen, but the data could not have seen growth of {@code maxDetectableGrowthMiBPerHour}
     * (a saw-tooth heap with too few old-generation collections in the window, or slopes too noisy):
     * INCONCLUSIVE rather than a pass, with the reason and the window that would resolve it in the notes.
     */
    UNRESOLVED,
    /** Heap data was given but too little to compare (the reason is in the data-quality notes), or none at all. */
    NOT_JUDGED
}
