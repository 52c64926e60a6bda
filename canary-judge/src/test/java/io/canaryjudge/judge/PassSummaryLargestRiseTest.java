package io.canaryjudge.judge;

import static org.assertj.core.api.Assertions.assertThat;

import io.canaryjudge.profile.ProfileType;
import io.canaryjudge.verdict.Finding;
import io.canaryjudge.verdict.FindingKind;
import io.canaryjudge.verdict.Incident;
import io.canaryjudge.verdict.Measure;
import java.util.List;

import org.junit.jupiter.api.Test;

/**
 * A PASS names the largest rise it reported without counting. A canary pod restarted inside the window (qa24, 10-minute
 * timeline of real shop JVMs) PASSed with "11 rise(s) reported but not counted as regressions (each says why), the
 * largest: `…LatencyReporter.publish` -25 % (15.3 % → 11.5 % of CPU …)": the incident was grouped for a rise below
 * its entry frame (the young JVM's allocations in {@code Object.clone}) while the frame itself fell, and a fall was
 * named as the largest rise.
 */
class PassSummaryLargestRiseTest {
    private static Finding rise(String function) {
        return new Finding(ProfileType.CPU, function, FindingKind.REGRESSION, Measure.SELF, 0.01, 0.02, 1.0, 0.01,
                1e-4, 1e-3, 0.005, 0.015, false, false, List.of(function), "reported, not counted");
    }

    private static Incident incident(String frame, double change, String summary) {
        return new Incident(ProfileType.CPU, frame, FindingKind.REGRESSION, Measure.INCLUSIVE, 0.15, 0.15 * (1 + change),
                change, null, null, 1e-3, false, List.of(frame), List.of(frame), "", summary);
    }

    @Test
    void anIncidentShowingAFallIsNotNamedAsTheLargestRise() {
        String summary = Summaries.pass(List.of(rise("java.lang.Object.clone"), rise("x.Y.z")),
                List.of(incident("x.LatencyReporter.publish", -0.25, "`x.LatencyReporter.publish` -25 % (15.3 % → 11.5 %"
                                + " of CPU with its callees)"),
                        incident("x.Y.z", 0.30, "`x.Y.z` +30 % (1.0 % → 1.3 % of CPU)")),
                List.of(), List.of(), JudgeConfig.defaults());

        assertThat(summary).contains("2 rise(s) reported but not counted as regressions (each says why), the largest:"
                + " `x.Y.z` +30 %").doesNotContain("-25 %");
    }

    @Test
    void withOnlyFallsShownNoLargestRiseIsNamed() {
        String summary = Summaries.pass(List.of(rise("java.lang.Object.clone")),
                List.of(incident("x.LatencyReporter.publish", -0.25, "`x.LatencyReporter.publish` -25 %")), List.of(),
                List.of(), JudgeConfig.defaults());

        assertThat(summary).endsWith("1 rise(s) reported but not counted as regressions (each says why).");
    }
}
