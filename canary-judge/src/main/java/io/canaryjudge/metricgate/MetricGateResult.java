package io.canaryjudge.metricgate;

import io.canaryjudge.verdict.MetricComparison;
import java.util.Objects;

/**
 * One metric gate's answer. Numbers that do not exist are null, never NaN.
 *
 * @param comparison     what goes into the verdict's {@code metrics}: group means (null without data), canary /
 *                       baseline − 1 (null when the baseline is 0), and a note saying how it was judged
 * @param outcome        PASS, FAIL or NO_DATA
 * @param failsVerdict   true when the outcome is FAIL and the gate is configured to fail the verdict
 * @param baselinePoints usable (finite) baseline points
 * @param canaryPoints   usable canary points
 * @param skippedPoints  NaN and ±Inf points left out, both groups
 * @param pValue         one-sided p-value of the noise check; null when it was not needed (within tolerance)
 *                       or not possible (no data)
 */
public record MetricGateResult(MetricComparison comparison, GateOutcome outcome, boolean failsVerdict,
                               int baselinePoints, int canaryPoints, int skippedPoints, Double pValue) {
    public MetricGateResult {
        Objects.requireNonNull(comparison, "comparison");
        Objects.requireNonNull(outcome, "outcome");
        if (failsVerdict && outcome != GateOutcome.FAIL) {
            throw new IllegalArgumentException("only a FAIL can fail the verdict, was " + outcome);
        }
    }
}
