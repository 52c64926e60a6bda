package io.canaryjudge.eval;

import io.canaryjudge.verdict.Finding;
import io.canaryjudge.verdict.Result;
import io.canaryjudge.verdict.Verdict;
import java.util.List;

/**
 * What the judge and each reference test said about one simulated case.
 *
 * @param judgeResult     the judge's verdict, or null when it threw
 * @param judgeCulprit    function of the judge's first failing finding, or null
 * @param judgeMeasure    measure of that finding (SELF, INCLUSIVE, ...), or null
 * @param judgeError      the exception's one-line description when the judge threw, else null
 * @param target          the function whose rate the canary changed
 * @param references      one call per reference test, in the runner's order
 */
record CaseOutcome(Result judgeResult, String judgeCulprit, String judgeMeasure, String judgeError, String target,
                   List<ReferenceTest.Call> references) {

    static CaseOutcome of(Verdict verdict, String target, List<ReferenceTest.Call> references) {
        Finding first = verdict.findings().stream().filter(Finding::failing).findFirst().orElse(null);
        return new CaseOutcome(verdict.result(), first == null ? null : first.function(),
                first == null || first.measure() == null ? null : first.measure().name(), null, target, references);
    }

    static CaseOutcome failed(Throwable error, String target, List<ReferenceTest.Call> references) {
        return new CaseOutcome(null, null, null, error.getClass().getSimpleName() + ": " + error.getMessage(), target,
                references);
    }

    boolean judgeFails() {
        return judgeResult == Result.FAIL;
    }

    boolean judgeNamesTarget() {
        return target.equals(judgeCulprit);
    }
}
