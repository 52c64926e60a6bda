package io.canaryjudge.report.flame;

/**
 * One frame of the merged call tree: a call path from the root, identified by its parent and its
 * frame name. Values are shares of the group's total (0..1), normalised per group: each pod's
 * value is divided by that pod's own total, then the pods are averaged, so a canary serving less
 * traffic than the baseline shows no change where its code did not change.
 *
 * @param parent        index of the parent node in {@link FlameDiff#nodes()}; -1 for the root
 * @param name          normalised frame name ({@code package.Class.method}); the root is {@value FlameDiff#ROOT}
 * @param baselineTotal baseline share of every stack through this path (inclusive)
 * @param baselineSelf  baseline share of the stacks ending here
 * @param canaryTotal   canary share of every stack through this path
 * @param canarySelf    canary share of the stacks ending here
 */
public record FlameNode(int parent, String name, double baselineTotal, double baselineSelf,
                        double canaryTotal, double canarySelf) {
}
