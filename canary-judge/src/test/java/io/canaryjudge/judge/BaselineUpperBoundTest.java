package io.canaryjudge.judge;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.within;

import java.util.SplittableRandom;
import org.junit.jupiter.api.Test;

/**
 * The one-sided 95 % Poisson bound {@link FunctionTests#baselineUpper} puts on a rarely sampled function's baseline
 * share (qa85): the rule of three at no sample, the tabulated exact bounds above, and coverage of at least 95 % when
 * counts are drawn from a known rate.
 */
class BaselineUpperBoundTest {
    @Test
    void theExactBoundsAreTheTabulatedOnes() {
        // Garwood's exact one-sided 95 % upper limits: 2.996, 4.744, 6.296, 7.754 (e.g. Johnson, Kemp & Kotz, table).
        assertThat(FunctionTests.poissonUpper95(0)).isCloseTo(2.996, within(0.001));
        assertThat(FunctionTests.poissonUpper95(1)).isCloseTo(4.744, within(0.001));
        assertThat(FunctionTests.poissonUpper95(2)).isCloseTo(6.296, within(0.001));
        assertThat(FunctionTests.poissonUpper95(3)).isCloseTo(7.754, within(0.001));
    }

    @Test
    void theBoundCoversTheTrueRateAtLeast95PercentOfTheTime() {
        SplittableRandom random = new SplittableRandom(85);
        for (double rate : new double[] {0.5, 2, 5}) {
            int covered = 0;
            int runs = 4_000;
            for (int r = 0; r < runs; r++) {
                if (FunctionTests.poissonUpper95(poisson(random, rate)) >= rate) {
                    covered++;
                }
            }
            assertThat(covered / (double) runs).as("rate %s", rate).isGreaterThanOrEqualTo(0.94);
        }
    }

    private static int poisson(SplittableRandom random, double rate) {
        double limit = Math.exp(-rate);
        double product = random.nextDouble();
        int k = 0;
        while (product > limit) {
            product *= random.nextDouble();
            k++;
        }
        return k;
    }
}
