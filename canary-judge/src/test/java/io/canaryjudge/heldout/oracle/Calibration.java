package io.canaryjudge.heldout.oracle;

import java.util.List;

/**
 * The oracle's threshold for one layout and profile type: the statistic that the oracle's A/A
 * comparisons exceed at the false-FAIL rate {@code alpha}. Used at {@code alpha} = the judge's own
 * A/A rate in that layout, never below the 1 % target: "the best detection achievable at the
 * false-alarm rate the judge pays (or is allowed)".
 *
 * @param alpha     false-FAIL rate the threshold is set for
 * @param threshold statistic above which the oracle FAILs
 * @param cases     A/A comparisons it was set on
 */
public record Calibration(double alpha, double threshold, int cases) {

    public static Calibration of(List<OracleCall> aa, double alpha) {
        double[] stats = aa.stream().mapToDouble(OracleCall::statistic).sorted().toArray();
        if (stats.length == 0) {
            return new Calibration(alpha, Double.POSITIVE_INFINITY, 0);
        }
        // The smallest threshold that at most floor(alpha × n) A/A statistics exceed.
        int allowed = (int) Math.floor(alpha * stats.length);
        int index = stats.length - 1 - allowed;
        double threshold = index < 0 ? 0 : stats[index];
        return new Calibration(alpha, threshold, stats.length);
    }

    public boolean fails(OracleCall call) {
        return call.statistic() > threshold;
    }

    @Override
    public String toString() {
        return String.format(java.util.Locale.ROOT, "z > %.2f (A/A rate %.1f %%, %d A/A cases)", threshold, alpha * 100,
                cases);
    }
}
