package io.canaryjudge.judge;

import io.canaryjudge.verdict.Measure;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;

/**
 * Background work that runs for a whole window — a segment merge, a compaction — looks steady in the
 * one canary pod that ran it and absent from every current baseline pod, so {@link NewPathConsistency}'s
 * pod and slice counts cannot withhold it (recorded on a search service: one JVM's Lucene merge in all
 * 8 slices of its window). What tells it from new code is the baseline's own past: its windows (current
 * pods and history) ran the same thread's work in some windows and not at all in others. New code runs
 * under frames the baseline runs steadily in every window.
 *
 * <p>A frame is <em>intermittent</em> in the baseline when some baseline window (a current baseline pod
 * or a history window) ran it at a share of at least {@code negligibleShare} and another ran it at under
 * {@code ratio} × that highest share although, at the highest share, that window would have held at
 * least {@link #MIN_EXPECTED_SAMPLES} samples of it (so the gap is not sampling noise). A failing path
 * from nothing is the baseline's intermittent work when at least {@link #MIN_RUN} consecutive frames of
 * its hottest call path are intermittent: a thread's work comes and goes as a chain (thread root, task,
 * step), while a JIT decision that differs between JVMs removes a single inlined frame. The merge's
 * steps may differ between occurrences (the leaf in the canary need not be the one the baseline ran):
 * the chain is what the occurrences share.
 *
 * <p>Earlier analyses' baselines count too ({@link LearnedNoise#intermittent}): work the stable version ran in
 * some of their windows and not in others. Without history, without such lessons and with no baseline pod that
 * ran the work, nothing distinguishes it from new code: in the one canary pod that could show it, on a thread of
 * its own, it is INCONCLUSIVE beside few baseline windows ({@link NewThreadWork}), else it FAILs
 * (docs/EVALUATION.md).
 */
final class IntermittentWork {
    /** A window without the frame must have expected at least this many samples of it at its highest share. */
    static final double MIN_EXPECTED_SAMPLES = 50;
    /** Consecutive intermittent frames on the path that make a thread's work. */
    static final int MIN_RUN = 2;

    private IntermittentWork() {
    }

    /** How one frame ran over the baseline's windows. */
    record FrameWindows(String frame, int windows, int withFrame, int without) {
        boolean intermittent() {
            return withFrame > 0 && without > 0;
        }
    }

    /**
     * Null when the path is not under intermittent baseline work, else why, e.g. "it runs under
     * `…MergeThread.run`, which the baseline ran in 2 of 14 windows (pods and history) and not in 12".
     *
     * @param path  the hottest call path, root first, ending at the function
     * @param ratio a window with the frame at under this fraction of its highest window's share is without it
     * @param floor the share a window must reach to have run the frame ({@code negligibleShare})
     */
    static String reason(TypeContext context, List<String> path, double ratio, double floor) {
        if (ratio <= 0 || path.size() < MIN_RUN) {
            return null;
        }
        // Frames are looked at root first and only until the first chain: each look scans every baseline window.
        LearnedNoise learned = context.analysis == null ? LearnedNoise.empty() : context.analysis.learnedNoise();
        List<FrameWindows> frames = new ArrayList<>();
        List<LearnedNoise.Windows> earlier = new ArrayList<>();
        int run = 0;
        for (String frame : path) {
            Integer id = context.functionIds.get(frame);
            FrameWindows windows = id == null ? new FrameWindows(frame, 0, 0, 0) : windows(context, id, frame, ratio, floor);
            // Earlier analyses' baselines may have run it now and then when no current window happens to.
            LearnedNoise.Windows before = learned.intermittent(context.type, frame);
            frames.add(windows);
            earlier.add(before);
            run = windows.intermittent() || (before != null && before.ran() > 0 && before.notRan() > 0) ? run + 1 : 0;
            if (run >= MIN_RUN) {
                int entry = frames.size() - run; // the chain's entry: the thread's own frame
                FrameWindows top = frames.get(entry);
                if (top.intermittent()) {
                    return String.format(Locale.ROOT, "it runs under `%s`, which the baseline ran in %d of its %d "
                                    + "windows (pods and history) and not in %d", top.frame(), top.withFrame(),
                            top.windows(), top.without());
                }
                LearnedNoise.Windows learnedWindows = earlier.get(entry);
                return String.format(Locale.ROOT, "it runs under `%s`, which the baselines of %d earlier analyses ran "
                                + "in %d of their windows and not in %d (no current baseline window ran it)", top.frame(),
                        learned.verdicts(), learnedWindows.ran(), learnedWindows.notRan());
            }
        }
        return null;
    }

    /**
     * Every frame this analysis's baseline windows (current pods and history) ran intermittently, for
     * {@link LearnedNoise}: frames some window ran at {@code floor} or more and another at under {@code ratio} ×
     * the highest share although it would have shown it. One pass over the observations.
     */
    static Map<LearnedNoise.Key, LearnedNoise.Windows> observed(TypeContext context, double ratio, double floor) {
        Map<LearnedNoise.Key, LearnedNoise.Windows> found = new HashMap<>();
        if (ratio <= 0) {
            return found;
        }
        Units units = context.units;
        int count = units.count();
        int functions = context.functionNames.length;
        double[][] value = new double[count][];
        double[] total = new double[count];
        double[] samples = new double[count];
        for (TypedObservation o : context.observations) {
            if (o.group == TypedObservation.CANARY || o.unit < 0) {
                continue;
            }
            if (value[o.unit] == null) {
                value[o.unit] = new double[functions];
            }
            total[o.unit] += o.total;
            samples[o.unit] += o.samplesKnown() ? o.samples : Double.NaN;
            for (int local = 0; local < o.globalIds.length; local++) {
                value[o.unit][o.globalIds[local]] += o.totals.inclusive(local);
            }
        }
        double[] column = new double[count];
        for (int f = 0; f < functions; f++) {
            for (int u = 0; u < count; u++) {
                column[u] = value[u] == null ? 0 : value[u][f];
            }
            FrameWindows windows = classify(context.functionNames[f], column, total, samples, ratio, floor);
            if (windows.intermittent()) {
                found.put(new LearnedNoise.Key(context.type, Measure.INCLUSIVE, windows.frame()),
                        new LearnedNoise.Windows(windows.withFrame(), windows.without()));
            }
        }
        return found;
    }

    /** Where the frame ran among the baseline's windows (current baseline pods and history units). */
    static FrameWindows windows(TypeContext context, int function, String name, double ratio, double floor) {
        Units units = context.units;
        int count = units.count();
        double[] value = new double[count];
        double[] total = new double[count];
        double[] samples = new double[count];
        for (TypedObservation o : context.observations) {
            if (o.group == TypedObservation.CANARY || o.unit < 0) {
                continue;
            }
            total[o.unit] += o.total;
            samples[o.unit] += o.samplesKnown() ? o.samples : Double.NaN;
            value[o.unit] += o.value(function, false);
        }
        return classify(name, value, total, samples, ratio, floor);
    }

    /**
     * How one frame ran over the baseline windows: {@code value}, {@code total} and {@code samples} per unit (a
     * canary unit, or one without observations, has total 0 and is not a window).
     */
    private static FrameWindows classify(String name, double[] value, double[] total, double[] samples, double ratio,
                                         double floor) {
        int windows = 0;
        double highest = 0;
        for (int u = 0; u < total.length; u++) {
            if (total[u] > 0) {
                windows++;
                highest = Math.max(highest, value[u] / total[u]);
            }
        }
        if (highest < floor) {
            return new FrameWindows(name, windows, 0, 0);
        }
        int with = 0;
        int without = 0;
        for (int u = 0; u < total.length; u++) {
            if (total[u] <= 0) {
                continue;
            }
            double share = value[u] / total[u];
            // Unknown sample counts (collapsed allocations): a gap counts only at ten times the floor.
            boolean gapMeaningful = Double.isNaN(samples[u]) ? highest >= 10 * floor
                    : highest * samples[u] >= MIN_EXPECTED_SAMPLES;
            if (share >= floor && share > ratio * highest) {
                with++;
            } else if (share <= ratio * highest && gapMeaningful) {
                without++;
            }
        }
        return new FrameWindows(name, windows, with, without);
    }
}
