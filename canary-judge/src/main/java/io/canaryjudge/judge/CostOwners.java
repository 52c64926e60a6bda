package io.canaryjudge.judge;

import io.canaryjudge.profile.Profile;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.function.BiPredicate;

/**
 * Where the cost of changed functions enters application code, read from the stacks themselves.
 *
 * <p>A JDK or library function is called from many places: {@code java.lang.ThreadLocal.get} may
 * rise because one application method calls it more often while its hottest path runs through
 * another. So each stack's value of such a function is credited to its <b>owner</b> on that stack —
 * the deepest application frame above it, else the deepest library (or shipped native library) frame,
 * else the deepest JVM or profiler frame, else the function itself — and the owner whose credited share changed most in
 * the function's direction is where the change entered ({@link #owners}). {@link #below} splits an
 * entry frame's cost by the leaf functions under it, for the incident's detail.
 *
 * <p>Values are each group's mean over observations of the observation's share of its own total
 * (0..1): a description of where cost went, not a test.
 */
final class CostOwners {
    private CostOwners() {
    }

    /** What to attribute: a function and whether its self value (leaf only) or inclusive value is meant. */
    record Target(int function, boolean self) {
    }

    /**
     * @param classes class of every function of the type's table
     * @return per target, owner function → {baseline share, canary share} credited to it
     */
    static List<Map<Integer, double[]>> owners(List<TypedObservation> observations, FrameClass[] classes,
                                               List<Target> targets) {
        int functions = classes.length;
        int[] inclusiveSlot = filled(functions);
        int[] selfSlot = filled(functions);
        List<Map<Integer, double[]>> credited = new ArrayList<>();
        for (int k = 0; k < targets.size(); k++) {
            Target t = targets.get(k);
            (t.self() ? selfSlot : inclusiveSlot)[t.function()] = k;
            credited.add(new HashMap<>());
        }
        boolean[] seen = new boolean[targets.size()];
        forEachStack(observations, (o, profile, s, share) -> {
            Arrays.fill(seen, false);
            int lastApplication = -1;
            int lastLibrary = -1;
            int lastJvm = -1;
            for (int d = profile.stackDepth(s) - 1; d >= 0; d--) { // root first; d = 0 is the leaf
                int f = o.globalIds[profile.stackFunction(s, d)];
                FrameClass c = classes[f];
                if (c.application()) {
                    lastApplication = f;
                } else if (c.calledLibrary()) {
                    lastLibrary = f;
                } else if (c == FrameClass.JVM_INTERNAL || c == FrameClass.PROFILER) {
                    lastJvm = f;
                }
                int k = inclusiveSlot[f];
                if (k >= 0 && !seen[k]) {
                    seen[k] = true;
                    credit(credited.get(k), owner(f, c, lastApplication, lastLibrary, lastJvm), o.group, share);
                }
                if (d == 0 && selfSlot[f] >= 0) {
                    credit(credited.get(selfSlot[f]), owner(f, c, lastApplication, lastLibrary, lastJvm), o.group, share);
                }
            }
        });
        return credited;
    }

    /** The frame a stack's cost of {@code f} belongs to (see the class comment). */
    private static int owner(int f, FrameClass c, int lastApplication, int lastLibrary, int lastJvm) {
        if (c.application() || c == FrameClass.JVM_INTERNAL || c == FrameClass.PROFILER) {
            return f;
        }
        if (lastApplication >= 0) {
            return lastApplication;
        }
        if (c.calledLibrary()) {
            return f;
        }
        return lastLibrary >= 0 ? lastLibrary : lastJvm >= 0 ? lastJvm : f;
    }

    /**
     * For each entry frame, its inclusive cost split by the leaf function where it is spent:
     * leaf function → {baseline share, canary share} (the entry frame itself as a leaf is its own code).
     */
    static List<Map<Integer, double[]>> below(List<TypedObservation> observations, int functions, int[] entryFrames) {
        int[] slot = filled(functions);
        List<Map<Integer, double[]>> split = new ArrayList<>();
        for (int frame : entryFrames) {
            if (slot[frame] < 0) {
                slot[frame] = split.size();
                split.add(new HashMap<>());
            }
        }
        boolean[] seen = new boolean[split.size()];
        forEachStack(observations, (o, profile, s, share) -> {
            if (profile.stackDepth(s) == 0) {
                // No frame, no entry frame above it: Go's goroutine profile lists a goroutine caught between states
                // with an empty stack (9 of qa77's 153 profiles, in 6 of its 9 pods), and reading its leaf
                // threw ArrayIndexOutOfBoundsException: an internal error (exit 70, HTTP 500) for the whole comparison.
                return;
            }
            Arrays.fill(seen, false);
            int leaf = o.globalIds[profile.stackFunction(s, 0)];
            for (int d = profile.stackDepth(s) - 1; d >= 0; d--) {
                int k = slot[o.globalIds[profile.stackFunction(s, d)]];
                if (k >= 0 && !seen[k]) {
                    seen[k] = true;
                    credit(split.get(k), leaf, o.group, share);
                }
            }
        });
        List<Map<Integer, double[]>> perEntry = new ArrayList<>();
        for (int frame : entryFrames) {
            perEntry.add(split.get(slot[frame])); // an entry frame given twice shares its split
        }
        return perEntry;
    }

    /**
     * For each owner (an application frame), its inclusive cost split by the <b>gateway</b> it goes through: the first
     * library frame below it on the stack (the call into a library: {@code ch.qos.logback.classic.Logger.debug}), else
     * the owner itself (its own code, application frames and JDK calls below it). Gateway function → {baseline
     * share, canary share}.
     */
    static List<Map<Integer, double[]>> gateways(List<TypedObservation> observations, FrameClass[] classes,
                                                 int[] owners) {
        int[] slot = filled(classes.length);
        List<Map<Integer, double[]>> split = new ArrayList<>();
        for (int k = 0; k < owners.length; k++) {
            slot[owners[k]] = k;
            split.add(new HashMap<>());
        }
        boolean[] seen = new boolean[owners.length];
        forEachStack(observations, (o, profile, s, share) -> {
            Arrays.fill(seen, false);
            int depth = profile.stackDepth(s);
            for (int d = depth - 1; d >= 0; d--) { // root first
                int k = slot[o.globalIds[profile.stackFunction(s, d)]];
                if (k < 0 || seen[k]) {
                    continue;
                }
                seen[k] = true;
                int gateway = owners[k];
                for (int e = d - 1; e >= 0; e--) {
                    int f = o.globalIds[profile.stackFunction(s, e)];
                    if (classes[f] == FrameClass.LIBRARY) {
                        gateway = f;
                        break;
                    }
                }
                credit(split.get(k), gateway, o.group, share);
            }
        });
        return split;
    }

    /**
     * A new entry frame's cost beside the old code it wraps: its split by leaf function ({@link #below}) over the
     * stacks on which no frame below it is {@code old} (application code the baseline ran: a request filter's
     * {@code doFilter} around the router that still runs under it). Empty when the entry frame never calls old code.
     */
    static Map<Integer, double[]> besideOldCode(List<TypedObservation> observations, int entry, boolean[] old) {
        Map<Integer, double[]> split = new HashMap<>();
        forEachStack(observations, (o, profile, s, share) -> {
            boolean under = false;
            boolean wrapped = false;
            for (int d = profile.stackDepth(s) - 1; d >= 0 && !wrapped; d--) { // root first
                int f = o.globalIds[profile.stackFunction(s, d)];
                if (under && old[f]) {
                    wrapped = true;
                }
                under |= f == entry;
            }
            if (under && !wrapped) {
                credit(split, o.globalIds[profile.stackFunction(s, 0)], o.group, share);
            }
        });
        return split;
    }

    /**
     * The canary share of the old code under a new frame that is extra work, not work moved under it: a new frame that
     * wraps old code (a tracing decorator) takes the old callee's runs from its parent, which no longer calls it
     * directly; a new method that adds calls to old code (a {@code Quotes.recompute} calling {@code AuditLog.record}
     * once more a request) leaves the parent's direct runs as they were, and what it runs is on top of them (qa62).
     *
     * <p>Per pair (parent, callee) — the frame above the new frame's first occurrence on a canary stack, and the first
     * {@code old} frame below it that the baseline ran below that parent (else the first old frame below it: a decorator
     * reaching the wrapped method through a library and an old lambda class finds the method) — {@code under} is the
     * canary's share through the new frame, {@code direct} each group's share of stacks not through it on which the
     * callee runs below that parent. The baseline's direct share is scaled by how the rest of the profile (stacks of
     * neither) changed its share: the parent's old runs as they would be in the canary had they not changed. Extra is
     * then {@code under} by the fraction of those old runs the canary still makes directly (none for a wrapper, all for
     * an added call), and never more than the pair's canary total beyond its expected share (a wrapper around some of
     * the callee's runs, at a like cost, adds nothing). A pair the baseline never ran below that parent is all extra.
     * Stacks with no frame above the new one, or no old frame below, are not counted ({@link #besideOldCode} is what
     * runs beside old code). A pair whose callee got dearer itself ({@code dearer}: its direct calls rose against the
     * rest of the profile, which added calls leave as they were) adds nothing: the new frame runs some of the callee's
     * calls, and the rise is the callee's (a fifth of a 1.8 times dearer audit log's calls traced was named a new hot
     * path at its whole size, 12.4 % of allocated bytes, beside the audit log's rise, qa67).
     *
     * @param dearer (parent, callee) → whether the callee got dearer itself ({@link MovedTimeCheck#dearerAt})
     */
    static double extraOldWork(List<TypedObservation> observations, int entry, boolean[] old,
                               BiPredicate<Integer, Integer> dearer) {
        List<int[]> wrappedStacks = new ArrayList<>(); // per canary stack through the new frame: parent, old frames below
        List<Double> wrappedShares = new ArrayList<>();
        Map<Long, double[]> direct = new HashMap<>(); // (parent, callee) → {baseline, canary} share not through it
        forEachStack(observations, (o, profile, s, share) -> {
            if (o.group != 1) {
                return;
            }
            int[] frames = rootFirst(o, profile, s);
            int at = indexOf(frames, entry);
            if (at < 1) {
                return;
            }
            int[] olds = new int[frames.length - at];
            olds[0] = frames[at - 1];
            int n = 1;
            for (int d = at + 1; d < frames.length; d++) {
                if (old[frames[d]] && frames[d] != entry) {
                    olds[n++] = frames[d];
                }
            }
            if (n > 1) {
                wrappedStacks.add(Arrays.copyOf(olds, n));
                wrappedShares.add(share);
                for (int k = 1; k < n; k++) {
                    direct.putIfAbsent(pair(olds[0], olds[k]), new double[2]);
                }
            }
        });
        if (wrappedStacks.isEmpty()) {
            return 0;
        }
        List<Long> candidates = new ArrayList<>(direct.keySet());
        List<int[]> otherStacks = new ArrayList<>(); // stacks not through the new frame: group, then the pairs they run
        List<Double> otherShares = new ArrayList<>();
        forEachStack(observations, (o, profile, s, share) -> {
            int[] frames = rootFirst(o, profile, s);
            if (indexOf(frames, entry) >= 0) {
                return;
            }
            int[] runs = new int[candidates.size() + 1];
            runs[0] = o.group;
            int n = 1;
            for (int k = 0; k < candidates.size(); k++) {
                long p = candidates.get(k);
                if (runsBelow(frames, (int) (p >>> 32), (int) p)) {
                    direct.get(p)[o.group] += share;
                    runs[n++] = k;
                }
            }
            otherStacks.add(Arrays.copyOf(runs, n));
            otherShares.add(share);
        });
        Map<Long, double[]> under = new HashMap<>(); // chosen (parent, callee) → {canary share through the new frame}
        for (int w = 0; w < wrappedStacks.size(); w++) {
            int[] olds = wrappedStacks.get(w);
            long chosen = pair(olds[0], olds[1]);
            for (int k = 1; k < olds.length; k++) {
                if (direct.get(pair(olds[0], olds[k]))[0] > 0) {
                    chosen = pair(olds[0], olds[k]);
                    break;
                }
            }
            under.computeIfAbsent(chosen, x -> new double[1])[0] += wrappedShares.get(w);
        }
        double[] rest = new double[2]; // shares of stacks on which no chosen pair runs
        for (int k = 0; k < otherStacks.size(); k++) {
            int[] runs = otherStacks.get(k);
            boolean any = false;
            for (int r = 1; r < runs.length && !any; r++) {
                any = under.containsKey(candidates.get(runs[r]));
            }
            if (!any) {
                rest[runs[0]] += otherShares.get(k);
            }
        }
        double scale = rest[0] > 0 && rest[1] > 0 ? rest[1] / rest[0] : 1;
        double extra = 0;
        for (Map.Entry<Long, double[]> e : under.entrySet()) {
            double u = e.getValue()[0];
            double[] d = direct.get(e.getKey());
            if (dearer.test((int) (e.getKey() >>> 32), (int) (long) e.getKey())) {
                continue; // the callee's own calls, dearer now: its rise is the callee's, not the new frame's (qa67)
            }
            double expected = d[0] * scale;
            if (!(expected > 0)) {
                extra += u;
                continue;
            }
            double stillDirect = Math.min(1, d[1] / expected);
            extra += Math.min(u * stillDirect, Math.max(0, u + d[1] - expected));
        }
        return extra;
    }

    private static int[] rootFirst(TypedObservation o, Profile profile, int stack) {
        int depth = profile.stackDepth(stack);
        int[] frames = new int[depth];
        for (int d = 0; d < depth; d++) {
            frames[d] = o.globalIds[profile.stackFunction(stack, depth - 1 - d)];
        }
        return frames;
    }

    private static int indexOf(int[] frames, int function) {
        for (int d = 0; d < frames.length; d++) {
            if (frames[d] == function) {
                return d;
            }
        }
        return -1;
    }

    private static long pair(int parent, int callee) {
        return ((long) parent << 32) | (callee & 0xffffffffL);
    }

    /** Whether {@code callee} runs below {@code parent} on a stack (root first). */
    private static boolean runsBelow(int[] frames, int parent, int callee) {
        boolean seen = false;
        for (int f : frames) {
            if (seen && f == callee) {
                return true;
            }
            seen |= f == parent;
        }
        return false;
    }

    /** One stack of an observation that has a value, with that value's {@code share} (see {@link #forEachStack}). */
    @FunctionalInterface
    private interface StackVisitor {
        void visit(TypedObservation observation, Profile profile, int stack, double share);
    }

    /**
     * Calls {@code visitor} for every stack with a value in every observation, its share being the value over the
     * observation's total and its group's number of observations: summed per group, each group's mean share.
     */
    private static void forEachStack(List<TypedObservation> observations, StackVisitor visitor) {
        double[] perGroup = observationsPerGroup(observations);
        for (TypedObservation o : observations) {
            Profile profile = o.profile;
            int column = profile.sampleTypes().indexOf(o.totals.sampleType());
            double weight = 1.0 / (o.total * perGroup[o.group]);
            for (int s = 0, stacks = profile.stackCount(); s < stacks; s++) {
                long value = profile.value(s, column);
                if (value != 0) {
                    visitor.visit(o, profile, s, value * weight);
                }
            }
        }
    }

    private static void credit(Map<Integer, double[]> credited, int owner, int group, double share) {
        credited.computeIfAbsent(owner, x -> new double[2])[group] += share;
    }

    private static double[] observationsPerGroup(List<TypedObservation> observations) {
        double[] count = new double[2];
        for (TypedObservation o : observations) {
            count[o.group]++;
        }
        return count;
    }

    private static int[] filled(int n) {
        int[] a = new int[n];
        Arrays.fill(a, -1);
        return a;
    }
}
