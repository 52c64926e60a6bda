package io.canaryjudge.judge;

/**
 * What a type's function noise rested on, as far as more data could change it: the verdict's advice on what to collect
 * ({@link Summaries#moreData}) follows from it, never from the wording of the noise source.
 */
enum NoiseEvidence {
    /** Earlier windows of baseline-version pods (history) or earlier verdicts' baselines taught each function's noise. */
    OWN,
    /**
     * History was given but all of it is earlier windows of the baseline pod's own JVM: it shows how that JVM varied
     * over time, not how JVMs differ, so more of the same cannot help.
     */
    OWN_JVM_HISTORY_ONLY,
    /** Pods within groups or the prior: more pods or history would help. */
    PODS_OR_PRIOR;

    static NoiseEvidence of(NoiseModel model, Units units) {
        if (model.source == NoiseModel.Source.HISTORY || model.learnedFunctions > 0) {
            return OWN;
        }
        if (model.source == NoiseModel.Source.ACROSS && units.hasHistory()
                && units.sharedJvms() == units.historyInstances()) {
            return OWN_JVM_HISTORY_ONLY;
        }
        return PODS_OR_PRIOR;
    }
}
