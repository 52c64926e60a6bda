package io.canaryjudge.eval;

import io.canaryjudge.profile.ProfileType;
import java.util.Locale;

/**
 * One cell of the tuning evaluation (docs/EVALUATION.md "Tuning"): the service, the noise — each function
 * with its own between-pod level — the layout of pods, slices and history, and the change.
 *
 * @param service        where the stacks come from
 * @param type           CPU (every sample 10 ms) or ALLOC_BYTES (every sample weighs what it caught)
 * @param baselinePods   baseline pods in the current window
 * @param canaryPods     canary pods
 * @param slicesPerPod   slices per pod and window
 * @param samplesPerPod  samples per pod and window (split evenly over its slices)
 * @param historyWindows earlier windows of every baseline pod (same JVMs) given as history; 0 = none
 * @param historyPods    other JVMs of the baseline version given as history (one window each, beside the current)
 * @param medianPodCv    median over functions of the between-pod CV of a function's rate
 * @param podCvSpread    σ of log κ_f across functions (κ_f = median × e^{σZ}); 0 = one level for all
 * @param jvmShare       share of each function's between-pod variance that stays with the JVM in every
 *                       window (the rest is drawn anew per window)
 * @param sliceCv        slice-to-slice rate CV within a pod
 * @param dispersion     slice count variance over Poisson (≥ 1)
 * @param jitShare       share of (non-root) functions that each JVM inlines into their caller or not
 * @param change         what the canary does differently
 * @param size           relative size of the change (REGRESSION, UNIFORM_SLOWDOWN); ×factor of JVM frames (JVM_RISE)
 * @param targetShare    true self share of the target (REGRESSION) or canary share of the new path (NEW_PATH)
 * @param requests       whether slices carry request counts
 * @param burstChance    chance that a JVM (either side, each window) runs a background task — a compaction,
 *                       segment merge or cache rebuild — in a few consecutive slices: a path no other JVM has,
 *                       1–4 % of that pod's window ({@link TuningSimulator#BACKGROUND_TASK}); 0 = never
 * @param backgroundChance chance that a JVM window (either side, history too, each independently) runs a
 *                       window-long background thread — a segment merge in 6 to all 8 of 8 slices, 1–4 % of CPU or
 *                       2–9 % of allocated bytes, its merge functions varying between occurrences
 *                       ({@link TuningSimulator#MERGE_THREAD}); 0 = never
 * @param learnedVerdicts earlier A/A verdicts of the same service (new JVMs, the same layout) whose baselines
 *                       teach each function's noise ({@code LearnedNoise}) before the case is judged; 0 = none
 * @param canaryTraffic  each canary pod's samples and requests as a fraction of a baseline pod's (a canary
 *                       given 10 % of the traffic by a router runs less CPU, so fewer samples); 1 = equal
 * @param learnedDrift   σ of the log change of each function's between-pod CV from the earlier analyses to this one
 *                       (an older release's noise: κ_f,earlier = κ_f × e^{σZ_f}); 0 = the same noise
 * @param mixSkew        per-pod traffic mix: each JVM serves each endpoint (a subtree two frames below the root)
 *                       at e^{σZ} of its rate, σ = this, kept in its history windows (sticky sessions,
 *                       uneven balancing); 0 = every pod the same mix
 * @param heavyEndpoint  when above 0, the mix skew is only that of one rare, heavy endpoint: the endpoint with the
 *                       largest inclusive rate, scaled to this share of the service, each JVM serving it at e^{σZ}
 *                       of its rate and every other endpoint as the global mix (a report or export endpoint:
 *                       few requests, much CPU each); 0 = the skew applies to every endpoint
 */
record TuningSetting(Service service, ProfileType type, int baselinePods, int canaryPods, int slicesPerPod,
                     int samplesPerPod, int historyWindows, int historyPods, double medianPodCv, double podCvSpread, double jvmShare,
                     double sliceCv, double dispersion, double jitShare, Change change, double size,
                     double targetShare, boolean requests, double burstChance,
                     double backgroundChance, int learnedVerdicts, double learnedDrift, double canaryTraffic,
                     double mixSkew, double heavyEndpoint) {

    enum Service {
        /** {@link ServiceModel}: 200 functions, Kafka-fitted Zipf shares, one stack each. */
        SYNTHETIC,
        /** The Kafka broker's recorded CPU stacks (four slices pooled). */
        KAFKA
    }

    enum Change {
        NONE,
        /** The target function's own rate × (1 + size). */
        REGRESSION,
        /** A new function under a caller drawn by CPU (large callers most often), {@code targetShare} of the canary. */
        NEW_PATH,
        /** Every cost per request × (1 + size); shares unchanged (needs request counts). */
        UNIFORM_SLOWDOWN,
        /** The canary runs another program (a different synthetic service). */
        DIFFERENT_PROGRAM,
        /** JVM-internal stacks × size in the canary, and the target regresses by +100 % beside them. */
        JVM_RISE,
        /**
         * The target function renamed in the canary (a release that renames a method: {@code …bar} → {@code …barV2}),
         * its own rate × (1 + size): size 0 is the same code under a new name, which must not FAIL.
         */
        RENAME
    }

    TuningSetting {
        if (!(canaryTraffic > 0 && canaryTraffic <= 1)) {
            throw new IllegalArgumentException("canaryTraffic " + canaryTraffic);
        }
        if (baselinePods < 1 || canaryPods < 1 || slicesPerPod < 1 || samplesPerPod < slicesPerPod || historyWindows < 0
                || historyPods < 0) {
            throw new IllegalArgumentException("bad layout");
        }
    }

    /** The design most cells vary from: synthetic service, CPU, 2 + 2 pods × 8 slices × 14,000 samples, κ median 6 %. */
    static TuningSetting base() {
        return new TuningSetting(Service.SYNTHETIC, ProfileType.CPU, 2, 2, 8, 14_000, 0, 0, 0.06, 0.5, 0.5, 0.05, 1.5, 0,
                Change.NONE, 0, 0.05, false, 0, 0, 0, 0, 1, 0, 0);
    }

    TuningSetting with(Service s) {
        return new TuningSetting(s, type, baselinePods, canaryPods, slicesPerPod, samplesPerPod, historyWindows, historyPods,
                medianPodCv, podCvSpread, jvmShare, sliceCv, dispersion, jitShare, change, size, targetShare, requests, burstChance,
                backgroundChance, learnedVerdicts, learnedDrift, canaryTraffic, mixSkew, heavyEndpoint);
    }

    TuningSetting with(ProfileType t) {
        return new TuningSetting(service, t, baselinePods, canaryPods, slicesPerPod, samplesPerPod, historyWindows, historyPods,
                medianPodCv, podCvSpread, jvmShare, sliceCv, dispersion, jitShare, change, size, targetShare, requests, burstChance,
                backgroundChance, learnedVerdicts, learnedDrift, canaryTraffic, mixSkew, heavyEndpoint);
    }

    TuningSetting pods(int baseline, int canary) {
        return new TuningSetting(service, type, baseline, canary, slicesPerPod, samplesPerPod, historyWindows, historyPods,
                medianPodCv, podCvSpread, jvmShare, sliceCv, dispersion, jitShare, change, size, targetShare, requests, burstChance,
                backgroundChance, learnedVerdicts, learnedDrift, canaryTraffic, mixSkew, heavyEndpoint);
    }

    TuningSetting slices(int slices, int samples) {
        return new TuningSetting(service, type, baselinePods, canaryPods, slices, samples, historyWindows, historyPods,
                medianPodCv, podCvSpread, jvmShare, sliceCv, dispersion, jitShare, change, size, targetShare, requests, burstChance,
                backgroundChance, learnedVerdicts, learnedDrift, canaryTraffic, mixSkew, heavyEndpoint);
    }

    TuningSetting history(int windows) {
        return new TuningSetting(service, type, baselinePods, canaryPods, slicesPerPod, samplesPerPod, windows, historyPods,
                medianPodCv, podCvSpread, jvmShare, sliceCv, dispersion, jitShare, change, size, targetShare, requests, burstChance,
                backgroundChance, learnedVerdicts, learnedDrift, canaryTraffic, mixSkew, heavyEndpoint);
    }

    TuningSetting historyPods(int pods) {
        return new TuningSetting(service, type, baselinePods, canaryPods, slicesPerPod, samplesPerPod, historyWindows, pods,
                medianPodCv, podCvSpread, jvmShare, sliceCv, dispersion, jitShare, change, size, targetShare, requests, burstChance,
                backgroundChance, learnedVerdicts, learnedDrift, canaryTraffic, mixSkew, heavyEndpoint);
    }

    TuningSetting noise(double median, double spread) {
        return new TuningSetting(service, type, baselinePods, canaryPods, slicesPerPod, samplesPerPod, historyWindows, historyPods,
                median, spread, jvmShare, sliceCv, dispersion, jitShare, change, size, targetShare, requests, burstChance,
                backgroundChance, learnedVerdicts, learnedDrift, canaryTraffic, mixSkew, heavyEndpoint);
    }

    TuningSetting jit(double share) {
        return new TuningSetting(service, type, baselinePods, canaryPods, slicesPerPod, samplesPerPod, historyWindows, historyPods,
                medianPodCv, podCvSpread, jvmShare, sliceCv, dispersion, share, change, size, targetShare, requests, burstChance,
                backgroundChance, learnedVerdicts, learnedDrift, canaryTraffic, mixSkew, heavyEndpoint);
    }

    TuningSetting change(Change c, double changeSize, double share) {
        return new TuningSetting(service, type, baselinePods, canaryPods, slicesPerPod, samplesPerPod, historyWindows, historyPods,
                medianPodCv, podCvSpread, jvmShare, sliceCv, dispersion, jitShare, c, changeSize, share, requests, burstChance,
                backgroundChance, learnedVerdicts, learnedDrift, canaryTraffic, mixSkew, heavyEndpoint);
    }

    TuningSetting withRequests() {
        return new TuningSetting(service, type, baselinePods, canaryPods, slicesPerPod, samplesPerPod, historyWindows, historyPods,
                medianPodCv, podCvSpread, jvmShare, sliceCv, dispersion, jitShare, change, size, targetShare, true, burstChance,
                backgroundChance, learnedVerdicts, learnedDrift, canaryTraffic, mixSkew, heavyEndpoint);
    }

    TuningSetting bursts(double chance) {
        return new TuningSetting(service, type, baselinePods, canaryPods, slicesPerPod, samplesPerPod, historyWindows, historyPods,
                medianPodCv, podCvSpread, jvmShare, sliceCv, dispersion, jitShare, change, size, targetShare, requests, chance,
                backgroundChance, learnedVerdicts, learnedDrift, canaryTraffic, mixSkew, heavyEndpoint);
    }

    TuningSetting background(double chance) {
        return new TuningSetting(service, type, baselinePods, canaryPods, slicesPerPod, samplesPerPod, historyWindows, historyPods,
                medianPodCv, podCvSpread, jvmShare, sliceCv, dispersion, jitShare, change, size, targetShare, requests, burstChance,
                chance, learnedVerdicts, learnedDrift, canaryTraffic, mixSkew, heavyEndpoint);
    }

    TuningSetting learned(int verdicts) {
        return new TuningSetting(service, type, baselinePods, canaryPods, slicesPerPod, samplesPerPod, historyWindows, historyPods,
                medianPodCv, podCvSpread, jvmShare, sliceCv, dispersion, jitShare, change, size, targetShare, requests, burstChance,
                backgroundChance, verdicts, learnedDrift, canaryTraffic, mixSkew, heavyEndpoint);
    }

    TuningSetting drifted(double sigma) {
        return new TuningSetting(service, type, baselinePods, canaryPods, slicesPerPod, samplesPerPod, historyWindows, historyPods,
                medianPodCv, podCvSpread, jvmShare, sliceCv, dispersion, jitShare, change, size, targetShare, requests, burstChance,
                backgroundChance, learnedVerdicts, sigma, canaryTraffic, mixSkew, heavyEndpoint);
    }

    TuningSetting canaryTraffic(double fraction) {
        return new TuningSetting(service, type, baselinePods, canaryPods, slicesPerPod, samplesPerPod, historyWindows, historyPods,
                medianPodCv, podCvSpread, jvmShare, sliceCv, dispersion, jitShare, change, size, targetShare, requests, burstChance,
                backgroundChance, learnedVerdicts, learnedDrift, fraction, mixSkew, heavyEndpoint);
    }

    TuningSetting mix(double sigma) {
        return new TuningSetting(service, type, baselinePods, canaryPods, slicesPerPod, samplesPerPod, historyWindows, historyPods,
                medianPodCv, podCvSpread, jvmShare, sliceCv, dispersion, jitShare, change, size, targetShare, requests, burstChance,
                backgroundChance, learnedVerdicts, learnedDrift, canaryTraffic, sigma, heavyEndpoint);
    }

    TuningSetting heavyEndpoint(double share, double sigma) {
        return new TuningSetting(service, type, baselinePods, canaryPods, slicesPerPod, samplesPerPod, historyWindows, historyPods,
                medianPodCv, podCvSpread, jvmShare, sliceCv, dispersion, jitShare, change, size, targetShare, requests, burstChance,
                backgroundChance, learnedVerdicts, learnedDrift, canaryTraffic, sigma, share);
    }

    /** The canary's code costs what the baseline's does: unchanged, or only renamed. */
    boolean aa() {
        return change == Change.NONE || (change == Change.RENAME && size == 0);
    }

    /** e.g. {@code kafka cpu 1+3×8×14k h6 κ6%±0.5 jit5% +20%@5%} */
    String label() {
        String what = switch (change) {
            case NONE -> "A/A";
            case REGRESSION -> String.format(Locale.ROOT, "%+.0f%%@%s%%", size * 100, trim(targetShare * 100));
            case NEW_PATH -> String.format(Locale.ROOT, "new path %s%%", trim(targetShare * 100));
            case UNIFORM_SLOWDOWN -> String.format(Locale.ROOT, "all %+.0f%%/req", size * 100);
            case DIFFERENT_PROGRAM -> "other program";
            case JVM_RISE -> String.format(Locale.ROOT, "JVM ×%s, +100%%@%s%%", trim(size), trim(targetShare * 100));
            case RENAME -> String.format(Locale.ROOT, "renamed %+.0f%%@%s%%", size * 100, trim(targetShare * 100));
        };
        return String.format(Locale.ROOT, "%s %s %d+%d×%d×%s%s κ%s%%±%s%s%s %s", service.name().toLowerCase(Locale.ROOT),
                type.id(), baselinePods, canaryPods, slicesPerPod, thousands(samplesPerPod),
                (historyWindows > 0 ? " h" + historyWindows : "") + (historyPods > 0 ? " hp" + historyPods : "")
                        + (learnedVerdicts > 0 ? " L" + learnedVerdicts : "")
                        + (learnedDrift > 0 ? " drift" + trim(learnedDrift) : ""), trim(medianPodCv * 100), trim(podCvSpread),
                jitShare > 0 ? " jit" + trim(jitShare * 100) + "%" : "", (requests ? " req" : "")
                        + (burstChance > 0 ? " bg" + trim(burstChance * 100) + "%" : "")
                        + (backgroundChance > 0 ? " bgw" + trim(backgroundChance * 100) + "%" : "")
                        + (canaryTraffic < 1 ? " canary" + trim(canaryTraffic * 100) + "%" : "")
                        + (mixSkew > 0 ? (heavyEndpoint > 0 ? " heavy" + trim(heavyEndpoint * 100) + "%" : "") + " mix"
                        + trim(mixSkew * 100) + "%" : ""), what);
    }

    private static String trim(double value) {
        String s = String.format(Locale.ROOT, "%.2f", value).replaceAll("0+$", "");
        return s.endsWith(".") ? s.substring(0, s.length() - 1) : s;
    }

    private static String thousands(int n) {
        return n % 1000 == 0 ? n / 1000 + "k" : Integer.toString(n);
    }
}
