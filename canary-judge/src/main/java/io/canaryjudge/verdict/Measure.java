package io.canaryjudge.verdict;

/** Which value of a function a finding compares. */
public enum Measure {
    /** Value where the function is the leaf ("flat"), as a share of the observation's total. */
    SELF,
    /** Value of every stack the function is on, counted once per stack, as a share of the total. */
    INCLUSIVE,
    /** Self value per request. */
    SELF_PER_REQUEST,
    /** Inclusive value per request. */
    INCLUSIVE_PER_REQUEST,
    /** The observation's total value per request (COST_PER_REQUEST findings). */
    TOTAL_PER_REQUEST,
    /** Growth of the heap after GC, bytes per hour (MEMORY_GROWTH findings). */
    HEAP_GROWTH,
    /** Growth of the heap after GC per 1,000 requests served, bytes (MEMORY_GROWTH findings with request counts). */
    HEAP_GROWTH_PER_REQUEST,
    /**
     * Growth of a memory area outside the heap per hour, in the finding's {@code unit}: bytes (metaspace, direct
     * buffers) or threads (MEMORY_GROWTH findings whose function names the area, e.g. {@code <metaspace>}).
     */
    MEMORY_AREA_GROWTH;

    /** The function's own value (share or per request), as opposed to inclusive or total. */
    public boolean self() {
        return this == SELF || this == SELF_PER_REQUEST;
    }

    /** Memory growth (the heap after GC, an area outside it): no profile measures it, and no frame's share is its evidence. */
    public boolean memoryGrowth() {
        return this == HEAP_GROWTH || this == HEAP_GROWTH_PER_REQUEST || this == MEMORY_AREA_GROWTH;
    }

    public boolean perRequest() {
        return this == SELF_PER_REQUEST || this == INCLUSIVE_PER_REQUEST || this == TOTAL_PER_REQUEST
                || this == HEAP_GROWTH_PER_REQUEST;
    }
}
