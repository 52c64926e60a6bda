package io.canaryjudge.eval;

import static org.assertj.core.api.Assertions.assertThat;

import io.canaryjudge.judge.JudgeConfig;
import org.junit.jupiter.api.Test;

/**
 * A small slice of the evaluation (docs/EVALUATION.md) that runs with the normal test suite:
 * few enough cases to take seconds, enough to catch a judge that became noisy or blind.
 */
class JudgeOnSimulatedProfilesTest {
    private final EvaluationRunner runner = new EvaluationRunner(JudgeConfig.defaults(), 1, java.util.List.of());

    @Test
    void sameCodeRarelyFailsUnderRealisticNoise() {
        CellResult aa = runner.run(EvaluationGrid.centre().withChange(0), 0, 300);

        assertThat(aa.judgeErrors()).as(String.valueOf(aa.firstError())).isZero();
        assertThat(aa.judgeFalseFail().value()).as("A/A false-FAIL rate, " + aa.setting().label()).isLessThanOrEqualTo(0.03);
    }

    @Test
    void largeRegressionInAHotFunctionFailsNamingIt() {
        SimulationSetting easy = EvaluationGrid.centre().withChange(0.5).withTargetShare(0.05);
        CellResult result = runner.run(easy, 60, 0);

        assertThat(result.judgeErrors()).as(String.valueOf(result.firstError())).isZero();
        assertThat(result.judgeFail().value()).as("detection, " + easy.label()).isGreaterThanOrEqualTo(0.90);
        assertThat(result.judgeCulprit().value()).as("first failing finding is the target").isGreaterThanOrEqualTo(0.90);
    }

    @Test
    void changeBelowTheMaterialityFloorDoesNotFail() {
        SimulationSetting tiny = EvaluationGrid.centre().withChange(0.02).withSamples(500_000).withPodCv(0);
        CellResult result = runner.run(tiny, 60, 0);

        assertThat(tiny.material(JudgeConfig.defaults().thresholds())).isFalse();
        assertThat(result.judgeErrors()).as(String.valueOf(result.firstError())).isZero();
        assertThat(result.judgeFail().value()).as("FAIL rate for a +2 %% change").isLessThanOrEqualTo(0.05);
    }

    /**
     * Ten identical JVMs per side with one profile each: the between-pod noise the judge assumes
     * must come from the pods' own spread, and with none there it must be about none. The estimate is a
     * median-based fit across functions with nothing subtracted from it (docs/EVALUATION.md): on these
     * 100 A/A cases its median is 0.7 % and 11 lie above 1.5 %.
     */
    @Test
    void identicalJvmsWithOneProfileEachAreNotReadAsPodNoise() {
        SimulationSetting aa = EvaluationGrid.keyExample(2).withPods(10).withSlices(1).withChange(0);
        CellResult result = runner.run(aa, 0, 100);

        assertThat(result.judgeErrors()).as(String.valueOf(result.firstError())).isZero();
        double[] cv = result.unchanged().stream().mapToDouble(CaseOutcome::estimatedPodCv).sorted().toArray();
        assertThat(cv[50]).as("median estimated between-pod CV (true: 0)").isLessThan(0.01);
        long inflated = result.unchanged().stream().filter(o -> o.estimatedPodCv() > 0.015).count();
        assertThat(inflated).as("A/A cases with an estimated between-pod CV above 1.5 %% (true: 0)").isLessThanOrEqualTo(15);
    }
}
