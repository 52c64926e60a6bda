package io.canaryjudge.judge;

import static org.assertj.core.api.Assertions.assertThat;

import io.canaryjudge.profile.ProfileType;
import io.canaryjudge.verdict.Measure;
import java.util.List;
import org.junit.jupiter.api.Test;

/**
 * Which rise an underpowered INCONCLUSIVE names. Recorded JDK 25 virtual-thread pods (qa25): the JIT and the profiler
 * charged an inlined loop's cost to different frames in each JVM, so no function's own cost rose beyond the pods'
 * spread while `VirtualOrders.quote` went 16 % → 28 % of CPU with its callees; the summary said "no material
 * regression seen".
 */
class UnderpoweredInclusiveRiseTest {
    private static FunctionTest test(String function, Measure measure, double baseline, double canary) {
        return new FunctionTest(ProfileType.CPU, function, measure, baseline, canary, 1, 0.5, -0.1, 0.2,
                JudgeConfig.defaults().thresholds());
    }

    @Test
    void anApplicationMethodsRiseWithItsCalleesIsNamedWhenNoOwnCodeRoseSo() {
        List<FunctionTest> tests = List.of(
                test("com.shop.VirtualOrders.quote", Measure.INCLUSIVE, 0.16, 0.28),
                test("com.shop.VirtualOrders.quote", Measure.SELF, 0.01, 0.012),
                test("java.lang.Thread.run", Measure.INCLUSIVE, 0.05, 0.10));

        assertThat(Judge.largestMaterialRise(tests, JudgeConfig.defaults()))
                .isEqualTo("`com.shop.VirtualOrders.quote` rose +75 % (16.0 % → 28.0 % of CPU with its callees)");
    }

    @Test
    void ownCodeComesFirstAndLibraryOrJdkFramesWithCalleesAreNotNamed() {
        List<FunctionTest> own = List.of(
                test("com.shop.Prices.apply", Measure.SELF, 0.10, 0.20),
                test("com.shop.Prices.quote", Measure.INCLUSIVE, 0.20, 0.40));
        assertThat(Judge.largestMaterialRise(own, JudgeConfig.defaults())).endsWith("in its own code)")
                .startsWith("`com.shop.Prices.apply`");

        List<FunctionTest> jdk = List.of(test("java.util.stream.AbstractPipeline.copyInto", Measure.INCLUSIVE, 0.1, 0.2));
        assertThat(Judge.largestMaterialRise(jdk, JudgeConfig.defaults())).isNull();
    }
}
