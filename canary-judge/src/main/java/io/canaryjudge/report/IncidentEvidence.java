package io.canaryjudge.report;

import io.canaryjudge.profile.ProfileType;
import io.canaryjudge.verdict.Measure;
import java.util.List;
import java.util.Objects;

/**
 * The data behind one incident (or finding), pod by pod and slice by slice, for a strip plot: what
 * a release engineer checks before believing a verdict — is the change in every canary pod, or one
 * odd JVM?
 *
 * @param profileType the profile type
 * @param function    normalised frame name (the incident's entry frame); {@code <total>} for the total
 * @param measure     which value: SELF/INCLUSIVE are shares of each observation's total (0..1, raw,
 *                    before the judge's size-factor normalisation); the per-request measures are the
 *                    type's unit per request
 * @param baseline    one entry per baseline pod, in input order
 * @param canary      one entry per canary pod
 */
public record IncidentEvidence(ProfileType profileType, String function, Measure measure,
                               List<PodValues> baseline, List<PodValues> canary) {
    public IncidentEvidence {
        Objects.requireNonNull(profileType, "profileType");
        Objects.requireNonNull(function, "function");
        Objects.requireNonNull(measure, "measure");
        baseline = List.copyOf(baseline);
        canary = List.copyOf(canary);
    }

    /**
     * One pod's values.
     *
     * @param instance the pod (instance) name
     * @param value    pooled over the pod's slices: sum of the function's values over sum of totals (or
     *                 of requests) — the pod's value as the judge sees it before normalisation
     * @param slices   each slice's own value, in input order; slices with a zero total (or no requests,
     *                 per request) are left out; per request, a recording cut into slices whose request count
     *                 covers it whole ({@code requests.csv} with {@code --slice}) gives one value, after the others
     */
    public record PodValues(String instance, double value, List<Double> slices) {
        public PodValues {
            Objects.requireNonNull(instance, "instance");
            slices = List.copyOf(slices);
        }
    }
}
