package io.canaryjudge.metricgate;

/** What a metric gate concluded. */
public enum GateOutcome {
    /** The canary is not worse than the baseline beyond the tolerance, or not beyond the noise. */
    PASS,
    /** The canary is worse beyond the tolerance and beyond the noise. */
    FAIL,
    /**
     * Too little usable data to judge: fewer points than the gate needs, or too few independent points
     * for a real difference to be told from noise. Never a PASS by default.
     */
    NO_DATA
}
