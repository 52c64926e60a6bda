package io.canaryjudge.judge;

import static org.assertj.core.api.Assertions.assertThat;

import io.canaryjudge.profile.ProfileType;
import io.canaryjudge.verdict.Finding;
import io.canaryjudge.verdict.FindingKind;
import io.canaryjudge.verdict.Measure;
import java.util.List;
import org.junit.jupiter.api.Test;

/** What an incident's headline quotes: the comparison that failed, with the numbers that belong to its q-value. */
class IncidentHeadlineTest {
    private static final List<String> PATH = List.of("java.lang.Thread.run", "com.shop.Orders.price");

    private static Finding comparison(Measure measure, double baseline, double canary, double q, boolean failing) {
        return new Finding(ProfileType.CPU, "com.shop.Orders.price", FindingKind.REGRESSION, measure, baseline, canary,
                canary / baseline - 1, canary - baseline, q, q, null, null, failing, false, PATH, "");
    }

    @Test
    void anOwnCodeRiseThatItsInclusiveCostDidNotCarryIsQuotedAsOwnCode() {
        // The tuning simulator's case: self 0.22 % → 0.85 % failed (q = 2.5e-04) while the frame with its callees went
        // 7.6 % → 7.8 %; the headline read "+2.5 % (7.6 % → 7.8 % … q = 2.5e-04), mostly its own code".
        Finding inclusive = comparison(Measure.INCLUSIVE, 0.076, 0.078, 0.4, true);
        Finding self = comparison(Measure.SELF, 0.0022, 0.0085, 2.5e-4, true);

        String headline = Summaries.incident(inclusive, FindingKind.REGRESSION, FrameClass.APPLICATION, null, 2.5e-4,
                null, null, self, null);

        assertThat(headline).isEqualTo("`com.shop.Orders.price` +286 % in its own code (0.22 % → 0.85 % of CPU,"
                + " q = 2.5e-04; 7.6 % → 7.8 % with its callees)");
    }

    @Test
    void aRiseItsInclusiveCostCarriesKeepsTheInclusiveHeadline() {
        Finding inclusive = comparison(Measure.INCLUSIVE, 0.214, 0.271, 1.2e-5, true);

        String headline = Summaries.incident(inclusive, FindingKind.REGRESSION, FrameClass.APPLICATION, null, 1.2e-5,
                null, null, null, null);

        assertThat(headline).isEqualTo("`com.shop.Orders.price` +27 % (21.4 % → 27.1 % of CPU with its callees,"
                + " q = 1.2e-05)");
    }
}
