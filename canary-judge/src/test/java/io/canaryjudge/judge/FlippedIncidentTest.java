package io.canaryjudge.judge;

import static org.assertj.core.api.Assertions.assertThat;

import io.canaryjudge.verdict.Incident;
import io.canaryjudge.verdict.Result;
import io.canaryjudge.verdict.Verdict;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

/**
 * An incident whose entry frame moved against its findings (qa53): a handler's cost with its callees fell while a
 * library's work directly below it rose. The incident's direction is its findings' (IncidentGroups.direction); its
 * size must be theirs too. Measured by the entry frame's fall it was 0 and ranked behind any other failing incident,
 * however small.
 */
class FlippedIncidentTest {
    private static final String ROUTE = "java.lang.Thread.run;com.shop.Handler.route1";
    private static final String GUAVA = ROUTE + ";com.google.common.base.Splitter.split";

    private final Judge judge = new Judge();

    /**
     * {@code Handler.route1}'s own callees get a quarter cheaper (an improvement spread over its methods) while a new
     * Guava path under it takes 3 points of CPU; elsewhere, {@code function3} under {@code route3} rises by 30 % (about
     * 2 points). Both FAIL; the 3-point new path, named at the handler, leads.
     */
    @Test
    void aRiseBelowAFallingHandlerIsSizedByItsFindingsAndLeadsASmallerRise() {
        SyntheticService service = new SyntheticService(120, 31);
        double[] canaryShares = service.shares.clone();
        for (int f = 0; f < canaryShares.length; f++) {
            if (service.parents[f].equals("com.shop.Handler.route1")) {
                canaryShares[f] *= 0.75;
            }
        }
        canaryShares[3] *= 1.3;
        List<Observation> baseline = service.group("b", service.shares, 3, 5, 20_000, 0.05, 2, SyntheticService.none());
        List<Observation> canary = service.group("c", canaryShares, 3, 5, 20_000, 0.05, 2, Map.of(GUAVA, 0.03));

        Verdict verdict = judge.judge(baseline, canary, JudgeConfig.defaults());

        assertThat(verdict.result()).as(verdict.summary()).isEqualTo(Result.FAIL);
        List<String> failing = verdict.incidents().stream().filter(Incident::failing).map(Incident::entryFrame).toList();
        assertThat(failing).as(verdict.summary()).contains("com.shop.Handler.route1", "com.shop.Module3.function3");
        Incident lead = verdict.incidents().get(0);
        assertThat(lead.entryFrame()).as(verdict.summary()).isEqualTo("com.shop.Handler.route1");
        assertThat(lead.relativeChange()).as("the handler fell with its callees").isNegative();
        assertThat(lead.functions()).contains("com.google.common.base.Splitter.split");
        assertThat(verdict.summary()).as(verdict.summary()).startsWith("FAIL: new hot path under `com.shop.Handler.route1`");
    }
}
