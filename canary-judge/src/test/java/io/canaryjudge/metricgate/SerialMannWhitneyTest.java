package io.canaryjudge.metricgate;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.within;

import java.util.Random;
import org.apache.commons.math3.stat.inference.MannWhitneyUTest;
import org.junit.jupiter.api.Test;

class SerialMannWhitneyTest {

    @Test
    void withoutTiesOrCorrelationItIsHalfTheTwoSidedNormalApproximation() {
        // Commons Math's test: normal approximation, no continuity correction, two-sided; an independent
        // implementation of the same statistic for data without ties.
        Random random = new Random(11);
        for (int trial = 0; trial < 20; trial++) {
            double[] baseline = new double[8 + trial];
            double[] canary = new double[12];
            for (int i = 0; i < baseline.length; i++) {
                baseline[i] = random.nextGaussian();
            }
            for (int i = 0; i < canary.length; i++) {
                canary[i] = random.nextGaussian() + 0.8;
            }
            double twoSided = new MannWhitneyUTest().mannWhitneyUTest(baseline, canary);

            SerialMannWhitney.Result result = SerialMannWhitney.canaryWorse(baseline, canary, true, 0);

            assertThat(result.pValue()).as("trial " + trial).isCloseTo(twoSided / 2, within(1e-9));
            assertThat(SerialMannWhitney.canaryWorse(baseline, canary, false, 0).pValue())
                    .isCloseTo(1 - twoSided / 2, within(1e-9));
        }
    }

    @Test
    void tiesUseTheTieCorrectedVariance() {
        // By hand: 7 zeros share rank 4, 3 ones rank 9; canary rank sum 35, U = 20 of 25 pairs;
        // var = 25/12 · (11 − (336 + 24)/90) = 14.583; z = 7.5 / 3.8188 = 1.9640; P(Z ≥ z) = 0.02477.
        SerialMannWhitney.Result result = SerialMannWhitney.canaryWorse(
                new double[] {0, 0, 0, 0, 0}, new double[] {0, 0, 1, 1, 1}, true, 0);

        assertThat(result.pValue()).isCloseTo(0.02477, within(5e-5));
    }

    @Test
    void serialCorrelationShrinksTheEffectiveSize() {
        double[] baseline = {1, 2, 3, 4, 5, 6, 7, 8, 9, 10};
        double[] canary = {6, 7, 8, 9, 10, 11, 12, 13, 14, 15};

        SerialMannWhitney.Result independent = SerialMannWhitney.canaryWorse(baseline, canary, true, 0);
        SerialMannWhitney.Result correlated = SerialMannWhitney.canaryWorse(baseline, canary, true, 0.6);

        assertThat(correlated.effectiveBaseline()).isCloseTo(2.5, within(1e-12));
        assertThat(correlated.pValue()).isGreaterThan(independent.pValue());
        assertThat(correlated.smallestPValue()).isGreaterThan(independent.smallestPValue());
    }

    @Test
    void nothingVaryingIsNoEvidence() {
        assertThat(SerialMannWhitney.canaryWorse(new double[] {1, 1, 1}, new double[] {1, 1, 1}, true, 0).pValue())
                .isEqualTo(0.5);
    }
}
