package io.canaryjudge.judge.memory;

/** What the memory-growth check concluded. */
public enum MemoryOutcome {
    /** The canary's heap after GC grows credibly and materially faster than the baseline's. */
    GROWTH,
    /** Compared, and no abnormal growth. */
    NO_GROWTH,
    /** Heap data was given but too little to compare (the reason is in the data-quality notes), or none at all. */
    NOT_JUDGED
}
