package io.canaryjudge.heldout.simulation;

/**
 * Pods per side of one comparison: {@code 1v3} is one canary pod beside three baseline pods (Argo
 * Rollouts' usual first step), {@code 2v2} and {@code 3v3} equal sides.
 *
 * @param canaryPods   canary pods (JVMs)
 * @param baselinePods baseline pods (JVMs)
 */
public record Layout(int canaryPods, int baselinePods) {
    public static final Layout ONE_V_THREE = new Layout(1, 3);
    public static final Layout TWO_V_TWO = new Layout(2, 2);
    public static final Layout THREE_V_THREE = new Layout(3, 3);

    public Layout {
        if (canaryPods < 1 || baselinePods < 1) {
            throw new IllegalArgumentException("a layout needs a pod on each side, was " + canaryPods + "v" + baselinePods);
        }
    }

    @Override
    public String toString() {
        return canaryPods + "v" + baselinePods;
    }
}
