package io.canaryjudge.judge;

import io.canaryjudge.profile.ProfileType;
import io.canaryjudge.verdict.FindingKind;
import java.util.EnumMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;

/**
 * A new code path runs in every canary pod and all the time; background work — a segment merge, a
 * compaction, a cache rebuild — runs in one JVM for a few slices. Both are absent from the baseline,
 * but only the first is the canary's code (recorded on a search service: one JVM's Lucene merge,
 * 0 → 2.9 % of allocated bytes, failed a quarter of A/A splits). So a failing new hot path — or a
 * failing rise from below {@code negligibleShare}, a new path smaller than {@code newHotPathShare} — must be
 * <em>consistent</em>: present in at least {@code minPodFraction} of the canary pods that could show it
 * (rounded up) and, within the pods that ran it, in at least {@code minSliceFraction} of the slices that
 * would show a steady path. Otherwise it is reported, not failed, with the counts that withheld it.
 *
 * <p>Presence, against sampling noise: a pod ran the path when its share there is at least
 * {@code negligibleShare} (the same floor that calls the baseline "absent"). A pod without it could show it
 * when a steady path at the share of the pods that ran it would give it {@value #MIN_EXPECTED_SAMPLES}
 * samples or more and that share is at least twice the floor: a pod with a near-empty profile, or a path
 * so close to the floor that one pod's noise drops it below, does not count against it. A slice showed it when it
 * holds a sample of it; a steady path at the pod's own share p would show in a slice of n samples with
 * chance 1 − e^{−p·n}, so the slices expected to show it are Σ (1 − e^{−p·n_i}) — with few samples per
 * slice a steady path is not required to show in every one.
 *
 * <p>A consistent path is still withheld when it runs under work the baseline itself runs now and then
 * ({@link IntermittentWork}): a chain of frames some baseline windows (pods, history) ran and others did
 * not — one JVM's window-long merge. In the one canary pod that could show it, new work on a thread of its
 * own beside too few baseline windows is withheld too and makes the verdict INCONCLUSIVE ({@link NewThreadWork}).
 *
 * @param minPodFraction    of the canary pods, the fraction (rounded up) that must have run the path; 0 = off
 * @param minSliceFraction  of the slices expected to show a steady path, the fraction that must; 0 = off
 * @param intermittentRatio a baseline window that ran a frame at under this fraction of the frame's highest
 *                          window share ran it not at all; a path under a chain of such frames is the
 *                          baseline's intermittent work; 0 = off
 * @param newThreadMinBaselineWindows new work on a thread of its own in the one canary pod that could show it is
 *                          judged only beside at least this many baseline windows that did not run it, and makes
 *                          the verdict INCONCLUSIVE otherwise ({@link NewThreadWork}); 0 = off (judged like any
 *                          new path)
 */
public record NewPathConsistency(double minPodFraction, double minSliceFraction, double intermittentRatio,
                                 int newThreadMinBaselineWindows) {

    /** A fifth: a window-long merge in one of a few windows is far below that, a steady frame's windows far above. */
    static final double DEFAULT_INTERMITTENT_RATIO = 0.2;

    /**
     * Every canary pod that could show it, and half the slices: a path in one JVM's burst of 2 of 8 slices is
     * withheld, and so is a window-long merge in some canary JVMs and not in others (a strict majority of the
     * pods let 3.5–4.0 % of simulated 3 + 3 A/A cases with such merges FAIL, every pod 0.0–1.0 %; half the pods
     * 16–25 % at 2 + 2; docs/EVALUATION.md); a window at under a fifth of the highest window's share ran the
     * frame not at all.
     */
    public static final NewPathConsistency DEFAULTS = new NewPathConsistency(1.0, 0.5, DEFAULT_INTERMITTENT_RATIO,
            NewThreadWork.MIN_WINDOWS_TO_CALL_NEW);

    public NewPathConsistency {
        if (!(minPodFraction >= 0 && minPodFraction <= 1)) {
            throw new IllegalArgumentException("newPathMinPodFraction must be in [0, 1], was " + minPodFraction);
        }
        if (!(minSliceFraction >= 0 && minSliceFraction <= 1)) {
            throw new IllegalArgumentException("newPathMinSliceFraction must be in [0, 1], was " + minSliceFraction);
        }
        if (!(intermittentRatio >= 0 && intermittentRatio < 1)) {
            throw new IllegalArgumentException("newPathIntermittentRatio must be in [0, 1), was " + intermittentRatio);
        }
        if (newThreadMinBaselineWindows < 0) {
            throw new IllegalArgumentException("newThreadMinBaselineWindows must be 0 or more, was "
                    + newThreadMinBaselineWindows);
        }
    }

    /** Pod and slice fractions and the intermittent ratio, with the default {@link #newThreadMinBaselineWindows}. */
    public NewPathConsistency(double minPodFraction, double minSliceFraction, double intermittentRatio) {
        this(minPodFraction, minSliceFraction, intermittentRatio, NewThreadWork.MIN_WINDOWS_TO_CALL_NEW);
    }

    /** Pod and slice fractions with the default {@link #intermittentRatio} and {@link #newThreadMinBaselineWindows}. */
    public NewPathConsistency(double minPodFraction, double minSliceFraction) {
        this(minPodFraction, minSliceFraction, DEFAULT_INTERMITTENT_RATIO);
    }

    /**
     * Where a path ran in the canary: pods, the pods that ran it or could have shown it ({@code podsAble}),
     * slices, and its share of the pods that ran it.
     */
    record Presence(int pods, int podsWithPath, int podsAble, int slices, int slicesWithPath, double slicesExpected,
                    double shareWhereRun) {
    }

    /** Samples a steady path would give a pod for its absence there to count: Poisson(10) gives 0 in 5e-5. */
    static final double MIN_EXPECTED_SAMPLES = 10;

    /**
     * A path holding at least this share of the pods that ran it is not withheld for running in too few
     * pods: background threads took 1–9 % of a JVM in the simulations (at most 12 % of a slice), while a
     * canary pod running another program holds it almost entirely.
     */
    static final double MAX_BACKGROUND_SHARE = 0.25;

    /**
     * Withholds the FAIL of every failing new hot path that is not consistent (see the class comment).
     *
     * @return the new work on a thread of its own the data cannot judge ({@link NewThreadWork}), per type: "on a
     *         thread …" → its largest canary share; empty when there is none (it makes the verdict INCONCLUSIVE)
     */
    Map<ProfileType, Map<String, Double>> apply(List<FindingDraft> drafts, Map<ProfileType, TypeContext> contexts,
                                                FrameClassifier frames) {
        Map<ProfileType, Map<String, Double>> undecided = new EnumMap<>(ProfileType.class);
        for (FindingDraft d : drafts) {
            boolean fromNothing = d.kind == FindingKind.NEW_HOT_PATH || (d.kind == FindingKind.REGRESSION
                    && d.test.baselineShare() < d.test.thresholds().negligibleShare());
            if (!d.failing || !fromNothing || d.test.function().equals(Judge.TOTAL)) {
                continue;
            }
            TypeContext context = contexts.get(d.test.type());
            Integer id = context.functionIds.get(d.test.function());
            if (id == null) {
                continue;
            }
            double floor = d.test.thresholds().negligibleShare();
            String what = d.kind == FindingKind.NEW_HOT_PATH ? "a new hot path" : "a regression";
            Presence presence = presence(context, id, d.test.measure().self(), floor);
            String reason = inconsistency(presence);
            if (reason != null) {
                withhold(d, "Not counted as " + what + ": " + reason + " — background work in some JVMs (a merge, a "
                        + "compaction, a cache rebuild) looks like this; new code runs in every canary pod, steadily.");
                continue;
            }
            List<String> path = d.path.frames().isEmpty() ? List.of(d.test.function()) : d.path.frames();
            String intermittent = IntermittentWork.reason(context, path, intermittentRatio, floor);
            if (intermittent != null) {
                withhold(d, "Not counted as " + what + ": " + intermittent + " — the baseline's own intermittent "
                        + "background work (a merge, a compaction), not new code, which runs under frames every "
                        + "baseline window runs.");
                continue;
            }
            NewThreadWork.Undecided ownThread = NewThreadWork.undecided(context, path, presence, frames,
                    newThreadMinBaselineWindows, intermittentRatio, floor);
            if (ownThread != null) {
                withhold(d, "Not judged as " + what + ": " + ownThread.reason() + " — one JVM's background work (a "
                        + "merge, a compaction) looks like this, and so does a background task the canary added; the "
                        + "verdict is INCONCLUSIVE: judge it with two or more canary pods, or with history (earlier "
                        + "baseline windows) that would have shown such work.");
                undecided.computeIfAbsent(d.test.type(), t -> new LinkedHashMap<>())
                        .merge(ownThread.thread(), d.test.canaryShare(), Math::max);
            }
        }
        return undecided;
    }

    private static void withhold(FindingDraft d, String caveat) {
        d.failing = false;
        d.inconsistentNewPath = true;
        d.caveat = caveat;
    }

    /** Null when consistent, else what fell short, e.g. "new in 1 of 3 canary pods, 2 of 8 slices". */
    String inconsistency(Presence p) {
        int podsNeeded = (int) Math.ceil(minPodFraction * p.podsAble() - 1e-9);
        boolean podsShort = p.pods() >= 2 && p.podsWithPath() < podsNeeded && p.shareWhereRun() < MAX_BACKGROUND_SHARE;
        boolean slicesShort = p.slicesWithPath() < minSliceFraction * p.slicesExpected();
        if (!podsShort && !slicesShort) {
            return null;
        }
        String slices = String.format(Locale.ROOT, "%d of %d slices of %s (a steady path would show in %.0f)",
                p.slicesWithPath(), p.slices(), p.podsWithPath() == 1 ? "that pod" : "those pods", p.slicesExpected());
        return String.format(Locale.ROOT, "new in %d of %d canary pod%s, %s", p.podsWithPath(), p.pods(),
                p.pods() == 1 ? "" : "s", slices);
    }

    /**
     * Where the function (self or inclusive value) ran in the current canary pods; a pod counts when its
     * pooled share is at least {@code floor}, and only those pods' slices are counted.
     */
    static Presence presence(TypeContext context, int function, boolean self, double floor) {
        Units units = context.units;
        int pods = units.pods();
        double[] podValue = new double[pods];
        double[] podTotal = new double[pods];
        double[] podSamples = new double[pods];
        List<TypedObservation> observations = context.observations;
        double[] value = new double[observations.size()];
        for (int i = 0; i < observations.size(); i++) {
            TypedObservation o = observations.get(i);
            if (o.group != TypedObservation.CANARY) {
                continue;
            }
            value[i] = o.value(function, self);
            podValue[o.unit] += value[i];
            podTotal[o.unit] += o.total;
            podSamples[o.unit] += o.samplesKnown() ? o.samples : Double.POSITIVE_INFINITY;
        }
        int canaryPods = 0;
        int withPath = 0;
        int slices = 0;
        int slicesWithPath = 0;
        double expected = 0;
        double carriedValue = 0;
        double carriedTotal = 0;
        boolean[] carries = new boolean[pods];
        for (int u = 0; u < pods; u++) {
            if (units.group()[u] != TypedObservation.CANARY) {
                continue;
            }
            canaryPods++;
            carries[u] = podTotal[u] > 0 && podValue[u] > 0 && podValue[u] / podTotal[u] >= floor;
            withPath += carries[u] ? 1 : 0;
            carriedValue += carries[u] ? podValue[u] : 0;
            carriedTotal += carries[u] ? podTotal[u] : 0;
        }
        double shareWhereRun = carriedTotal > 0 ? carriedValue / carriedTotal : 0;
        int able = 0;
        for (int u = 0; u < pods; u++) {
            if (units.group()[u] == TypedObservation.CANARY && (carries[u] || (shareWhereRun >= 2 * floor
                    && shareWhereRun * podSamples[u] >= MIN_EXPECTED_SAMPLES))) {
                able++;
            }
        }
        for (int i = 0; i < observations.size(); i++) {
            TypedObservation o = observations.get(i);
            if (o.group != TypedObservation.CANARY || !carries[o.unit]) {
                continue;
            }
            double share = podValue[o.unit] / podTotal[o.unit];
            double samples = o.samplesKnown() ? o.samples : Double.POSITIVE_INFINITY;
            slices++;
            slicesWithPath += value[i] > 0 ? 1 : 0;
            expected += 1 - Math.exp(-share * samples);
        }
        return new Presence(canaryPods, withPath, able, slices, slicesWithPath, expected, shareWhereRun);
    }
}
