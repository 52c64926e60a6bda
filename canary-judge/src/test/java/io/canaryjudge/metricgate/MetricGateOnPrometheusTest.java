package io.canaryjudge.metricgate;

import static org.assertj.core.api.Assertions.assertThat;

import io.canaryjudge.metrics.MetricQueries;
import io.canaryjudge.metrics.PrometheusConnection;
import io.canaryjudge.metrics.PrometheusHttpClient;
import io.canaryjudge.metrics.QueryParameters;
import io.canaryjudge.metrics.QueryTemplate;
import io.canaryjudge.metrics.TimeSeries;
import io.canaryjudge.metrics.testing.CanaryTrafficScenario;
import io.canaryjudge.metrics.testing.CanaryTrafficScenario.ServicePods;
import io.canaryjudge.metrics.testing.PrometheusProcess;
import io.canaryjudge.metrics.testing.RequestMetricsFixture;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/**
 * The metric gates on what a real Prometheus 2.42 answers for the default queries over
 * {@link CanaryTrafficScenario}'s backfilled traffic (3 baseline and 3 canary pods per service).
 */
class MetricGateOnPrometheusTest {
    private static final Duration STEP = Duration.ofSeconds(60);
    private static final Duration WAIT = Duration.ofSeconds(30);

    private static CanaryTrafficScenario scenario;
    private static RequestMetricsFixture fixture;
    private static PrometheusProcess prometheus;
    private static PrometheusHttpClient client;

    @BeforeAll
    static void startPrometheus() throws Exception {
        scenario = CanaryTrafficScenario.recent();
        fixture = scenario.fixture();
        prometheus = PrometheusProcess.start(fixture);
        client = new PrometheusHttpClient(PrometheusConnection.of(prometheus.baseUrl()).withTimeout(Duration.ofSeconds(20)));
    }

    @AfterAll
    static void stopPrometheus() {
        if (prometheus != null) {
            prometheus.close();
        }
    }

    private static List<TimeSeries> query(QueryTemplate template, Map<String, String> selector) {
        String promql = template.render(QueryParameters.of(selector, STEP));
        return client.queryRange(promql, fixture.start(), fixture.end(), STEP).block(WAIT);
    }

    private static MetricGateResult judge(MetricGate gate, QueryTemplate template, ServicePods service) {
        return gate.judge(query(template, service.baselineSelector()), query(template, service.canarySelector()));
    }

    @Test
    void canaryWithAHigherErrorRatioFailsTheVerdict() {
        MetricGateResult result = judge(MetricGate.errorRatio(), MetricQueries.defaults().errorRatio(),
                scenario.service(CanaryTrafficScenario.CHECKOUT));

        assertThat(result.outcome()).isEqualTo(GateOutcome.FAIL);
        assertThat(result.failsVerdict()).isTrue();
        assertThat(result.comparison().canary()).isGreaterThan(0.03);
        assertThat(result.comparison().baseline()).isLessThan(0.005);
        assertThat(result.baselinePoints()).isEqualTo(fixture.minutes());
        assertThat(result.pValue()).isLessThan(0.001);
    }

    @Test
    void equalErrorRatiosPass() {
        MetricGateResult result = judge(MetricGate.errorRatio(), MetricQueries.defaults().errorRatio(),
                scenario.service(CanaryTrafficScenario.CATALOG));

        assertThat(result.outcome()).isEqualTo(GateOutcome.PASS);
        assertThat(result.failsVerdict()).isFalse();
        assertThat(result.comparison().relativeChange()).isNotNull();
        assertThat(Math.abs(result.comparison().relativeChange())).isLessThan(0.05);
        assertThat(result.comparison().note()).contains("within tolerance");
    }

    @Test
    void baselineThatNeverFailedStillLetsTheCanaryFail() {
        MetricGateResult result = judge(MetricGate.errorRatio(), MetricQueries.defaults().errorRatio(),
                scenario.service(CanaryTrafficScenario.SEARCH));

        assertThat(result.outcome()).isEqualTo(GateOutcome.FAIL);
        assertThat(result.comparison().baseline()).isEqualTo(0.0);
        assertThat(result.comparison().relativeChange()).isNull();
    }

    @Test
    void slowerCanaryFailsTheLatencyGateWhichIsReportedOnlyByDefault() {
        ServicePods checkout = scenario.service(CanaryTrafficScenario.CHECKOUT);
        ServicePods catalog = scenario.service(CanaryTrafficScenario.CATALOG);

        MetricGateResult slower = judge(MetricGate.latencyP99(), MetricQueries.defaults().latencyP99(), checkout);
        MetricGateResult same = judge(MetricGate.latencyP99(), MetricQueries.defaults().latencyP99(), catalog);

        assertThat(slower.outcome()).isEqualTo(GateOutcome.FAIL);
        assertThat(slower.failsVerdict()).isFalse();
        assertThat(same.outcome()).isEqualTo(GateOutcome.PASS);
    }

    @Test
    void aServiceWithoutMetricsIsNoData() {
        Map<String, String> nothing = Map.of("service", "no-such-service");

        MetricGateResult result = MetricGate.errorRatio().judge(
                query(MetricQueries.defaults().errorRatio(), nothing), query(MetricQueries.defaults().errorRatio(), nothing));

        assertThat(result.outcome()).isEqualTo(GateOutcome.NO_DATA);
        assertThat(result.comparison().baseline()).isNull();
        assertThat(result.comparison().canary()).isNull();
    }
}
