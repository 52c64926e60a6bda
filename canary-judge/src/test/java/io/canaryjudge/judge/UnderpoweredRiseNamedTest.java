package io.canaryjudge.judge;

import static org.assertj.core.api.Assertions.assertThat;

import io.canaryjudge.verdict.Result;
import io.canaryjudge.verdict.Verdict;
import java.util.List;
import org.junit.jupiter.api.Test;

/**
 * An underpowered INCONCLUSIVE names the rise it could not resolve. qa26's recorded rollouts: the canary doubled
 * {@code PriceCalculator.applyDiscounts} (19 % → 40 % of CPU) and, at two pods a side whose request rates differed
 * 8×, every analysis said "INCONCLUSIVE: no material regression seen, but these data could only detect a change of
 * 280 %…" — an Argo rollout paused on it, and a person reading it would promote a doubled hot function.
 */
class UnderpoweredRiseNamedTest {
    private final Judge judge = new Judge();

    @Test
    void aDoubledFunctionThatTheNoiseHidesIsNamedNotCalledUnseen() {
        SyntheticService service = new SyntheticService(120, 7);
        // Two pods a side with between-pod CV 0.3: function0 (about a fifth of the CPU) runs three times as often in the canary: its share doubles.
        List<Observation> baseline = service.group("b", service.shares, 2, 5, 2_000, 0.3, 1.5, SyntheticService.none());
        List<Observation> canary = service.group("c", service.withChange(0, 2.0), 2, 5, 2_000, 0.3, 1.5,
                SyntheticService.none());
        Verdict verdict = judge.judge(baseline, canary, JudgeConfig.defaults());

        assertThat(verdict.result()).as(verdict.summary()).isEqualTo(Result.INCONCLUSIVE);
        assertThat(verdict.summary()).as(verdict.summary()).contains("could only detect a change of")
                .doesNotContain("no material regression seen")
                .startsWith("INCONCLUSIVE: `com.shop.Module0.function0` rose +")
                .contains(" of CPU in its own code), within what these pods' noise allows, but these data");
    }

    /**
     * Noise is not named: at between-pod CV 0.8 small functions rise by more than 200 % in an A/A (one of 1.4 % of
     * the CPU rose to 4.9 %); only a rise the summary's yardstick covers — at least maxDetectableChange in a function
     * at 5 % or more — is one these data admit they could miss.
     */
    @Test
    void smallFunctionsNoiseIsNotNamed() {
        SyntheticService service = new SyntheticService(120, 7);
        List<Observation> baseline = service.group("b", service.shares, 2, 5, 2_000, 0.8, 1.5, SyntheticService.none());
        List<Observation> canary = service.group("c", service.shares, 2, 5, 2_000, 0.8, 1.5, SyntheticService.none());
        Verdict verdict = judge.judge(baseline, canary, JudgeConfig.defaults());

        assertThat(verdict.result()).as(verdict.summary()).isEqualTo(Result.INCONCLUSIVE);
        assertThat(verdict.summary()).startsWith("INCONCLUSIVE: no material regression seen, but these data");
    }
}
