package io.canaryjudge.eval;

import io.canaryjudge.profile.ProfileType;
import io.canaryjudge.verdict.Finding;
import io.canaryjudge.verdict.Result;
import io.canaryjudge.verdict.TypeQuality;
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
 * @param estimatedPodCv  the judge's estimate of the between-pod CV κ (data quality), NaN when absent
 * @param estimatedDispersion the judge's estimate of the slice dispersion, NaN when absent
 * @param tests           hypotheses the judge tested (its BH family size)
 */
record CaseOutcome(Result judgeResult, String judgeCulprit, String judgeMeasure, String judgeError, String target,
                   List<ReferenceTest.Call> references, double estimatedPodCv, double estimatedDispersion, int tests) {

    static CaseOutcome of(Verdict verdict, String target, List<ReferenceTest.Call> references) {
        Finding first = verdict.findings().stream().filter(Finding::failing).findFirst().orElse(null);
        TypeQuality cpu = verdict.dataQuality() == null ? null : verdict.dataQuality().types().stream()
                .filter(t -> t.profileType() == ProfileType.CPU).findFirst().orElse(null);
        return new CaseOutcome(verdict.result(), first == null ? null : first.function(),
                first == null || first.measure() == null ? null : first.measure().name(), null, target, references,
                cpu == null || cpu.betweenInstanceCv() == null ? Double.NaN : cpu.betweenInstanceCv(),
                cpu == null || cpu.overdispersion() == null ? Double.NaN : cpu.overdispersion(),
                cpu == null ? 0 : cpu.functionsTested());
    }

    static CaseOutcome failed(Throwable error, String target, List<ReferenceTest.Call> references) {
        return new CaseOutcome(null, null, null, error.getClass().getSimpleName() + ": " + error.getMessage(), target,
                references, Double.NaN, Double.NaN, 0);
    }

    boolean judgeFails() {
        return judgeResult == Result.FAIL;
    }

    boolean judgeNamesTarget() {
        return target.equals(judgeCulprit);
    }
}
