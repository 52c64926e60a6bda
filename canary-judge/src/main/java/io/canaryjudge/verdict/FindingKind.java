package io.canaryjudge.verdict;

/** What a finding says happened to a function (or to the total cost). */
public enum FindingKind {
    /** The function costs credibly and materially more in the canary. */
    REGRESSION,
    /** Absent or negligible in the baseline, material in the canary. */
    NEW_HOT_PATH,
    /** The function costs credibly and materially less in the canary. */
    IMPROVEMENT,
    /** Material in the baseline, absent or negligible in the canary. */
    VANISHED,
    /** Total cost (CPU or allocation) per request changed; only when request counts are known. */
    COST_PER_REQUEST,
    /**
     * The canary's heap after GC grows credibly and materially faster than the baseline's (a leak):
     * from the after-GC heap of each pod, with the allocation site named from live-object profiles
     * when there are any.
     */
    MEMORY_GROWTH,
    /**
     * The canary's profile does not resemble the baseline's: most of one group's cost is in functions
     * the other group credibly never ran (a different program or build, or mixed-up profiles). Function
     * {@code "<total>"}; {@code baseline}/{@code canary} are the shares of each group's total in functions
     * the other never ran.
     */
    DIFFERENT_PROGRAM,
    /**
     * No credible, material change: used only in {@link Verdict#hottest()}, the benchstat-style
     * listing of the hottest functions ("~" in text output), never in {@link Verdict#findings()}.
     */
    UNCHANGED
}
