package io.canaryjudge.eval;

import static org.assertj.core.api.Assertions.assertThat;

import io.canaryjudge.judge.Judge;
import io.canaryjudge.judge.JudgeConfig;
import io.canaryjudge.judge.JudgeTestAccess;
import io.canaryjudge.verdict.Finding;
import io.canaryjudge.verdict.Result;
import io.canaryjudge.verdict.Verdict;
import org.junit.jupiter.api.Test;

/**
 * The tuning table's "culprit first" on the Kafka broker's cells (qa61): their targets are JDK frames and snappy-java's
 * native library, which the judge names at the application frame where the cost enters, with the target among the
 * lead incident's functions. The first case of "kafka cpu 3+1×8×14k h6 κ6%±0.5 +50%@5%" (seeded as
 * {@link TuningEvaluation} seeds it) that FAILs with a non-application target named at an application caller (at this
 * judge case 2: snappy-java's {@code libsnappyjava.so} +50 %, named at {@code LogValidator}'s compression lambda); the
 * first 30 cases, where such FAILs were 14 of 14, so a change elsewhere in the judge moves which case, not the test.
 */
class TuningCulpritFirstTest {
    private static final int CASES = 30;

    @Test
    void aNonApplicationRiseNamedAtItsApplicationCallerIsTheCulprit() {
        TuningEvaluation.Cell cell = TuningEvaluation.cells().stream()
                .filter(c -> c.setting().label().equals("kafka cpu 3+1×8×14k h6 κ6%±0.5 +50%@5%")).findFirst().orElseThrow();
        JudgeConfig config = JudgeConfig.defaults();
        for (int n = 0; n < CASES; n++) {
            long seed = cell.setting().label().hashCode() * 0x9E3779B97F4A7C15L + n;
            TuningSimulator.Case simulated = new TuningSimulator().simulate(cell.setting(), seed);
            Verdict verdict = new Judge().judge(simulated.baseline(), simulated.canary(), simulated.history(),
                    TuningSimulator.learnedNoise(simulated, config), config).verdict();
            if (verdict.result() != Result.FAIL || JudgeTestAccess.applicationCode(simulated.target())) {
                continue;
            }
            Finding first = verdict.findings().stream().filter(Finding::failing).findFirst().orElseThrow();
            if (!JudgeTestAccess.applicationCode(first.function()) || first.callPath().contains(simulated.target())) {
                continue; // named at itself, or on the entry frame's own path: the check before qa61 counted those too
            }
            // The entry frame's own call path ends above the target: the check before qa61 counted this as a miss.
            assertThat(TuningEvaluation.culpritFirst(verdict, first, simulated.target())).as("case " + n).isTrue();
            // An application method is named at itself: the same lead is no culprit for another application frame.
            String other = first.function().startsWith("kafka.network.Processor.poll") ? "kafka.log.LogValidator.validate"
                    : "kafka.network.Processor.poll";
            assertThat(TuningEvaluation.culpritFirst(verdict, first, other)).as("case " + n).isFalse();
            return;
        }
        throw new AssertionError("none of the first " + CASES + " cases FAILed with a non-application target named at an"
                + " application caller");
    }
}
