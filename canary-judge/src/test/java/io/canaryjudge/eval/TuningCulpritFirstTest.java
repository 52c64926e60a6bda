package io.canaryjudge.eval;

import static org.assertj.core.api.Assertions.assertThat;

import io.canaryjudge.judge.Judge;
import io.canaryjudge.judge.JudgeConfig;
import io.canaryjudge.verdict.Finding;
import io.canaryjudge.verdict.Result;
import io.canaryjudge.verdict.Verdict;
import org.junit.jupiter.api.Test;

/**
 * The tuning table's "culprit first" on the Kafka broker's cells (qa61): their targets are JDK frames and snappy-java's
 * native library, which the judge names at the application frame where the cost enters, with the target among the
 * lead incident's functions. Case 2 of "kafka cpu 3+1×8×14k h6 κ6%±0.5 +50%@5%" (seeded as {@link TuningEvaluation}
 * seeds it): snappy-java's {@code libsnappyjava.so} +50 %, named at {@code LogValidator}'s compression lambda.
 */
class TuningCulpritFirstTest {
    @Test
    void aNativeLibrarysRiseNamedAtItsApplicationCallerIsTheCulprit() {
        TuningEvaluation.Cell cell = TuningEvaluation.cells().stream()
                .filter(c -> c.setting().label().equals("kafka cpu 3+1×8×14k h6 κ6%±0.5 +50%@5%")).findFirst().orElseThrow();
        long seed = cell.setting().label().hashCode() * 0x9E3779B97F4A7C15L + 2;
        TuningSimulator.Case simulated = new TuningSimulator().simulate(cell.setting(), seed);
        JudgeConfig config = JudgeConfig.defaults();
        Verdict verdict = new Judge().judge(simulated.baseline(), simulated.canary(), simulated.history(),
                TuningSimulator.learnedNoise(simulated, config), config).verdict();
        assertThat(verdict.result()).isEqualTo(Result.FAIL);
        Finding first = verdict.findings().stream().filter(Finding::failing).findFirst().orElseThrow();
        assertThat(simulated.target()).endsWith("libsnappyjava.so");
        assertThat(first.function()).startsWith("kafka.log.LogValidator");
        // The entry frame's own call path ends above the library: the check before qa61 counted this as a miss.
        assertThat(first.callPath()).doesNotContain(simulated.target());
        assertThat(TuningEvaluation.culpritFirst(verdict, first, simulated.target())).isTrue();
        // An application method is named at itself: the same lead is no culprit for another application frame below it.
        assertThat(TuningEvaluation.culpritFirst(verdict, first, "kafka.network.Processor.poll")).isFalse();
    }
}
