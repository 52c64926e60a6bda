package io.canaryjudge.judge;

import java.util.List;
import java.util.Locale;

/**
 * New work on a thread of its own, in the one canary pod that could show it, beside too few baseline windows
 * to call such work new: the data cannot tell one JVM's background work (a segment merge, a compaction, a
 * cache rebuild that runs for a whole window) from a background task the canary added, so the verdict is
 * INCONCLUSIVE rather than FAIL or PASS.
 *
 * <p>"On a thread of its own": walking the path from its root, the first frame no baseline window ran comes
 * after thread machinery only (JDK, JVM, operating-system or profiler frames such as {@code Thread.run},
 * {@code ThreadPoolExecutor$Worker.run}, {@code start_thread}) — no application or library frame the baseline
 * runs leads to it. New code on a request path runs under frames the baseline runs (a handler, a framework's
 * dispatcher) and is not touched by this rule; neither is work that two or more canary pods could show
 * ({@link NewPathConsistency} then asks every one of them to run it).
 *
 * <p>"Too few baseline windows": work that ran in no one of B baseline windows (current pods and history)
 * comes in under 3/B of windows at 95 % confidence (the rule of three); under {@value #MIN_WINDOWS_TO_CALL_NEW}
 * windows that bound is above a fifth, and background work as frequent as that is common (simulated merges in
 * 15 % of JVM windows failed 6.5–16.5 % of A/A cases with one canary pod and no history, docs/EVALUATION.md).
 */
final class NewThreadWork {
    /** Default baseline windows without the work that call it new: at 15, such work comes in under 3/15 of windows. */
    static final int MIN_WINDOWS_TO_CALL_NEW = 15;

    private NewThreadWork() {
    }

    /**
     * Why a path is new work on a thread of its own that the data cannot judge.
     *
     * @param frame   the first frame of the path (from its root) that no baseline window ran
     * @param under   the frame below it, null when it is the root
     * @param windows the baseline windows (current pods and history) that did not run it
     */
    record Undecided(String frame, String under, int windows) {
        /** "on a thread no baseline window ran (`…MergeThread.run` under `java.lang.Thread.run`)". */
        String thread() {
            return "on a thread no baseline window ran (`" + frame + "`" + (under == null ? "" : " under `" + under + "`")
                    + ")";
        }

        /** e.g. "it runs on a thread …, in the one canary pod that could show it; 3 baseline windows … too few …". */
        String reason() {
            return String.format(Locale.ROOT, "it runs %s, in the one canary pod that could show it; %d baseline "
                    + "window%s (pods and history) %s too few to call such work new", thread(), windows,
                    windows == 1 ? "" : "s", windows == 1 ? "is" : "are");
        }
    }

    /**
     * Null unless the path is new work on a thread of its own that the data cannot judge.
     *
     * @param path     the hottest call path, root first, ending at the function
     * @param presence   where the path ran in the canary ({@link NewPathConsistency#presence})
     * @param minWindows baseline windows without the work that call it new ({@code newThreadMinBaselineWindows});
     *                   0 = never undecided
     */
    static Undecided undecided(TypeContext context, List<String> path, NewPathConsistency.Presence presence,
                         FrameClassifier frames, int minWindows, double ratio, double floor) {
        if (minWindows == 0 || presence.podsAble() > 1 || presence.shareWhereRun() >= NewPathConsistency.MAX_BACKGROUND_SHARE
                || path.isEmpty()) {
            return null;
        }
        int windows = baselineWindows(context);
        if (windows >= minWindows) {
            return null;
        }
        for (int k = 0; k < path.size(); k++) {
            String frame = path.get(k);
            Integer id = context.functionIds.get(frame);
            if (id != null && IntermittentWork.windows(context, id, frame, ratio, floor).withFrame() > 0) {
                FrameClass frameClass = frames.classify(frame);
                if (frameClass.application() || frameClass.calledLibrary()) {
                    return null; // reached through code the baseline runs: a new path, not a new thread
                }
                continue; // thread machinery the baseline runs too
            }
            return new Undecided(frame, k == 0 ? null : path.get(k - 1), windows);
        }
        return null;
    }

    /** Baseline windows: current baseline pods and history units that hold observations of this type. */
    private static int baselineWindows(TypeContext context) {
        boolean[] seen = new boolean[context.units.count()];
        int windows = 0;
        for (TypedObservation o : context.observations) {
            if (o.group != TypedObservation.CANARY && o.unit >= 0 && !seen[o.unit] && o.total > 0) {
                seen[o.unit] = true;
                windows++;
            }
        }
        return windows;
    }
}
