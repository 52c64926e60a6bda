package io.canaryjudge.verdict;

/**
 * How much data one group contributed for one profile type.
 *
 * @param instances          pods (JVMs) with at least one usable observation
 * @param observations       observations (profiles of one instance over one time slice) used
 * @param excludedWarmup     observations dropped because they fell in the warm-up window
 * @param samples            profiler samples (events) behind the observations; -1 when unknown
 * @param total              sum of values, in the profile type's unit
 */
public record GroupQuality(int instances, int observations, int excludedWarmup, long samples, double total) {
}
