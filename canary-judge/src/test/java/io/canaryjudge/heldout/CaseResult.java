package io.canaryjudge.heldout;

import io.canaryjudge.heldout.oracle.OracleCall;
import io.canaryjudge.profile.ProfileType;
import java.util.Map;

/**
 * One judged comparison: what the judge said, what the oracle's statistic was per profile type, and
 * the truth.
 *
 * @param judge  the judge's outcome
 * @param oracle the oracle's look per profile type ({@code cpu}, {@code alloc_bytes})
 * @param target the injected application method a correct culprit names; null for none
 */
public record CaseResult(JudgeOutcome judge, Map<ProfileType, OracleCall> oracle, String target) {

    public CaseResult {
        oracle = Map.copyOf(oracle);
    }

    /** The judge FAILed and named the target first. */
    public boolean judgeNamedTarget() {
        return judge.failed() && target != null && target.equals(judge.culprit());
    }
}
