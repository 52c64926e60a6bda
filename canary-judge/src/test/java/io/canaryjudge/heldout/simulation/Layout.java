package io.canaryjudge.heldout.simulation;

/**
 * Pods per side of one comparison: {@code 1v3} is one canary pod beside three baseline pods (Argo
 * Rollouts' usual first step), {@code 2v2} and {@code 3v3} equal sides.
 *
 * @param canaryPods    canary pods (JVMs)
 * @param baselinePods  baseline pods (JVMs)
 * @param canaryTraffic each canary pod's traffic, so its samples, as a fraction of a baseline pod's (a canary
 *                      behind a weighted router); 1 = equal
 * @param wholeWindow   each pod's window is one profile (one file per JVM) instead of one per slice
 */
public record Layout(int canaryPods, int baselinePods, double canaryTraffic, boolean wholeWindow) {
    public static final Layout ONE_V_THREE = new Layout(1, 3);
    public static final Layout TWO_V_TWO = new Layout(2, 2);
    public static final Layout THREE_V_THREE = new Layout(3, 3);

    public Layout {
        if (canaryPods < 1 || baselinePods < 1) {
            throw new IllegalArgumentException("a layout needs a pod on each side, was " + canaryPods + "v" + baselinePods);
        }
        if (!(canaryTraffic > 0 && canaryTraffic <= 1)) {
            throw new IllegalArgumentException("canary traffic must be in (0, 1], was " + canaryTraffic);
        }
    }

    public Layout(int canaryPods, int baselinePods) {
        this(canaryPods, baselinePods, 1, false);
    }

    /** The same pods, each canary pod serving {@code fraction} of a baseline pod's traffic. */
    public Layout lightCanary(double fraction) {
        return new Layout(canaryPods, baselinePods, fraction, wholeWindow);
    }

    /** The same pods, each window one profile per pod (its slices summed). */
    public Layout oneFilePerPod() {
        return new Layout(canaryPods, baselinePods, canaryTraffic, true);
    }

    @Override
    public String toString() {
        return canaryPods + "v" + baselinePods + (canaryTraffic < 1 ? " canary" + Math.round(canaryTraffic * 100) + "%" : "")
                + (wholeWindow ? " one file" : "");
    }
}
