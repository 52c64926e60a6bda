package io.canaryjudge.verdict;

import io.canaryjudge.profile.ProfileType;
import java.util.List;

/**
 * One function (or the total) whose cost differs between baseline and canary.
 *
 * @param profileType    which profile the finding is about
 * @param function       normalised function name; {@code "<total>"} for COST_PER_REQUEST
 * @param kind           what happened
 * @param measure        which value was compared
 * @param baseline       baseline group mean: a share of total (0..1) or, per request, value units per request
 * @param canary         canary group mean, same unit as {@code baseline}
 * @param relativeChange canary / baseline − 1; null when the baseline is 0
 * @param absoluteChange canary − baseline, same unit as {@code baseline}
 * @param pValue         two-sided p-value of the moderated test; null when not tested
 * @param qValue         Benjamini–Hochberg adjusted p-value across all tests of the verdict
 * @param ciLow          lower end of the 95 % interval of {@code absoluteChange}
 * @param ciHigh         upper end of that interval
 * @param failing        true when this finding causes the FAIL
 * @param jvmInternal    JIT, GC, class loading or other JVM work: reported apart, not a code culprit by default
 * @param callPath       hottest call path to the function in the canary, root first, ending at the function; for a
 *                       {@code MEMORY_GROWTH} finding (function {@code <heap>}, {@code <native>}, …) the path to the
 *                       allocation site it names, empty when it names none
 * @param explanation    one or two sentences a release engineer can act on
 * @param entryFrame     the row names a failing {@link Incident}'s entry frame (the application frame where
 *                       the extra cost enters): {@code failing} is then the incident's, which the row's own
 *                       test alone need not have shown, and a row with this flag may have been added for the
 *                       incident ("Entry frame of …" in its explanation)
 * @param unit           the unit of {@code baseline}, {@code canary} and the change when they are amounts (per
 *                       request): {@code samples} where the inputs held sample counts (collapsed cpu), else the
 *                       type's own; null for shares and for verdicts stored before it was kept ({@link #valueUnit})
 */
public record Finding(ProfileType profileType, String function, FindingKind kind, Measure measure,
                      Double baseline, Double canary, Double relativeChange, Double absoluteChange,
                      Double pValue, Double qValue, Double ciLow, Double ciHigh,
                      boolean failing, boolean jvmInternal, List<String> callPath, String explanation,
                      boolean entryFrame, String unit) {
    public Finding {
        callPath = callPath == null ? List.of() : List.copyOf(callPath);
    }

    /** A finding whose amounts, if any, are in its type's own unit. */
    public Finding(ProfileType profileType, String function, FindingKind kind, Measure measure,
                   Double baseline, Double canary, Double relativeChange, Double absoluteChange,
                   Double pValue, Double qValue, Double ciLow, Double ciHigh,
                   boolean failing, boolean jvmInternal, List<String> callPath, String explanation,
                   boolean entryFrame) {
        this(profileType, function, kind, measure, baseline, canary, relativeChange, absoluteChange, pValue, qValue,
                ciLow, ciHigh, failing, jvmInternal, callPath, explanation, entryFrame, null);
    }

    /** A finding that names no incident's entry frame. */
    public Finding(ProfileType profileType, String function, FindingKind kind, Measure measure,
                   Double baseline, Double canary, Double relativeChange, Double absoluteChange,
                   Double pValue, Double qValue, Double ciLow, Double ciHigh,
                   boolean failing, boolean jvmInternal, List<String> callPath, String explanation) {
        this(profileType, function, kind, measure, baseline, canary, relativeChange, absoluteChange, pValue, qValue,
                ciLow, ciHigh, failing, jvmInternal, callPath, explanation, false);
    }

    /** This finding reported, not failing, with {@code newExplanation} and {@code because} after it. */
    public Finding notFailing(String because, String newExplanation) {
        return new Finding(profileType, function, kind, measure, baseline, canary, relativeChange, absoluteChange,
                pValue, qValue, ciLow, ciHigh, false, jvmInternal, callPath, newExplanation + " " + because, entryFrame,
                unit);
    }

    /** This finding with the given explanation, failing flag and entry-frame mark; every value and unit kept. */
    public Finding marked(boolean newFailing, String newExplanation, boolean newEntryFrame) {
        return new Finding(profileType, function, kind, measure, baseline, canary, relativeChange, absoluteChange,
                pValue, qValue, ciLow, ciHigh, newFailing, jvmInternal, callPath, newExplanation, newEntryFrame, unit);
    }

    /** The unit its amounts are in: {@link #unit} or, when not kept, the type's own ({@code count} without a type). */
    public String valueUnit() {
        return unit != null ? unit : profileType == null ? "count" : profileType.unit();
    }
}
