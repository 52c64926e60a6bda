package io.canaryjudge.judge;

/**
 * When a change is material and credible enough to matter. Defaults and the measurements that
 * chose them are in README.md and docs/EVALUATION.md.
 *
 * @param maxQValue            a finding is credible when its Benjamini–Hochberg q-value is at most this
 * @param minRelativeChange    a regression is material when the function's share grew by at least this
 *                             fraction (0.05 = +5 %)
 * @param minAbsoluteChange    ... and by at least this much of the total (0.001 = 0.1 percentage points)
 * @param candidateShare       functions are tested only when their share pooled over both groups is at
 *                             least this (0.001 = 0.1 % of total); chosen without looking at the difference
 * @param negligibleShare      a share below this counts as absent (new hot path / vanished); 0.0005 = 0.05 %
 * @param newHotPathShare      a function absent in the baseline is a new hot path when the canary spends at
 *                             least this share in it (0.005 = 0.5 %)
 */
public record Thresholds(double maxQValue, double minRelativeChange, double minAbsoluteChange,
                         double candidateShare, double negligibleShare, double newHotPathShare) {

    public static final Thresholds DEFAULTS = new Thresholds(0.01, 0.05, 0.001, 0.001, 0.0005, 0.005);

    public Thresholds {
        check("maxQValue", maxQValue, 0, 1);
        check("minRelativeChange", minRelativeChange, 0, 100);
        check("minAbsoluteChange", minAbsoluteChange, 0, 1);
        check("candidateShare", candidateShare, 0, 1);
        check("negligibleShare", negligibleShare, 0, 1);
        check("newHotPathShare", newHotPathShare, 0, 1);
    }

    private static void check(String name, double value, double min, double max) {
        if (!(value >= min && value <= max)) {
            throw new IllegalArgumentException(name + " must be in [" + min + ", " + max + "], was " + value);
        }
    }
}
