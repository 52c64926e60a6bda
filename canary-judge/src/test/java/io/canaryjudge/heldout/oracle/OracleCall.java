package io.canaryjudge.heldout.oracle;

/**
 * The oracle's look at one comparison of one profile type: the largest z of a material rise, and
 * where it is. It FAILs the canary when the statistic exceeds a threshold calibrated on A/A
 * comparisons of the same layout ({@link Calibration}).
 *
 * @param statistic            largest z over every function's self and inclusive share that rose by
 *                             at least the judge's materiality floors; 0 when none did
 * @param function             where that z is; null when none
 * @param applicationFunction  the application frame with the largest such z (the oracle's culprit); null when none
 */
public record OracleCall(double statistic, String function, String applicationFunction) {
}
