package io.canaryjudge.judge;

import io.canaryjudge.profile.Profile;
import java.util.Objects;

/**
 * One profile of one instance (pod, i.e. one JVM) over one time slice — the unit of data the judge
 * compares. Slices of the same instance share its JIT and placement decisions, so the judge treats
 * the instance, not the slice, as the level of replication (DESIGN.md "Nested noise").
 *
 * @param instance name of the pod/JVM the profile came from; equal names = same JVM
 * @param profile  the profile of that slice
 * @param requests requests served in the slice, or null when unknown (then cost per request is not judged)
 */
public record Observation(String instance, Profile profile, Long requests) {
    public Observation {
        Objects.requireNonNull(instance, "instance");
        Objects.requireNonNull(profile, "profile");
        if (requests != null && requests < 0) {
            throw new IllegalArgumentException("requests must be >= 0, was " + requests);
        }
    }

    public Observation(String instance, Profile profile) {
        this(instance, profile, null);
    }
}
