package io.canaryjudge.heldout;

import static org.assertj.core.api.Assertions.assertThat;

import org.junit.jupiter.api.Assumptions;
import org.junit.jupiter.api.Test;

/**
 * Runs the published held-out evaluation when asked ({@code -Dheldout.run=full}; see
 * {@code bench/heldout-evaluation.sh}) and writes {@code canary-judge/target/heldout/heldout-evaluation.md}.
 * It asserts nothing about the judge's figures: they are measured and reported, not required here.
 */
class HeldOutEvaluationRun {
    @Test
    void fullHeldOutEvaluation() throws Exception {
        Assumptions.assumeTrue("full".equals(System.getProperty("heldout.run")),
                "the held-out evaluation runs only with -Dheldout.run=full");
        String report = HeldOutEvaluation.run(HeldOutSize.full());
        System.out.println(report);
        System.out.println("written to "
                + HeldOutEvaluation.write(report, java.nio.file.Path.of("target", "heldout", "heldout-evaluation.md")));
        assertThat(report).contains("Targets (simulated)").contains("Targets (recorded)");
    }
}
