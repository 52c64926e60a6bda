package io.canaryjudge.judge.memory;

import static org.assertj.core.api.Assertions.assertThat;

import io.canaryjudge.profile.ProfileType;
import java.util.List;
import org.junit.jupiter.api.Test;

/** The words of a growing canary's finding when the live-object profiles name no site (qa66). */
class NoSiteWordsTest {
    private static LeakSite scrape(double risePerSecond) {
        return new LeakSite("io.canaryjudge.memory.MemoryPod.lambda$main$0",
                List.of("java.lang.Thread.run", "io.canaryjudge.memory.MemoryPod.lambda$main$0"), ProfileType.LIVE_BYTES,
                0.022, 0.019, risePerSecond);
    }

    @Test
    void aSiteHoldingLessThanTheBaselineIsSaidToHoldNoMoreNotANegativeRate() {
        // before: "the canary pods held -6.2 KB/s of live bytes against the most a baseline pod held"
        String words = MemoryGrowthAnalysis.unexplained(scrape(-6_200), 14_500);

        assertThat(words).contains("the canary pods held no more live bytes than the baseline pods (6.2 KB/s less than"
                        + " the most a baseline pod held), under a quarter of the growth (14.5 KB/s at the canary's traffic)")
                .doesNotContain("-6.2").doesNotContain("−6.2");
    }

    @Test
    void aSmallRiseIsSaidAsMore() {
        String words = MemoryGrowthAnalysis.unexplained(scrape(100), 14_500);

        assertThat(words).contains("the canary pods held 0.1 KB/s of live bytes more than the most a baseline pod held,"
                + " under a quarter of the growth").doesNotContain("+0.1");
    }
}
