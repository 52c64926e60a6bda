package io.canaryjudge.verdict;

import java.util.List;

/**
 * What the memory-growth check stood on: the after-GC heap of each pod, the slopes fitted to it and
 * the noise they were compared with. Present whenever heap data was given; {@code judged} is false
 * (with the reason in {@code notes}) when there was too little of it — never a silent pass.
 *
 * @param judged                  whether the canary's growth was compared with the baseline's
 * @param unit                    unit of the slopes: {@code bytes per hour} or {@code bytes per 1000 requests}
 * @param baselinePods            baseline pods with enough heap points
 * @param canaryPods              canary pods with enough heap points
 * @param referenceSlopes         slopes the baseline's level and spread came from (baseline pods, and
 *                                earlier windows of the baseline version)
 * @param baselineSlope           the baseline's slope (mean of the reference), in {@code unit}; null when not judged
 * @param canarySlope             the canary pods' mean slope, in {@code unit}; null when not judged
 * @param slopeSpread             standard deviation of a pod's slope around its group's level, in {@code unit}
 * @param minimumDetectableGrowth canary growth beyond the baseline's that this check detects with 80 %
 *                                power at its thresholds, in {@code unit}; null when not judged
 * @param reference               what the baseline's level and spread were learned from, in words
 * @param pods                    every pod's heap over time and its slope, for the report
 * @param notes                   what was excluded or could not be judged, in plain words
 */
public record MemoryQuality(boolean judged, String unit, int baselinePods, int canaryPods, int referenceSlopes,
                            Double baselineSlope, Double canarySlope, Double slopeSpread,
                            Double minimumDetectableGrowth, String reference, List<PodHeapSummary> pods,
                            List<String> notes) {
    public MemoryQuality {
        pods = pods == null ? List.of() : List.copyOf(pods);
        notes = notes == null ? List.of() : List.copyOf(notes);
    }
}
