package io.canaryjudge.judge;

import io.canaryjudge.profile.ProfileType;
import io.canaryjudge.verdict.Measure;
import java.util.Collections;
import java.util.HashMap;
import java.util.Map;
import java.util.Objects;

/**
 * Each function's between-pod noise learned from the baseline groups of earlier verdicts of the same
 * service: the stable version runs in every analysis, so each one adds a few more JVMs that show how a
 * function varies between JVMs of unchanged code. A few pods per verdict cannot tell a function that
 * is three times as noisy as the rest from one that is not (two degrees of freedom); a dozen verdicts
 * can. Learned only from baseline pods and history, never from a canary, so it cannot contain a change
 * under test.
 *
 * <p>Per (type, measure, function): the pod part of the relative variance of a pod's value (squared
 * CV beyond sampling; an unbiased estimate, so it may be negative for a function sampling dominates)
 * and its degrees of freedom. Verdicts pool by degrees of freedom, up to {@link #MAX_DF}: beyond it an
 * older estimate weighs less, so the noise follows the service as its code changes.
 *
 * <p>Earlier baselines also show the service's <em>intermittent work</em>: frames (a merge thread, a compaction)
 * that some of their windows ran and others did not ({@link IntermittentWork}). A canary pod running such work
 * when no current baseline window happens to is reported, not failed.
 *
 * @param entries      per function
 * @param intermittent per frame (key with {@link Measure#INCLUSIVE}): in how many earlier baseline windows it ran,
 *                     and in how many it did not, counted only from analyses whose baseline windows ran it in
 *                     some and not in others
 * @param verdicts     how many verdicts taught it
 */
public record LearnedNoise(Map<Key, Entry> entries, Map<Key, Windows> intermittent, int verdicts) {

    /** Degrees of freedom a function's learned noise stops gaining at (forgetting beyond). */
    public static final double MAX_DF = 60;

    /**
     * The largest squared CV (either sign) a lesson holds: ±100 is a pod CV of 1,000 %, beyond what n JVMs' own
     * estimate reaches (about n). An estimate beyond it is sampling swamping the pods (an unbiased estimate of
     * a function whose sampling variance dwarfs what its pods show: -376 on a 2-pod baseline's rare allocation
     * site), not a measurement of them; a reader refuses it as a hand-edited value.
     */
    public static final double MAX_POD_VARIANCE = 100;

    /** One function's value in one type. */
    public record Key(ProfileType type, Measure measure, String function) {
        public Key {
            Objects.requireNonNull(type, "type");
            Objects.requireNonNull(measure, "measure");
            Objects.requireNonNull(function, "function");
        }
    }

    /**
     * @param podVariance squared CV of a pod's value beyond sampling (relative, unitless)
     * @param df          degrees of freedom, &gt; 0
     */
    public record Entry(double podVariance, double df) {
        public Entry {
            if (!Double.isFinite(podVariance) || !(df > 0) || !Double.isFinite(df)) {
                throw new IllegalArgumentException("learned noise needs a finite variance and positive degrees of "
                        + "freedom, got " + podVariance + " on " + df);
            }
        }
    }

    /**
     * Baseline windows that ran a frame and that did not.
     *
     * @param ran    windows that ran it
     * @param notRan windows that did not although they would have shown it
     */
    public record Windows(int ran, int notRan) {
        public Windows {
            if (ran < 0 || notRan < 0) {
                throw new IllegalArgumentException("window counts must be ≥ 0, got " + ran + " and " + notRan);
            }
        }

        Windows plus(Windows other) {
            return new Windows(ran + other.ran, notRan + other.notRan);
        }
    }

    /** Noise only, no intermittent work. */
    public LearnedNoise(Map<Key, Entry> entries, int verdicts) {
        this(entries, Map.of(), verdicts);
    }

    public LearnedNoise {
        entries = Collections.unmodifiableMap(new HashMap<>(entries));
        intermittent = Collections.unmodifiableMap(new HashMap<>(intermittent));
        if (verdicts < 0) {
            throw new IllegalArgumentException("verdicts must be ≥ 0");
        }
    }

    public static LearnedNoise empty() {
        return new LearnedNoise(Map.of(), Map.of(), 0);
    }

    public boolean isEmpty() {
        return entries.isEmpty() && intermittent.isEmpty();
    }

    /** How earlier baselines ran {@code frame} when they ran it intermittently, or null. */
    public Windows intermittent(ProfileType type, String frame) {
        return intermittent.get(new Key(type, Measure.INCLUSIVE, frame));
    }

    /** The learned entry, or null. */
    public Entry entry(ProfileType type, Measure measure, String function) {
        return entries.get(new Key(type, measure, function));
    }

    /**
     * This noise with a later verdict's added: per function the degrees-of-freedom-weighted mean, the
     * older part scaled down so the sum stays at most {@link #MAX_DF}.
     */
    public LearnedNoise plus(LearnedNoise later) {
        Map<Key, Entry> merged = new HashMap<>(entries);
        for (Map.Entry<Key, Entry> e : later.entries.entrySet()) {
            merged.merge(e.getKey(), e.getValue(), LearnedNoise::pool);
        }
        Map<Key, Windows> windows = new HashMap<>(intermittent);
        for (Map.Entry<Key, Windows> e : later.intermittent.entrySet()) {
            windows.merge(e.getKey(), e.getValue(), Windows::plus);
        }
        return new LearnedNoise(merged, windows, verdicts + later.verdicts);
    }

    static Entry pool(Entry older, Entry newer) {
        double newDf = Math.min(newer.df(), MAX_DF);
        double oldDf = Math.min(older.df(), MAX_DF - newDf);
        if (oldDf <= 0) {
            return new Entry(newer.podVariance(), newDf);
        }
        double df = oldDf + newDf;
        return new Entry((oldDf * older.podVariance() + newDf * newer.podVariance()) / df, df);
    }
}
