package io.canaryjudge.judge;

import io.canaryjudge.profile.FunctionTotals;
import io.canaryjudge.profile.Profile;

/**
 * One observation reduced to one profile type: its per-function totals, mapped onto the function
 * index shared by all observations of that type.
 */
final class TypedObservation {
    final int group;
    final int instance;
    final Profile profile;
    final FunctionTotals totals;
    /** Local function id of {@link #profile} → index in the type's shared function table. */
    final int[] globalIds;
    /** Sum of values, in the type's unit. */
    final double total;
    /** Profiler samples behind the total (estimated when the producer does not say). */
    final double samples;
    /** Requests served in the slice; null when unknown. */
    final Long requests;

    TypedObservation(int group, int instance, Profile profile, FunctionTotals totals, int[] globalIds,
                     double samples, Long requests) {
        this.group = group;
        this.instance = instance;
        this.profile = profile;
        this.totals = totals;
        this.globalIds = globalIds;
        this.total = totals.total();
        this.samples = samples;
        this.requests = requests;
    }

    /** Value of one sample, in the type's unit (e.g. 10,000,000 ns at 100 Hz). */
    double valuePerSample() {
        return samples > 0 ? total / samples : 1.0;
    }
}
