package io.canaryjudge.judge.memory;

import java.time.Duration;
import java.util.Objects;

/**
 * When the canary's heap growth after GC counts as a leak. Defaults and the measurements behind them
 * are in docs/EVALUATION.md ("Memory growth"); the configuration file's {@code memoryGrowth:} key
 * sets them per application.
 *
 * @param enabled               whether heap data is judged at all
 * @param fail                  whether MEMORY_GROWTH fails the canary (false: reported only)
 * @param minSlopeMiBPerHour    material: the canary's heap must grow by at least this much more than
 *                              the baseline's, and at least this much itself, MiB per hour (per 1,000
 *                              requests at the baseline's rate when request counts are known)
 * @param maxPValue             credible: one-sided p-value of the canary's excess growth against the
 *                              spread of the baseline's slopes
 * @param warmup                heap points of a pod younger than this (since its JVM started) are left
 *                              out unless the baseline's history covers the same age
 * @param minPoints             fewer heap points than this in a pod's window (after thinning to the
 *                              lowest per minute): the pod's slope is not used
 * @param minSpan               a pod's points must span at least this long: the check is calibrated on 15-minute
 *                              windows, and on 10-minute ones it failed up to 16 % of healthy recorded canaries
 *                              (docs/EVALUATION.md)
 * @param priorSlopeSpreadMiBPerHour between-pod spread of 15-minute slopes assumed before the baseline's own
 *                              pods are seen, MiB per hour (plus {@link #PRIOR_RELATIVE_SPREAD} of the
 *                              baseline's slope); it counts as {@link #PRIOR_WEIGHT} pods, and never lowers
 *                              the spread the baseline's own slopes show
 * @param maxDetectableGrowthMiBPerHour when the data could not have detected growth this much faster than
 *                              the baseline's (MiB per hour; the minimum detectable growth at 80 % power is
 *                              larger, or a saw-tooth heap showed too few old-generation collections), the
 *                              memory check answers INCONCLUSIVE instead of passing, as the profile
 *                              comparison does with {@code maxDetectableChange}; 0 = never
 * @param window                the service judges the heap after GC over this long before the analysis window's
 *                              end when that is longer than the analysis window (30 min: a rollout's analysis
 *                              often looks back 5 minutes, and the check needs {@code minSpan} of heap per pod; a
 *                              saw-tooth heap needs about 4 old-generation collections per pod); zero = the
 *                              analysis window. Files given to {@code compare} are their own window.
 */
public record MemoryGrowthConfig(boolean enabled, boolean fail, double minSlopeMiBPerHour, double maxPValue,
                                 Duration warmup, int minPoints, Duration minSpan,
                                 double priorSlopeSpreadMiBPerHour, double maxDetectableGrowthMiBPerHour,
                                 Duration window) {
    /** Degrees of freedom the prior spread counts as (an empirical-Bayes prior, as limma's d0). */
    public static final double PRIOR_WEIGHT = 2;

    /**
     * A pod's slope varies with its level during warm-up (a cache filling at ~90 MiB/h in one JVM and
     * ~80 in the next): the prior spread grows by this fraction of the baseline's slope.
     */
    public static final double PRIOR_RELATIVE_SPREAD = 0.1;

    /** MiB per hour: a leak that fills a 1 GiB heap within a day (0.7 MiB per minute). */
    public static final double DEFAULT_MAX_DETECTABLE_GROWTH = 42;

    public static final MemoryGrowthConfig DEFAULTS = new MemoryGrowthConfig(true, true, 20, 0.01,
            Duration.ofMinutes(20), 4, Duration.ofMinutes(10), 4, DEFAULT_MAX_DETECTABLE_GROWTH, Duration.ofMinutes(30));

    public MemoryGrowthConfig {
        Objects.requireNonNull(warmup, "warmup");
        Objects.requireNonNull(minSpan, "minSpan");
        Objects.requireNonNull(window, "window");
        if (window.isNegative()) {
            throw new IllegalArgumentException("window must not be negative (0 = the analysis window), was " + window);
        }
        if (!(minSlopeMiBPerHour >= 0) || Double.isInfinite(minSlopeMiBPerHour)) {
            throw new IllegalArgumentException("minSlopeMiBPerHour must be >= 0, was " + minSlopeMiBPerHour);
        }
        if (!(maxPValue > 0 && maxPValue <= 1)) {
            throw new IllegalArgumentException("maxPValue must be in (0, 1], was " + maxPValue);
        }
        if (warmup.isNegative()) {
            throw new IllegalArgumentException("warmup must not be negative, was " + warmup);
        }
        if (minPoints < 3) {
            throw new IllegalArgumentException("minPoints must be >= 3, was " + minPoints);
        }
        if (minSpan.isNegative() || minSpan.isZero()) {
            throw new IllegalArgumentException("minSpan must be positive, was " + minSpan);
        }
        if (!(priorSlopeSpreadMiBPerHour > 0) || Double.isInfinite(priorSlopeSpreadMiBPerHour)) {
            throw new IllegalArgumentException("priorSlopeSpreadMiBPerHour must be > 0, was " + priorSlopeSpreadMiBPerHour);
        }
        if (!(maxDetectableGrowthMiBPerHour >= 0) || Double.isInfinite(maxDetectableGrowthMiBPerHour)) {
            throw new IllegalArgumentException("maxDetectableGrowthMiBPerHour must be >= 0 (0 = never INCONCLUSIVE), was "
                    + maxDetectableGrowthMiBPerHour);
        }
    }

    public MemoryGrowthConfig withEnabled(boolean value) {
        return new MemoryGrowthConfig(value, fail, minSlopeMiBPerHour, maxPValue, warmup, minPoints, minSpan,
                priorSlopeSpreadMiBPerHour, maxDetectableGrowthMiBPerHour, window);
    }

    public MemoryGrowthConfig withFail(boolean value) {
        return new MemoryGrowthConfig(enabled, value, minSlopeMiBPerHour, maxPValue, warmup, minPoints, minSpan,
                priorSlopeSpreadMiBPerHour, maxDetectableGrowthMiBPerHour, window);
    }

    public MemoryGrowthConfig withMinSlopeMiBPerHour(double value) {
        return new MemoryGrowthConfig(enabled, fail, value, maxPValue, warmup, minPoints, minSpan,
                priorSlopeSpreadMiBPerHour, maxDetectableGrowthMiBPerHour, window);
    }

    public MemoryGrowthConfig withMaxPValue(double value) {
        return new MemoryGrowthConfig(enabled, fail, minSlopeMiBPerHour, value, warmup, minPoints, minSpan,
                priorSlopeSpreadMiBPerHour, maxDetectableGrowthMiBPerHour, window);
    }

    public MemoryGrowthConfig withWarmup(Duration value) {
        return new MemoryGrowthConfig(enabled, fail, minSlopeMiBPerHour, maxPValue, value, minPoints, minSpan,
                priorSlopeSpreadMiBPerHour, maxDetectableGrowthMiBPerHour, window);
    }

    public MemoryGrowthConfig withMinPoints(int value) {
        return new MemoryGrowthConfig(enabled, fail, minSlopeMiBPerHour, maxPValue, warmup, value, minSpan,
                priorSlopeSpreadMiBPerHour, maxDetectableGrowthMiBPerHour, window);
    }

    public MemoryGrowthConfig withMinSpan(Duration value) {
        return new MemoryGrowthConfig(enabled, fail, minSlopeMiBPerHour, maxPValue, warmup, minPoints, value,
                priorSlopeSpreadMiBPerHour, maxDetectableGrowthMiBPerHour, window);
    }

    public MemoryGrowthConfig withPriorSlopeSpreadMiBPerHour(double value) {
        return new MemoryGrowthConfig(enabled, fail, minSlopeMiBPerHour, maxPValue, warmup, minPoints, minSpan, value,
                maxDetectableGrowthMiBPerHour, window);
    }

    public MemoryGrowthConfig withMaxDetectableGrowthMiBPerHour(double value) {
        return new MemoryGrowthConfig(enabled, fail, minSlopeMiBPerHour, maxPValue, warmup, minPoints, minSpan,
                priorSlopeSpreadMiBPerHour, value, window);
    }

    public MemoryGrowthConfig withWindow(Duration value) {
        return new MemoryGrowthConfig(enabled, fail, minSlopeMiBPerHour, maxPValue, warmup, minPoints, minSpan,
                priorSlopeSpreadMiBPerHour, maxDetectableGrowthMiBPerHour, value);
    }
}
