package io.canaryjudge.judge;

import java.util.Arrays;

/**
 * The replicates of one profile type and how they relate. Each current baseline and canary pod is
 * one unit (units {@code 0 … P_b − 1} and {@code P_b … P_b + P_c − 1}); each history instance adds one
 * unit per window of its own (consecutive runs of as many slices as a current baseline pod holds).
 * A unit ran in one JVM — a history instance named like a baseline pod is that pod's JVM in an
 * earlier window — and is compared within a window group: the current baseline, the current canary,
 * and each earlier window that two or more history units share (history units alone in their window
 * form one group together).
 *
 * @param baselinePods current baseline pods
 * @param canaryPods   current canary pods
 * @param group        unit → {@link TypedObservation#BASELINE}, {@code CANARY} or {@code HISTORY}
 * @param jvm          unit → JVM id (equal ids = same JVM)
 * @param window       unit → window group id (0 current baseline, 1 current canary, 2… history)
 * @param slices       unit → observations in it
 * @param windowGroups number of window group ids
 * @param historyInstances distinct history instances
 * @param historyWindows   earlier windows (units) of history
 * @param sharedJvms   history instances that are JVMs of the current baseline (same name)
 */
record Units(int baselinePods, int canaryPods, int[] group, int[] jvm, int[] window, int[] slices, int windowGroups,
             int historyInstances, int historyWindows, int sharedJvms) {

    int count() {
        return group.length;
    }

    int pods() {
        return baselinePods + canaryPods;
    }

    int jvms() {
        return Arrays.stream(jvm).max().orElse(-1) + 1;
    }

    /** Distinct JVMs of the baseline version: current baseline pods and history (a pod's earlier windows count once). */
    int baselineVersionJvms() {
        boolean[] seen = new boolean[jvms()];
        int count = 0;
        for (int u = 0; u < count(); u++) {
            if (group[u] != TypedObservation.CANARY && !seen[jvm[u]]) {
                seen[jvm[u]] = true;
                count++;
            }
        }
        return count;
    }

    /** Distinct JVMs of the canary group. */
    int canaryJvms() {
        boolean[] seen = new boolean[jvms()];
        int count = 0;
        for (int u = 0; u < count(); u++) {
            if (group[u] == TypedObservation.CANARY && !seen[jvm[u]]) {
                seen[jvm[u]] = true;
                count++;
            }
        }
        return count;
    }

    boolean hasHistory() {
        return historyWindows > 0;
    }
}
