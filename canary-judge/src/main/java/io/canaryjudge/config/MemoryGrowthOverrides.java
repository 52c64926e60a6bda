package io.canaryjudge.config;

import io.canaryjudge.judge.memory.MemoryGrowthConfig;
import java.time.Duration;

/**
 * The {@code memoryGrowth:} keys one level of a configuration file sets (null = inherit), stacked
 * like the other keys: defaults, then the top level, then the service.
 */
record MemoryGrowthOverrides(Boolean enabled, Boolean fail, Double minSlopeMiBPerHour, Double maxPValue,
                             Duration warmup, Integer minPoints, Duration minSpan, Double priorSlopeSpreadMiBPerHour,
                             Double maxDetectableGrowthMiBPerHour, Duration window) {
    static final MemoryGrowthOverrides NONE = new MemoryGrowthOverrides(null, null, null, null, null, null, null, null, null,
            null);

    /** @throws IllegalArgumentException when a merged value is out of range */
    MemoryGrowthConfig applyTo(MemoryGrowthConfig base) {
        return new MemoryGrowthConfig(
                enabled != null ? enabled : base.enabled(),
                fail != null ? fail : base.fail(),
                minSlopeMiBPerHour != null ? minSlopeMiBPerHour : base.minSlopeMiBPerHour(),
                maxPValue != null ? maxPValue : base.maxPValue(),
                warmup != null ? warmup : base.warmup(),
                minPoints != null ? minPoints : base.minPoints(),
                minSpan != null ? minSpan : base.minSpan(),
                priorSlopeSpreadMiBPerHour != null ? priorSlopeSpreadMiBPerHour : base.priorSlopeSpreadMiBPerHour(),
                maxDetectableGrowthMiBPerHour != null ? maxDetectableGrowthMiBPerHour : base.maxDetectableGrowthMiBPerHour(),
                window != null ? window : base.window());
    }
}
