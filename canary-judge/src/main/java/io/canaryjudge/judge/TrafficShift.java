package io.canaryjudge.judge;

/**
 * The band of loads within which a canary pod and a baseline pod count as serving the same traffic: the profile
 * comparison's traffic shift ({@link TypeContext}) and the memory check's lighter canary
 * ({@code MemoryGrowthAnalysis}) both rest on it, so the two checks call the same canary light.
 */
public final class TrafficShift {
    /**
     * A canary pod serving under this fraction (or over its inverse) of a baseline pod's requests per second has
     * shifted traffic (recorded, docs/EVALUATION.md "Canaries at another load": the same code at 18 % of the baseline's
     * rate cost +72 % CPU per request).
     */
    public static final double BAND = 0.8;

    private TrafficShift() {
    }
}
