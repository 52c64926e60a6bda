package io.canaryjudge.eval;

import io.canaryjudge.judge.Judge;
import io.canaryjudge.judge.JudgeConfig;
import io.canaryjudge.judge.LearnedNoise;
import io.canaryjudge.verdict.Verdict;
import java.util.regex.Pattern;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.condition.EnabledIfSystemProperty;

/**
 * qa61: the given cases ({@code -Dqa61.cases=2,3,10,11}) of the tuning cells matching {@code -Deval.cells}, one stderr
 * line each, seeded as {@link TuningEvaluation} seeds them. Kept out of the test sources so that it can be copied into
 * any older checkout ({@code bench/qa61-bisect-step.sh}); every commit since 09f20ed has the simulator API it uses.
 */
@EnabledIfSystemProperty(named = "qa61.cases", matches = ".+")
class TuningCases {
    @Test
    void run() {
        Pattern filter = Pattern.compile(System.getProperty("eval.cells"));
        for (TuningEvaluation.Cell cell : TuningEvaluation.cells()) {
            if (!filter.matcher(cell.setting().label()).find()) {
                continue;
            }
            for (String c : System.getProperty("qa61.cases").split(",")) {
                int i = Integer.parseInt(c);
                long seed = cell.setting().label().hashCode() * 0x9E3779B97F4A7C15L + i;
                JudgeConfig config = JudgeConfig.defaults();
                TuningSimulator.Case simulated = new TuningSimulator().simulate(cell.setting(), seed);
                LearnedNoise learned = TuningSimulator.learnedNoise(simulated, config);
                Verdict verdict = new Judge().judge(simulated.baseline(), simulated.canary(), simulated.history(), learned,
                        config).verdict();
                String s = verdict.summary();
                System.err.println("QA61 case " + i + " " + verdict.result() + " :: "
                        + (s.length() > 300 ? s.substring(0, 300) : s));
            }
        }
    }
}
