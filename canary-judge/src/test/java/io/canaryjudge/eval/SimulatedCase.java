package io.canaryjudge.eval;

import io.canaryjudge.judge.Observation;
import java.util.List;

/**
 * One simulated comparison: the observations the judge sees, the same data as raw counts for the
 * reference tests, and the truth behind them.
 *
 * @param setting the cell it was drawn from
 * @param service  the baseline's true profile
 * @param target   function whose rate the canary changed (also set in A/A cases, where it is unchanged)
 * @param baseline observations of the baseline pods
 * @param canary   observations of the canary pods
 * @param baselineCounts the baseline's self sample counts
 * @param canaryCounts   the canary's self sample counts
 */
record SimulatedCase(SimulationSetting setting, ServiceModel service, int target, List<Observation> baseline,
                     List<Observation> canary, GroupCounts baselineCounts, GroupCounts canaryCounts) {

    String targetName() {
        return service.names()[target];
    }

    /**
     * Self sample counts of one group and the shares they make.
     *
     * @param counts {@code counts[slice][function]}
     * @param pod    pod index of each slice
     * @param shares each slice's self shares, {@code shares[slice][function]} (count / slice total)
     */
    record GroupCounts(long[][] counts, int[] pod, double[][] shares) {

        static GroupCounts of(long[][] counts, int[] pod) {
            double[][] shares = new double[counts.length][];
            for (int s = 0; s < counts.length; s++) {
                long total = 0;
                for (long c : counts[s]) {
                    total += c;
                }
                shares[s] = new double[counts[s].length];
                for (int f = 0; f < counts[s].length; f++) {
                    shares[s][f] = total == 0 ? 0 : (double) counts[s][f] / total;
                }
            }
            return new GroupCounts(counts, pod, shares);
        }

        int slices() {
            return counts.length;
        }
    }
}
