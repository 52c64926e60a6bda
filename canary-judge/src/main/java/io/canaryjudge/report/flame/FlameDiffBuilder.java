package io.canaryjudge.report.flame;

import io.canaryjudge.judge.Observation;
import io.canaryjudge.profile.Profile;
import io.canaryjudge.profile.ProfileType;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;

/**
 * Builds the {@link FlameDiff} of one profile type from the observations of both groups. Pure: no
 * I/O. One pass over every stack of every observation; the tree's nodes are keyed by (parent, frame
 * name), so the same call path in different pods and groups lands on one node.
 */
public final class FlameDiffBuilder {
    /**
     * Default pruning floor: 0.05 % of a group's total — the judge's {@code negligibleShare}, below
     * which a function counts as absent. A node this small is one or two pixels wide in a flame graph
     * of a 1,280-pixel page.
     */
    public static final double MIN_SHARE = 0.0005;
    /**
     * Most nodes kept per type: at about 50 bytes of JSON a node (10 gzipped), what the verdict store
     * keeps for one type stays under 0.5 MB (docs/BENCHMARKS.md "Report size").
     */
    public static final int MAX_NODES = 10_000;
    /** Frame names longer than this (code points) are cut, with "…", in the stored tree. */
    public static final int MAX_NAME_LENGTH = 1_000;
    /** Shares are rounded to 1/STEPS (0.00001 %): exact enough for display, short in JSON. */
    static final double STEPS = 1e7;

    private final double minShare;
    private final int maxNodes;

    public FlameDiffBuilder() {
        this(MIN_SHARE, MAX_NODES);
    }

    /**
     * @param minShare smallest share of either group a node must have to be kept, 0..1
     * @param maxNodes most nodes kept (the root included); the smallest go first
     */
    public FlameDiffBuilder(double minShare, int maxNodes) {
        if (!(minShare >= 0 && minShare < 1)) {
            throw new IllegalArgumentException("minShare must be in [0, 1), was " + minShare);
        }
        if (maxNodes < 1) {
            throw new IllegalArgumentException("maxNodes must be >= 1, was " + maxNodes);
        }
        this.minShare = minShare;
        this.maxNodes = maxNodes;
    }

    /**
     * @return the merged tree, or empty when either group has no value of {@code type}
     */
    public Optional<FlameDiff> build(ProfileType type, List<Observation> baseline, List<Observation> canary) {
        Tree tree = new Tree();
        boolean baselineHasData = tree.add(0, type, baseline);
        boolean canaryHasData = tree.add(1, type, canary);
        if (!baselineHasData || !canaryHasData) {
            return Optional.empty();
        }
        return Optional.of(tree.prune(type, minShare, maxNodes));
    }

    /** The growing merged tree: parallel arrays indexed by node id, parents created before children. */
    private static final class Tree {
        private int size;
        private int[] parent = new int[1024];
        private int[] name = new int[1024];
        private double[][] total = {new double[1024], new double[1024]};
        private double[][] self = {new double[1024], new double[1024]};
        private final LongIntMap children = new LongIntMap();
        private final Map<String, Integer> nameIds = new HashMap<>();
        private final List<String> names = new ArrayList<>();

        Tree() {
            parent[0] = -1;
            name[0] = intern(FlameDiff.ROOT);
            size = 1;
        }

        /** Adds one group's observations; false when they hold no value of {@code type}. */
        boolean add(int group, ProfileType type, List<Observation> observations) {
            // Each pod's value over its own total, averaged over pods (DESIGN.md "Shares are compositional").
            Map<String, Double> podTotals = new LinkedHashMap<>();
            for (Observation o : observations) {
                int column = o.profile().sampleTypeIndex(type);
                if (column >= 0) {
                    podTotals.merge(o.instance(), (double) o.profile().total(column), Double::sum);
                }
            }
            podTotals.values().removeIf(t -> !(t > 0));
            if (podTotals.isEmpty()) {
                return false;
            }
            int pods = podTotals.size();
            for (Observation o : observations) {
                Double podTotal = podTotals.get(o.instance());
                int column = o.profile().sampleTypeIndex(type);
                if (podTotal == null || column < 0) {
                    continue;
                }
                addProfile(group, o.profile(), column, 1.0 / (podTotal * pods));
            }
            return true;
        }

        private void addProfile(int group, Profile profile, int column, double weight) {
            int[] localNames = new int[profile.functionCount()];
            Arrays.fill(localNames, -1);
            for (int s = 0, stacks = profile.stackCount(); s < stacks; s++) {
                long value = profile.value(s, column);
                if (value == 0) {
                    continue;
                }
                double share = value * weight;
                int node = 0;
                total[group][0] += share;
                for (int d = profile.stackDepth(s) - 1; d >= 0; d--) {
                    int function = profile.stackFunction(s, d);
                    int id = localNames[function];
                    if (id < 0) {
                        id = intern(profile.functionName(function));
                        localNames[function] = id;
                    }
                    node = child(node, id); // may grow the arrays: index them afresh
                    total[group][node] += share;
                }
                self[group][node] += share;
            }
        }

        private int intern(String frame) {
            Integer id = nameIds.get(frame);
            if (id == null) {
                id = names.size();
                nameIds.put(frame, id);
                names.add(cut(frame));
            }
            return id;
        }

        private int child(int parentNode, int nameId) {
            long key = (long) parentNode << 32 | nameId;
            int found = children.get(key);
            if (found >= 0) {
                return found;
            }
            if (size == parent.length) {
                int capacity = size * 2;
                parent = Arrays.copyOf(parent, capacity);
                name = Arrays.copyOf(name, capacity);
                for (int g = 0; g < 2; g++) {
                    total[g] = Arrays.copyOf(total[g], capacity);
                    self[g] = Arrays.copyOf(self[g], capacity);
                }
            }
            int node = size++;
            parent[node] = parentNode;
            name[node] = nameId;
            children.put(key, node);
            return node;
        }

        FlameDiff prune(ProfileType type, double minShare, int maxNodes) {
            boolean[] keep = new boolean[size];
            int[] depth = new int[size];
            List<Integer> candidates = new ArrayList<>();
            keep[0] = true;
            for (int i = 1; i < size; i++) {
                depth[i] = depth[parent[i]] + 1;
                // A child never outweighs its parent, so this keeps whole subtrees; the parent check
                // guards against rounding in the sums.
                keep[i] = keep[parent[i]] && Math.max(total[0][i], total[1][i]) >= minShare;
                if (keep[i]) {
                    candidates.add(i);
                }
            }
            if (candidates.size() + 1 > maxNodes) {
                // Largest first, parents before children of equal weight: the first maxNodes - 1 are a tree.
                candidates.sort((a, b) -> {
                    int byWeight = Double.compare(weight(b), weight(a));
                    return byWeight != 0 ? byWeight : Integer.compare(depth[a], depth[b]);
                });
                for (int k = maxNodes - 1; k < candidates.size(); k++) {
                    keep[candidates.get(k)] = false;
                }
                for (int i = 1; i < size; i++) {
                    keep[i] &= keep[parent[i]];
                }
            }
            int[] newIndex = new int[size];
            List<FlameNode> nodes = new ArrayList<>();
            for (int i = 0; i < size; i++) {
                if (!keep[i]) {
                    continue;
                }
                newIndex[i] = nodes.size();
                nodes.add(new FlameNode(i == 0 ? -1 : newIndex[parent[i]], names.get(name[i]),
                        quantise(total[0][i]), quantise(self[0][i]), quantise(total[1][i]), quantise(self[1][i])));
            }
            return new FlameDiff(type, minShare, size - nodes.size(), canaryScale(nodes), nodes);
        }

        private double weight(int node) {
            return Math.max(total[0][node], total[1][node]);
        }
    }

    /** Self shares both groups must reach for a call path to count towards {@link FlameDiff#canaryScale()}. */
    static final double SCALE_SHARE = 0.001;
    /** Fewer call paths than this in both groups: no scale (1). */
    static final int SCALE_PATHS = 5;

    /**
     * The median canary/baseline ratio of the self shares of call paths that both groups spend at least
     * {@link #SCALE_SHARE} in — median of ratios, as DESeq2's size factors (Anders &amp; Huber 2010,
     * Genome Biology 11:R106) and the judge's: most code did not change, so its ratio is the scale.
     */
    static double canaryScale(List<FlameNode> nodes) {
        List<Double> logRatios = new ArrayList<>();
        for (FlameNode n : nodes) {
            if (n.baselineSelf() >= SCALE_SHARE && n.canarySelf() >= SCALE_SHARE) {
                logRatios.add(Math.log(n.canarySelf() / n.baselineSelf()));
            }
        }
        if (logRatios.size() < SCALE_PATHS) {
            return 1.0;
        }
        logRatios.sort(null);
        int m = logRatios.size() / 2;
        double median = logRatios.size() % 2 == 1 ? logRatios.get(m) : (logRatios.get(m - 1) + logRatios.get(m)) / 2;
        return Math.round(Math.exp(median) * 1e6) / 1e6;
    }

    static double quantise(double share) {
        return Math.round(share * STEPS) / STEPS; // the double nearest a 7-digit decimal prints short
    }

    private static String cut(String frame) {
        if (frame.codePointCount(0, frame.length()) <= MAX_NAME_LENGTH) {
            return frame;
        }
        return frame.substring(0, frame.offsetByCodePoints(0, MAX_NAME_LENGTH - 1)) + "…";
    }

    /** Open-addressing map from a non-negative long key to a non-negative int; -1 when absent. */
    private static final class LongIntMap {
        private long[] keys = new long[4096];
        private int[] values = new int[4096];
        private int count;

        LongIntMap() {
            Arrays.fill(keys, -1L);
        }

        int get(long key) {
            int mask = keys.length - 1;
            for (int i = slot(key, mask); ; i = (i + 1) & mask) {
                if (keys[i] == key) {
                    return values[i];
                }
                if (keys[i] == -1L) {
                    return -1;
                }
            }
        }

        void put(long key, int value) {
            if ((count + 1) * 2 > keys.length) {
                grow();
            }
            int mask = keys.length - 1;
            int i = slot(key, mask);
            while (keys[i] != -1L && keys[i] != key) {
                i = (i + 1) & mask;
            }
            if (keys[i] == -1L) {
                count++;
            }
            keys[i] = key;
            values[i] = value;
        }

        private void grow() {
            long[] oldKeys = keys;
            int[] oldValues = values;
            keys = new long[oldKeys.length * 2];
            values = new int[oldKeys.length * 2];
            Arrays.fill(keys, -1L);
            count = 0;
            for (int i = 0; i < oldKeys.length; i++) {
                if (oldKeys[i] != -1L) {
                    put(oldKeys[i], oldValues[i]);
                }
            }
        }

        private static int slot(long key, int mask) {
            long h = key * 0x9E3779B97F4A7C15L;
            return (int) (h >>> 40) & mask;
        }
    }
}
