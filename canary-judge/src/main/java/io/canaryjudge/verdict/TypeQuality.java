package io.canaryjudge.verdict;

import io.canaryjudge.profile.ProfileType;
import java.util.List;

/**
 * Data quality of one profile type: what was judged, with how much data and how much power.
 *
 * @param profileType                  the type
 * @param judged                       false when it could not be judged (see {@code notes})
 * @param baseline                     baseline group's data
 * @param canary                       canary group's data
 * @param functionsTested              functions (× measures) tested after the materiality floor
 * @param betweenInstanceCv            typical between-pod (JVM) noise of a function's share, as a coefficient
 *                                     of variation (the prior each function's own estimate is moderated
 *                                     towards); null when not estimable
 * @param overdispersion               typical slice-to-slice variance relative to binomial sampling; null when
 *                                     not estimable
 * @param minimumDetectableChange1pct  relative change of a function at 1 % of total that these data
 *                                     detect with 80 % power at the verdict's thresholds; null when not judged
 * @param minimumDetectableChange5pct  the same for a function at 5 % of total
 * @param notes                        what could not be seen and why, in plain words
 * @param noiseSource                  what the noise each function is tested against was learned from, in
 *                                     words ("history: 6 earlier windows of 3 baseline pods …", "within-group
 *                                     pods only …", "prior only …"); null when not judged
 * @param unit                         the unit of the values compared: the type's own ({@code nanoseconds} for cpu)
 *                                     or {@code samples} when the inputs held sample counts (collapsed cpu/wall);
 *                                     null means the type's own
 */
public record TypeQuality(ProfileType profileType, boolean judged, GroupQuality baseline, GroupQuality canary,
                          int functionsTested, Double betweenInstanceCv, Double overdispersion,
                          Double minimumDetectableChange1pct, Double minimumDetectableChange5pct,
                          List<String> notes, String noiseSource, String unit) {
    public TypeQuality {
        notes = List.copyOf(notes);
        if (unit == null && profileType != null) {
            unit = profileType.unit();
        }
    }

    /** A type quality whose values are in the type's own unit. */
    public TypeQuality(ProfileType profileType, boolean judged, GroupQuality baseline, GroupQuality canary,
                       int functionsTested, Double betweenInstanceCv, Double overdispersion,
                       Double minimumDetectableChange1pct, Double minimumDetectableChange5pct, List<String> notes,
                       String noiseSource) {
        this(profileType, judged, baseline, canary, functionsTested, betweenInstanceCv, overdispersion,
                minimumDetectableChange1pct, minimumDetectableChange5pct, notes, noiseSource, null);
    }

    /** A type quality that does not say where its noise came from. */
    public TypeQuality(ProfileType profileType, boolean judged, GroupQuality baseline, GroupQuality canary,
                       int functionsTested, Double betweenInstanceCv, Double overdispersion,
                       Double minimumDetectableChange1pct, Double minimumDetectableChange5pct, List<String> notes) {
        this(profileType, judged, baseline, canary, functionsTested, betweenInstanceCv, overdispersion,
                minimumDetectableChange1pct, minimumDetectableChange5pct, notes, null);
    }
}
