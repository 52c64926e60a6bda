package io.canaryjudge.verdict;

import io.canaryjudge.profile.ProfileType;
import java.util.List;

/**
 * One change in the canary, named by its entry frame: the application frame where the extra (or
 * saved) cost enters, with the library, JDK and JVM frames below it as detail. Several findings
 * that one change explains (a new application method and the serialisation library it calls) form
 * one incident. The first failing finding of {@link Verdict#findings()} is the lead incident's
 * entry frame, so consumers that read only findings name the same culprit.
 *
 * @param profileType    the profile the change is in
 * @param entryFrame     normalised name of the application frame where the cost enters
 * @param kind           what happened (REGRESSION, NEW_HOT_PATH, IMPROVEMENT, VANISHED, MEMORY_GROWTH, ...)
 * @param measure        which value of the entry frame {@code baseline}/{@code canary} give (usually inclusive)
 * @param baseline       entry frame's baseline value: share of total (0..1) or units per request
 * @param canary         entry frame's canary value, same unit
 * @param relativeChange canary / baseline − 1; null when the baseline is 0
 * @param ciLow          lower end of the 95 % interval of {@code canary − baseline}; null when not estimated
 * @param ciHigh         upper end of that interval
 * @param qValue         the q-value of its entry frame's own (failing) row, else the smallest among the (failing)
 *                       findings it explains; null when none was tested
 * @param failing        true when this incident causes the FAIL
 * @param callPath       hottest call path to the entry frame in the canary, root first
 * @param functions      the findings' functions it explains, entry frame first
 * @param detail         where the cost goes below the entry frame, in words ("mostly Jackson serialisation")
 * @param summary        one sentence a release engineer reads first
 */
public record Incident(ProfileType profileType, String entryFrame, FindingKind kind, Measure measure,
                       Double baseline, Double canary, Double relativeChange, Double ciLow, Double ciHigh,
                       Double qValue, boolean failing, List<String> callPath, List<String> functions,
                       String detail, String summary) {
    public Incident {
        callPath = callPath == null ? List.of() : List.copyOf(callPath);
        functions = functions == null ? List.of() : List.copyOf(functions);
    }

    /** This incident summarised as {@code newSummary}. */
    public Incident withSummary(String newSummary) {
        return new Incident(profileType, entryFrame, kind, measure, baseline, canary, relativeChange, ciLow, ciHigh,
                qValue, failing, callPath, functions, detail, newSummary);
    }

    /** This incident reported, not failing, summarised as {@code newSummary}. */
    public Incident notFailing(String newSummary) {
        return new Incident(profileType, entryFrame, kind, measure, baseline, canary, relativeChange, ciLow, ciHigh,
                qValue, false, callPath, functions, detail, newSummary);
    }
}
