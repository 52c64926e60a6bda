package io.canaryjudge.judge.memory;

import io.canaryjudge.verdict.Finding;
import io.canaryjudge.verdict.MemoryQuality;
import java.util.Map;
import java.util.Objects;

/**
 * The memory-growth check's contribution to a verdict.
 *
 * @param outcome     GROWTH, NO_GROWTH or NOT_JUDGED
 * @param finding     the MEMORY_GROWTH finding when the canary grows (failing unless configured otherwise); null
 *                    otherwise
 * @param site        where live-object profiles say the extra live objects were allocated; null without them
 * @param quality     what the check stood on, for {@code dataQuality.memory}; null when no heap data was given
 * @param liveData    whether the outcome was judged from the pods' live-set series ({@link HeapWindows#liveData()})
 *                    because their heap after GC could not resolve growth
 * @param judgedAfter per canary pod whose warm-up the analysis left out, the time (Unix epoch milliseconds) from which
 *                    its heap and its profiles counted; empty when none was left out (compared with the baseline at
 *                    its age, JVM starts unknown, or nothing judged). What else is judged of the canary (the open
 *                    connections of a Go heap, the site named) leaves out the same minutes
 */
public record MemoryGrowthResult(MemoryOutcome outcome, Finding finding, LeakSite site, MemoryQuality quality,
                                 boolean liveData, Map<String, Long> judgedAfter) {
    /** No heap data, or the check is off: nothing to add to the verdict. */
    public static final MemoryGrowthResult NONE = new MemoryGrowthResult(MemoryOutcome.NOT_JUDGED, null, null, null);

    public MemoryGrowthResult {
        Objects.requireNonNull(outcome, "outcome");
        judgedAfter = judgedAfter == null ? Map.of() : Map.copyOf(judgedAfter);
    }

    /** A result judged from the heap after GC, no canary warm-up left out. */
    public MemoryGrowthResult(MemoryOutcome outcome, Finding finding, LeakSite site, MemoryQuality quality) {
        this(outcome, finding, site, quality, false, Map.of());
    }

    /** Whether this result fails the canary. */
    public boolean failing() {
        return finding != null && finding.failing();
    }

    /** This result with {@code quality} in place of its own, everything else as it is. */
    MemoryGrowthResult withQuality(MemoryQuality quality) {
        return new MemoryGrowthResult(outcome, finding, site, quality, liveData, judgedAfter);
    }
}
