package io.canaryjudge.eval;

import java.util.Locale;

/**
 * One cell of the evaluation grid: the service, the noise, the amount of data and the injected
 * change. {@code relativeChange == 0} is an A/A cell (same code on both sides).
 *
 * @param functions       functions in the simulated service
 * @param targetShare     true self share of the target function in the baseline, 0..1
 * @param relativeChange  the canary multiplies the target's true CPU rate by {@code 1 + relativeChange}
 *                        (before renormalising, so other functions' shares shrink: the compositional effect)
 * @param podsPerSide     pods (JVMs) per group
 * @param slicesPerPod    profiles (time slices) per pod
 * @param samplesPerSlice expected profiler samples per slice (10 ms each)
 * @param dispersion      slice-to-slice variance of a function's count divided by the Poisson variance (≥ 1)
 * @param podCv           between-pod coefficient of variation of each function's rate (0 = identical JVMs)
 * @param sliceCv         slice-to-slice coefficient of variation of each function's rate within a pod (workload
 *                        mix changing between time windows; the negative binomial "NB2" term of RNA-seq models:
 *                        count variance {@code d μ + sliceCv² μ²}); 0 = none
 * @param jitShare        share of the functions (never the root or the target) that each pod's JIT either inlines
 *                        into their caller or not, a coin flip per pod: inlined, the function keeps
 *                        {@link ProfileSimulator#JIT_RESIDUAL} of its self time and its caller gets the rest (the
 *                        recorded A/A: {@code HashMap.hash} at 1.93 % or 0.03 % of CPU across six JVMs); 0 = none
 * @param canaryPods      pods in the canary group when it differs from the baseline's ({@code podsPerSide}); 0 = the same.
 *                        Argo Rollouts' and Flagger's usual layout is one canary pod beside several stable ones.
 */
record SimulationSetting(int functions, double targetShare, double relativeChange, int podsPerSide, int slicesPerPod,
                int samplesPerSlice, double dispersion, double podCv, double sliceCv, double jitShare, int canaryPods) {

    SimulationSetting(int functions, double targetShare, double relativeChange, int podsPerSide, int slicesPerPod,
                      int samplesPerSlice, double dispersion, double podCv, double sliceCv, double jitShare) {
        this(functions, targetShare, relativeChange, podsPerSide, slicesPerPod, samplesPerSlice, dispersion, podCv, sliceCv,
                jitShare, 0);
    }

    SimulationSetting(int functions, double targetShare, double relativeChange, int podsPerSide, int slicesPerPod,
                      int samplesPerSlice, double dispersion, double podCv, double sliceCv) {
        this(functions, targetShare, relativeChange, podsPerSide, slicesPerPod, samplesPerSlice, dispersion, podCv, sliceCv, 0);
    }

    SimulationSetting {
        if (functions < 2 || podsPerSide < 1 || slicesPerPod < 1 || samplesPerSlice < 1 || canaryPods < 0) {
            throw new IllegalArgumentException("bad simulation sizes: " + functions + " functions, " + podsPerSide
                    + " pods, " + slicesPerPod + " slices, " + samplesPerSlice + " samples");
        }
        if (!(targetShare > 0 && targetShare < 1) || relativeChange <= -1 || dispersion < 1 || podCv < 0 || sliceCv < 0
                || !(jitShare >= 0 && jitShare < 1)) {
            throw new IllegalArgumentException("bad simulation setting: share " + targetShare + ", change " + relativeChange
                    + ", dispersion " + dispersion + ", pod cv " + podCv + ", slice cv " + sliceCv + ", jit share " + jitShare);
        }
    }

    boolean aa() {
        return relativeChange == 0;
    }

    SimulationSetting withChange(double change) {
        return new SimulationSetting(functions, targetShare, change, podsPerSide, slicesPerPod, samplesPerSlice, dispersion, podCv, sliceCv, jitShare, canaryPods);
    }

    SimulationSetting withTargetShare(double share) {
        return new SimulationSetting(functions, share, relativeChange, podsPerSide, slicesPerPod, samplesPerSlice, dispersion, podCv, sliceCv, jitShare, canaryPods);
    }

    SimulationSetting withPods(int pods) {
        return new SimulationSetting(functions, targetShare, relativeChange, pods, slicesPerPod, samplesPerSlice, dispersion, podCv, sliceCv, jitShare, canaryPods);
    }

    SimulationSetting withSlices(int slices) {
        return new SimulationSetting(functions, targetShare, relativeChange, podsPerSide, slices, samplesPerSlice, dispersion, podCv, sliceCv, jitShare, canaryPods);
    }

    SimulationSetting withSamples(int samples) {
        return new SimulationSetting(functions, targetShare, relativeChange, podsPerSide, slicesPerPod, samples, dispersion, podCv, sliceCv, jitShare, canaryPods);
    }

    SimulationSetting withDispersion(double d) {
        return new SimulationSetting(functions, targetShare, relativeChange, podsPerSide, slicesPerPod, samplesPerSlice, d, podCv, sliceCv, jitShare, canaryPods);
    }

    SimulationSetting withPodCv(double cv) {
        return new SimulationSetting(functions, targetShare, relativeChange, podsPerSide, slicesPerPod, samplesPerSlice, dispersion, cv, sliceCv, jitShare, canaryPods);
    }

    SimulationSetting withJitShare(double share) {
        return new SimulationSetting(functions, targetShare, relativeChange, podsPerSide, slicesPerPod, samplesPerSlice, dispersion, podCv, sliceCv, share, canaryPods);
    }

    /** A canary group of {@code pods} pods beside the baseline's {@link #podsPerSide()}. */
    SimulationSetting withCanaryPods(int pods) {
        return new SimulationSetting(functions, targetShare, relativeChange, podsPerSide, slicesPerPod, samplesPerSlice, dispersion, podCv, sliceCv, jitShare, pods);
    }

    /** Pods in the canary group. */
    int canaryPodCount() {
        return canaryPods == 0 ? podsPerSide : canaryPods;
    }

    SimulationSetting withSliceCv(double cv) {
        return new SimulationSetting(functions, targetShare, relativeChange, podsPerSide, slicesPerPod, samplesPerSlice, dispersion, podCv, cv, jitShare, canaryPods);
    }

    /** Whether a change should FAIL by the thresholds alone, before any noise. */
    enum Materiality {
        /** Clears both floors by more than 10 %: a judge should FAIL when the data resolve it. */
        YES,
        /** Within 10 % of a floor: the observed change straddles it, FAIL or PASS are both right. */
        BORDERLINE,
        /** Below a floor by more than 10 %: a judge should not FAIL. */
        NO
    }

    /**
     * How the injected change's true effect on the target's share (after renormalisation)
     * compares with the relative and absolute materiality floors.
     */
    Materiality materiality(io.canaryjudge.judge.Thresholds thresholds) {
        double canaryShare = targetShare * (1 + relativeChange) / (1 + targetShare * relativeChange);
        double relative = (canaryShare / targetShare - 1) / thresholds.minRelativeChange();
        double absolute = (canaryShare - targetShare) / thresholds.minAbsoluteChange();
        double worst = Math.min(relative, absolute);
        return worst >= 1.1 ? Materiality.YES : worst >= 0.9 ? Materiality.BORDERLINE : Materiality.NO;
    }

    /** True when the injected change clears the materiality thresholds (relative and absolute). */
    boolean material(io.canaryjudge.judge.Thresholds thresholds) {
        return materiality(thresholds) != Materiality.NO;
    }

    /** Short description for tables, e.g. {@code +10% @2% 3×10×5k d2 κ.05}. */
    String label() {
        String pods = canaryPodCount() == podsPerSide ? Integer.toString(podsPerSide) : podsPerSide + "+" + canaryPodCount();
        String label = String.format(Locale.ROOT, "%s @%s%% %s×%d×%s d%s κ%s",
                aa() ? "A/A" : String.format(Locale.ROOT, "%+.0f%%", relativeChange * 100),
                trim(targetShare * 100), pods, slicesPerPod, thousands(samplesPerSlice), trim(dispersion),
                trim(podCv));
        label = sliceCv > 0 ? label + " c" + trim(sliceCv) : label;
        return jitShare > 0 ? label + " jit" + trim(jitShare * 100) + "%" : label;
    }

    private static String trim(double value) {
        String s = String.format(Locale.ROOT, "%.3f", value);
        s = s.replaceAll("0+$", "");
        return s.endsWith(".") ? s.substring(0, s.length() - 1) : s;
    }

    private static String thousands(int n) {
        return n % 1000 == 0 ? n / 1000 + "k" : Integer.toString(n);
    }
}
