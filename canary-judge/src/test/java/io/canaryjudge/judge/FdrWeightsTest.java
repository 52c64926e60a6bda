package io.canaryjudge.judge;

import static org.assertj.core.api.Assertions.assertThat;

import io.canaryjudge.profile.ProfileType;
import io.canaryjudge.verdict.Measure;
import org.junit.jupiter.api.Test;

/** Which tests {@link FdrWeights} spends no budget on: those that cannot rise materially, and only those. */
class FdrWeightsTest {
    private static final JudgeConfig CONFIG = JudgeConfig.defaults();

    @Test
    void aThreadRootAtTheWholeProfileInBothGroupsGetsNoWeight() {
        assertThat(FdrWeights.weight(test("java.lang.Thread.run", Measure.INCLUSIVE, 0.99, 0.995), CONFIG)).isZero();
    }

    /**
     * Normalised for composition, a function that took most of the CPU from every other one holds more than the whole
     * profile in the canary (40 % → 95 % of the samples read 11.7 % → 324.7 %): its pooled share passes 1, and it got
     * the thread root's weight 0 — q = 1, "unchanged", for the largest regression there is.
     */
    @Test
    void aFunctionThatRoseBeyondTheWholeProfileKeepsItsWeight() {
        double weight = FdrWeights.weight(test("com.x.Svc.a", Measure.SELF, 0.117, 3.247), CONFIG);

        assertThat(weight).isGreaterThan(FdrWeights.weight(test("com.x.Svc.a", Measure.SELF, 0.4, 0.4), CONFIG));
    }

    private static FunctionTest test(String function, Measure measure, double baseline, double canary) {
        return new FunctionTest(ProfileType.CPU, function, measure, baseline, canary, 1.0, 0.01, 0, 0,
                CONFIG.thresholdsFor(function));
    }
}
