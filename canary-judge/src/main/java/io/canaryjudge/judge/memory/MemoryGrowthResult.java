package io.canaryjudge.judge.memory;

import io.canaryjudge.verdict.Finding;
import io.canaryjudge.verdict.MemoryQuality;
import java.util.Objects;

/**
 * The memory-growth check's contribution to a verdict.
 *
 * @param outcome GROWTH, NO_GROWTH or NOT_JUDGED
 * @param finding the MEMORY_GROWTH finding when the canary grows (failing unless configured otherwise); null otherwise
 * @param site    where live-object profiles say the extra live objects were allocated; null without them
 * @param quality what the check stood on, for {@code dataQuality.memory}; null when no heap data was given
 * @param liveData whether the outcome was judged from the pods' live-set series ({@link HeapWindows#liveData()})
 *                 because their heap after GC could not resolve growth
 */
public record MemoryGrowthResult(MemoryOutcome outcome, Finding finding, LeakSite site, MemoryQuality quality,
                                 boolean liveData) {
    /** No heap data, or the check is off: nothing to add to the verdict. */
    public static final MemoryGrowthResult NONE = new MemoryGrowthResult(MemoryOutcome.NOT_JUDGED, null, null, null);

    public MemoryGrowthResult {
        Objects.requireNonNull(outcome, "outcome");
    }

    /** A result judged from the heap after GC. */
    public MemoryGrowthResult(MemoryOutcome outcome, Finding finding, LeakSite site, MemoryQuality quality) {
        this(outcome, finding, site, quality, false);
    }

    /** Whether this result fails the canary. */
    public boolean failing() {
        return finding != null && finding.failing();
    }
}
