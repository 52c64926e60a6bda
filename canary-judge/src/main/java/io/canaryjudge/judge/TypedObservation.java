package io.canaryjudge.judge;

import io.canaryjudge.profile.FunctionTotals;
import io.canaryjudge.profile.Profile;

/**
 * One observation reduced to one profile type: its per-function totals, mapped onto the function
 * index shared by all observations of that type, and the unit (pod in the current window, or a
 * window of a history instance) it belongs to.
 */
final class TypedObservation {
    static final int BASELINE = 0;
    static final int CANARY = 1;
    static final int HISTORY = 2;

    /** {@link #BASELINE}, {@link #CANARY} or {@link #HISTORY}. */
    final int group;
    /** Index of the instance within its group (pod order for baseline and canary). */
    final int instance;
    final Profile profile;
    final FunctionTotals totals;
    /** Local function id of {@link #profile} → index in the type's shared function table. */
    final int[] globalIds;
    /** Sum of values, in the type's unit. */
    final double total;
    /** Profiler samples behind the total; NaN when unknown (collapsed allocations without a sample value). */
    final double samples;
    /** Requests served in the slice; null when unknown. */
    final Long requests;
    /** The count of the whole recording this slice was cut from, when all its slices are judged; else null. */
    final RecordingRequests recording;
    /** Index of the unit (see {@link Units}) this observation belongs to; set by {@link TypeContext}. */
    int unit = -1;

    TypedObservation(int group, int instance, Profile profile, FunctionTotals totals, int[] globalIds,
                     double samples, Long requests, RecordingRequests recording) {
        this.group = group;
        this.instance = instance;
        this.profile = profile;
        this.totals = totals;
        this.globalIds = globalIds;
        this.total = totals.total();
        this.samples = samples;
        this.requests = requests;
        this.recording = recording;
    }

    /** The function's (an id of the type's shared table) self or inclusive value here; 0 when it did not run. */
    double value(int function, boolean self) {
        for (int local = 0; local < globalIds.length; local++) {
            if (globalIds[local] == function) {
                return self ? totals.self(local) : totals.inclusive(local);
            }
        }
        return 0;
    }

    /** Whether requests are counted for this slice, by itself or with the other slices of its recording. */
    boolean requestsCounted() {
        return requests != null ? requests > 0 : recording != null && recording.requests() > 0;
    }

    boolean samplesKnown() {
        return samples > 0;
    }

    /**
     * Value of one sample, in the type's unit (e.g. 10,000,000 ns at 100 Hz). Without a sample count,
     * one unit of value: the sampling-noise term is then learned in value units from the slices
     * (quasi-likelihood) rather than claimed from a count.
     */
    double valuePerSample() {
        return samples > 0 ? total / samples : 1.0;
    }
}
