package io.canaryjudge.heldout;

import io.canaryjudge.profile.ProfileType;
import java.util.Set;

/**
 * What the held-out evaluation keeps of one verdict.
 *
 * @param result       PASS, FAIL, INCONCLUSIVE, or ERROR when the judge threw
 * @param culprit      the first failing incident's entry frame, else the first failing finding's function;
 *                     null when nothing failed
 * @param culpritType  the profile type of that incident or finding
 * @param failingTypes profile types with a failing finding or incident
 * @param summary      the verdict's summary, or the exception for ERROR
 */
public record JudgeOutcome(Result result, String culprit, ProfileType culpritType, Set<ProfileType> failingTypes,
                           String summary) {

    public enum Result { PASS, FAIL, INCONCLUSIVE, ERROR }

    public JudgeOutcome {
        failingTypes = Set.copyOf(failingTypes);
    }

    public boolean failed() {
        return result == Result.FAIL;
    }

    /** A FAIL with a failing finding in CPU time. */
    public boolean failedOnCpu() {
        return failed() && failingTypes.contains(ProfileType.CPU);
    }

    /** A FAIL with a failing finding in allocation (bytes or objects). */
    public boolean failedOnAllocation() {
        return failed() && (failingTypes.contains(ProfileType.ALLOC_BYTES) || failingTypes.contains(ProfileType.ALLOC_OBJECTS));
    }
}
