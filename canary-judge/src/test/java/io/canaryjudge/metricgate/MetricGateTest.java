package io.canaryjudge.metricgate;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.assertj.core.api.Assertions.within;

import io.canaryjudge.metricgate.MetricGate.Direction;
import io.canaryjudge.metrics.TimeSeries;
import io.canaryjudge.verdict.MetricComparison;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.Collections;
import java.util.List;
import java.util.Map;
import java.util.Random;
import org.junit.jupiter.api.Test;

class MetricGateTest {
    private static final long T0 = 1_795_600_800_000L;

    /** One series with a point per minute. */
    private static List<TimeSeries> series(double... values) {
        long[] times = new long[values.length];
        for (int i = 0; i < values.length; i++) {
            times[i] = T0 + 60_000L * i;
        }
        return List.of(new TimeSeries(Map.of(), times, values));
    }

    private static double[] constant(int n, double value) {
        double[] values = new double[n];
        Arrays.fill(values, value);
        return values;
    }

    private static void assertNoNaN(MetricGateResult result) {
        MetricComparison c = result.comparison();
        for (Double value : Arrays.asList(c.baseline(), c.canary(), c.relativeChange(), result.pValue())) {
            assertThat(value == null || Double.isFinite(value)).as("finite or null: " + value).isTrue();
        }
        assertThat(c.note().replace("NaN/Inf skipped", "")).doesNotContain("NaN").doesNotContain("\n");
    }

    @Test
    void zeroBaselineErrorRatioFailsOnTheAbsoluteTolerance() {
        MetricGateResult result = MetricGate.errorRatio().judge(series(constant(10, 0)), series(constant(10, 0.02)));

        assertThat(result.outcome()).isEqualTo(GateOutcome.FAIL);
        assertThat(result.failsVerdict()).isTrue();
        assertThat(result.comparison().baseline()).isEqualTo(0.0);
        assertThat(result.comparison().canary()).isCloseTo(0.02, within(1e-15));
        assertThat(result.comparison().relativeChange()).isNull();
        assertThat(result.comparison().note()).startsWith("canary 2 % vs baseline 0 % (+2 percentage points;"
                + " +0.5 percentage points allowed): worse beyond tolerance and noise (Mann-Whitney p=").endsWith("fails the verdict");
        assertNoNaN(result);
    }

    @Test
    void zeroBaselineWithASmallCanaryRatioPasses() {
        MetricGateResult result = MetricGate.errorRatio().judge(series(constant(10, 0)), series(constant(10, 0.004)));

        assertThat(result.outcome()).isEqualTo(GateOutcome.PASS);
        assertThat(result.comparison().note()).contains("within tolerance; 10+10 points");
        assertThat(result.pValue()).isNull();
        assertNoNaN(result);
    }

    @Test
    void anErrorRatioWithoutErrorsPassesOnlyOnEnoughRequests() {
        MetricGate gate = MetricGate.errorRatio();
        List<TimeSeries> baseline = series(constant(10, 0.001));

        // At the limit (0.1 % + 0.5 points = 0.6 %) a canary shows no error in n requests with probability 0.994ⁿ:
        // over 5 % below -ln(0.05) / 0.006 = 500 requests.
        MetricGateResult trickle = gate.judge(baseline, series(constant(10, 0)), 40L);
        MetricGateResult enough = gate.judge(baseline, series(constant(10, 0)), 500L);
        MetricGateResult unknown = gate.judge(baseline, series(constant(10, 0)), null);

        assertThat(trickle.outcome()).isEqualTo(GateOutcome.NO_DATA);
        assertThat(trickle.failsVerdict()).isFalse();
        assertThat(trickle.comparison().note()).startsWith("the canary served 40 requests in the window, too few to"
                + " pass this gate: a canary at the allowed 0.6 % would show no error at all in 40 requests 79 % of the"
                + " time; about 500 are needed (alpha 0.05); canary 0 % vs baseline 0.1 %");
        assertThat(trickle.comparison().canary()).isZero();
        assertThat(gate.judge(baseline, series(constant(10, 0)), 499L).outcome()).isEqualTo(GateOutcome.NO_DATA);
        assertThat(enough.outcome()).isEqualTo(GateOutcome.PASS);
        assertThat(unknown.outcome()).isEqualTo(GateOutcome.PASS);
        assertNoNaN(trickle);
    }

    @Test
    void aP99LatencyPassesOnlyOnEnoughRequestsToHoldItsSlowestOnePercent() {
        MetricGateResult few = MetricGate.latencyP99().judge(series(constant(10, 0.1)), series(constant(10, 0.1)), 40L);
        MetricGateResult enough = MetricGate.latencyP99().judge(series(constant(10, 0.1)), series(constant(10, 0.1)), 300L);

        assertThat(few.outcome()).isEqualTo(GateOutcome.NO_DATA);
        assertThat(few.comparison().note()).startsWith("the canary served 40 requests in the window, too few to pass"
                + " this gate: its p99 stands on the slowest 1 % of requests, and 40 requests hold none of them 67 % of"
                + " the time; about 300 are needed (alpha 0.05); canary 100 ms vs baseline 100 ms");
        assertThat(enough.outcome()).isEqualTo(GateOutcome.PASS);
    }

    @Test
    void fewRequestsNeitherHideAFailNorBlockGatesOfOtherKinds() {
        MetricGateResult failing = MetricGate.errorRatio().judge(series(constant(10, 0)), series(constant(10, 0.2)), 40L);
        MetricGateResult throughput = new MetricGate("throughput", Direction.LOWER_IS_WORSE, 0.1, 0, 5, 0.05, true)
                .judge(series(constant(10, 5)), series(constant(10, 5)), 3L);
        MetricGateResult toleranceOnly = new MetricGate("error_ratio", Direction.HIGHER_IS_WORSE, 0.25, 0.005, 5, 1, true,
                io.canaryjudge.verdict.MetricUnit.RATIO).judge(series(constant(10, 0)), series(constant(10, 0)), 3L);

        assertThat(failing.outcome()).isEqualTo(GateOutcome.FAIL);
        assertThat(throughput.outcome()).isEqualTo(GateOutcome.PASS);
        // alpha 1 asks for no evidence at all: no request is too few.
        assertThat(toleranceOnly.outcome()).isEqualTo(GateOutcome.PASS);
    }

    @Test
    void bothZeroPassesWithoutARelativeChange() {
        MetricGateResult result = MetricGate.errorRatio().judge(series(constant(10, 0)), series(constant(10, 0)));

        assertThat(result.outcome()).isEqualTo(GateOutcome.PASS);
        assertThat(result.comparison().relativeChange()).isNull();
        assertNoNaN(result);
    }

    @Test
    void noSeriesIsNoDataNeverAPass() {
        MetricGateResult result = MetricGate.errorRatio().judge(List.of(), series(constant(10, 0.5)));

        assertThat(result.outcome()).isEqualTo(GateOutcome.NO_DATA);
        assertThat(result.failsVerdict()).isFalse();
        assertThat(result.comparison().baseline()).isNull();
        assertThat(result.comparison().canary()).isEqualTo(0.5);
        assertThat(result.comparison().relativeChange()).isNull();
        assertThat(result.comparison().note())
                .isEqualTo("no data: baseline has 0 usable points, canary has 10 usable points; at least 5 per group needed");
        assertNoNaN(result);
    }

    @Test
    void onlyNaNAndInfinityIsNoDataWithTheSkippedCounted() {
        double nan = Double.NaN;
        MetricGateResult result = MetricGate.latencyP99().judge(
                series(nan, nan, Double.POSITIVE_INFINITY, nan, nan, nan), series(0.2, 0.2, 0.2, 0.2, 0.2, 0.2));

        assertThat(result.outcome()).isEqualTo(GateOutcome.NO_DATA);
        assertThat(result.skippedPoints()).isEqualTo(6);
        assertThat(result.comparison().note()).contains("baseline has 0 usable points (6 NaN/Inf skipped: steps without"
                + " requests give 0/0)");
        assertNoNaN(result);
    }

    @Test
    void nanAndInfinitePointsAreSkippedAndCounted() {
        MetricGateResult result = MetricGate.errorRatio().judge(
                series(0.01, Double.NaN, 0.01, 0.01, Double.POSITIVE_INFINITY, 0.01, 0.01),
                series(0.01, 0.01, Double.NEGATIVE_INFINITY, 0.01, 0.01, 0.01));

        assertThat(result.outcome()).isEqualTo(GateOutcome.PASS);
        assertThat(result.comparison().baseline()).isEqualTo(0.01);
        assertThat(result.comparison().canary()).isEqualTo(0.01);
        assertThat(result.baselinePoints()).isEqualTo(5);
        assertThat(result.canaryPoints()).isEqualTo(5);
        assertThat(result.skippedPoints()).isEqualTo(3);
        assertThat(result.comparison().note()).endsWith("5+5 points, 3 NaN/Inf skipped");
        assertNoNaN(result);
    }

    @Test
    void fewerPointsThanTheMinimumIsNoData() {
        MetricGateResult result = MetricGate.errorRatio().judge(series(constant(4, 0)), series(constant(10, 0.5)));

        assertThat(result.outcome()).isEqualTo(GateOutcome.NO_DATA);
        assertThat(result.comparison().note()).contains("baseline has 4 usable points");
    }

    @Test
    void relativeToleranceEdgeIsAPassAndJustBeyondIsAFail() {
        MetricGate gate = new MetricGate("latency_p99", Direction.HIGHER_IS_WORSE, 0.25, 0, 5, 0.05, true);
        // 0.5 × 1.25 = 0.625 exactly in binary floating point.
        MetricGateResult atEdge = gate.judge(series(constant(10, 0.5)), series(constant(10, 0.625)));
        MetricGateResult beyond = gate.judge(series(constant(10, 0.5)), series(constant(10, Math.nextUp(0.625))));

        assertThat(atEdge.outcome()).isEqualTo(GateOutcome.PASS);
        assertThat(atEdge.comparison().relativeChange()).isEqualTo(0.25);
        assertThat(beyond.outcome()).isEqualTo(GateOutcome.FAIL);
    }

    @Test
    void absoluteToleranceEdgeIsAPassAndJustBeyondIsAFail() {
        MetricGate gate = MetricGate.errorRatio();

        assertThat(gate.judge(series(constant(10, 0)), series(constant(10, 0.005))).outcome())
                .isEqualTo(GateOutcome.PASS);
        assertThat(gate.judge(series(constant(10, 0)), series(constant(10, Math.nextUp(0.005)))).outcome())
                .isEqualTo(GateOutcome.FAIL);
    }

    @Test
    void theLargerToleranceApplies() {
        // Baseline 0.1: relative 25 % allows 0.025, more than the absolute 0.005.
        MetricGate gate = MetricGate.errorRatio();

        assertThat(gate.judge(series(constant(10, 0.1)), series(constant(10, 0.12))).outcome())
                .isEqualTo(GateOutcome.PASS);
        assertThat(gate.judge(series(constant(10, 0.1)), series(constant(10, 0.13))).outcome())
                .isEqualTo(GateOutcome.FAIL);
    }

    @Test
    void lowerIsWorseFailsOnADrop() {
        MetricGate successRatio = new MetricGate("success_ratio", Direction.LOWER_IS_WORSE, 0, 0.01, 5, 0.05, true);

        MetricGateResult drop = successRatio.judge(series(constant(10, 0.99)), series(constant(10, 0.95)));
        MetricGateResult rise = successRatio.judge(series(constant(10, 0.95)), series(constant(10, 0.99)));

        assertThat(drop.outcome()).isEqualTo(GateOutcome.FAIL);
        assertThat(drop.comparison().note()).contains("(-0.04; -0.01 allowed)");
        assertThat(rise.outcome()).isEqualTo(GateOutcome.PASS);
    }

    @Test
    void aSingleBurstIsBeyondToleranceButWithinNoise() {
        double[] canary = constant(10, 0);
        canary[4] = 0.5;

        MetricGateResult result = MetricGate.errorRatio().judge(series(constant(10, 0)), series(canary));

        assertThat(result.outcome()).isEqualTo(GateOutcome.PASS);
        assertThat(result.comparison().canary()).isCloseTo(0.05, within(1e-15));
        assertThat(result.comparison().note()).contains("beyond tolerance but within noise (Mann-Whitney p=");
        assertThat(result.pValue()).isGreaterThan(0.05);
    }

    @Test
    void alphaOneJudgesOnTheToleranceAlone() {
        double[] canary = constant(10, 0);
        canary[4] = 0.5;
        MetricGate toleranceOnly = new MetricGate("error_ratio", Direction.HIGHER_IS_WORSE, 0.25, 0.005, 5, 1, true);

        assertThat(toleranceOnly.judge(series(constant(10, 0)), series(canary)).outcome()).isEqualTo(GateOutcome.FAIL);
    }

    @Test
    void tooFewIndependentPointsIsNoDataEvenWhenFarApart() {
        MetricGate twoPoints = new MetricGate("error_ratio", Direction.HIGHER_IS_WORSE, 0.25, 0.005, 2, 0.05, true);

        MetricGateResult result = twoPoints.judge(series(0.0, 0.0), series(0.3, 0.4));

        assertThat(result.outcome()).isEqualTo(GateOutcome.NO_DATA);
        assertThat(result.comparison().note()).contains("too few independent points to tell it from noise");
    }

    @Test
    void aFailReportedOnlyDoesNotFailTheVerdict() {
        MetricGateResult result = MetricGate.latencyP99().judge(series(constant(10, 0.2)), series(constant(10, 0.5)));

        assertThat(result.outcome()).isEqualTo(GateOutcome.FAIL);
        assertThat(result.failsVerdict()).isFalse();
        assertThat(result.comparison().note()).endsWith("reported only, does not fail the verdict");
        assertThat(MetricGate.latencyP99().withFailsVerdict(true)
                .judge(series(constant(10, 0.2)), series(constant(10, 0.5))).failsVerdict()).isTrue();
    }

    @Test
    void seriesOfSeveralPodsArePooled() {
        List<TimeSeries> baseline = new ArrayList<>(series(constant(3, 0.01)));
        baseline.addAll(series(constant(3, 0.03)));
        List<TimeSeries> canary = new ArrayList<>(series(constant(3, 0.02)));
        canary.addAll(series(constant(3, 0.02)));

        MetricGateResult result = MetricGate.errorRatio().judge(baseline, canary);

        assertThat(result.baselinePoints()).isEqualTo(6);
        assertThat(result.comparison().baseline()).isCloseTo(0.02, within(1e-15));
        assertThat(result.outcome()).isEqualTo(GateOutcome.PASS);
    }

    @Test
    void serialCorrelationInTheBaselineWeakensTheEvidence() {
        // The same 30 baseline values, once as a slow wave (neighbours alike) and once shuffled.
        double[] wave = new double[30];
        for (int i = 0; i < wave.length; i++) {
            wave[i] = 0.10 + 0.02 * Math.sin(2 * Math.PI * i / 30.0);
        }
        List<Double> shuffled = new ArrayList<>();
        for (double v : wave) {
            shuffled.add(v);
        }
        Collections.shuffle(shuffled, new Random(7));
        double[] independent = shuffled.stream().mapToDouble(Double::doubleValue).toArray();
        double[] canary = new double[30];
        for (int i = 0; i < canary.length; i++) {
            canary[i] = wave[(i + 7) % 30] + 0.012;
        }
        MetricGate gate = new MetricGate("latency_p99", Direction.HIGHER_IS_WORSE, 0.05, 0, 5, 0.05, true);

        MetricGateResult fromWave = gate.judge(series(wave), series(canary));
        MetricGateResult fromShuffled = gate.judge(series(independent), series(canary));

        assertThat(SeriesSample.of(series(wave)).lag1()).isGreaterThan(0.8);
        assertThat(fromShuffled.outcome()).isEqualTo(GateOutcome.FAIL);
        assertThat(fromWave.outcome()).isNotEqualTo(GateOutcome.FAIL);
        assertThat(fromWave.pValue()).isGreaterThan(fromShuffled.pValue());
    }

    @Test
    void badConfigurationIsRefusedNamingTheField() {
        assertThatThrownBy(() -> new MetricGate("error_ratio", Direction.HIGHER_IS_WORSE, -0.1, 0, 5, 0.05, true))
                .hasMessage("metric gate error_ratio: relativeTolerance must be a fraction of the baseline in [0, 10]"
                        + " (0.25 = 25 %), was -0.1");
        // 25 written for 25 %: the canary could be 26 times as bad as the baseline
        assertThatThrownBy(() -> new MetricGate("latency_p99", Direction.HIGHER_IS_WORSE, 25, 0, 5, 0.05, true))
                .hasMessage("metric gate latency_p99: relativeTolerance must be a fraction of the baseline in [0, 10]"
                        + " (0.25 = 25 %), was 25.0");
        assertThat(new MetricGate("latency_p99", Direction.HIGHER_IS_WORSE, 2.5, 0, 5, 0.05, true).relativeTolerance())
                .isEqualTo(2.5);
        assertThatThrownBy(() -> new MetricGate("error_ratio", Direction.HIGHER_IS_WORSE, 0.1, Double.NaN, 5, 0.05, true))
                .hasMessageContaining("absoluteTolerance must be in");
        assertThatThrownBy(() -> new MetricGate("error_ratio", Direction.HIGHER_IS_WORSE, 0.1, 0, 1, 0.05, true))
                .hasMessage("metric gate error_ratio: minPoints must be at least 2, was 1");
        assertThatThrownBy(() -> new MetricGate("error_ratio", Direction.HIGHER_IS_WORSE, 0.1, 0, 5, 0, true))
                .hasMessage("metric gate error_ratio: alpha must be in (0, 1], was 0.0");
        assertThatThrownBy(() -> new MetricGate(" ", Direction.HIGHER_IS_WORSE, 0.1, 0, 5, 0.05, true))
                .hasMessage("metric gate name must not be empty");
    }

    /**
     * An error ratio moves within 0..1, so an absolute tolerance of 1 or more (0.5 percentage points written as 0.5,
     * or 5 for 5 %) made a gate that could never fail, accepted without a word.
     */
    @Test
    void aRatioGateWhoseAbsoluteToleranceNoRatioCanExceedIsRefused() {
        assertThatThrownBy(() -> MetricGate.errorRatio().withTolerances(0.25, 5))
                .hasMessage("metric gate error_ratio: absoluteTolerance must be below 1 for a ratio (0.005 = 0.5"
                        + " percentage points), was 5.0, which no ratio can exceed");
        assertThat(MetricGate.errorRatio().withTolerances(0.25, 0.5).absoluteTolerance()).isEqualTo(0.5);
        // seconds are no ratio: a latency gate may allow a second
        assertThat(MetricGate.latencyP99().withTolerances(0.2, 1.5).absoluteTolerance()).isEqualTo(1.5);
    }
}
