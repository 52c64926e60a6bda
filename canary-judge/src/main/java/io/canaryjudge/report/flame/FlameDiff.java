package io.canaryjudge.report.flame;

import io.canaryjudge.profile.ProfileType;
import java.util.List;
import java.util.Objects;

/**
 * Baseline and canary call trees of one profile type merged into one tree, for a diff flame graph:
 * per node each group's inclusive and self share. Pruned so it can be stored with the verdict:
 * nodes below {@code minShare} in both groups are dropped (their value stays in their parent's
 * total), and at most {@link FlameDiffBuilder#MAX_NODES} are kept.
 *
 * @param profileType  the profile type
 * @param minShare     smallest share (of either group) a kept node has, 0..1
 * @param droppedNodes nodes of the full merged tree that were pruned
 * @param canaryScale  how much larger the canary's shares of unchanged code are than the baseline's: the
 *                     median canary/baseline ratio of the self shares of call paths present in both (1 when
 *                     too few). Shares are compositional — a new hot path taking 15 % shrinks every other
 *                     share to 0.85 of its value — so the page compares canary / canaryScale with baseline,
 *                     as the judge's median-of-ratios size factors do, and unchanged code stays grey.
 * @param nodes        root first ({@value #ROOT}, both totals 1 when the group has data), every parent
 *                     before its children
 */
public record FlameDiff(ProfileType profileType, double minShare, int droppedNodes, double canaryScale,
                        List<FlameNode> nodes) {
    /** Name of the root node. */
    public static final String ROOT = "all";

    public FlameDiff {
        Objects.requireNonNull(profileType, "profileType");
        nodes = List.copyOf(nodes);
        if (!(canaryScale > 0) || Double.isInfinite(canaryScale)) {
            throw new IllegalArgumentException("canaryScale must be a positive number, was " + canaryScale);
        }
        if (nodes.isEmpty() || nodes.get(0).parent() != -1) {
            throw new IllegalArgumentException("a flame diff starts with its root node (parent -1)");
        }
        for (int i = 1; i < nodes.size(); i++) {
            int parent = nodes.get(i).parent();
            if (parent < 0 || parent >= i) {
                throw new IllegalArgumentException("flame node " + i + " has parent " + parent
                        + "; parents must come before their children");
            }
        }
    }
}
