package io.canaryjudge.analysis;

import static org.assertj.core.api.Assertions.assertThat;

import io.canaryjudge.metricgate.GateOutcome;
import io.canaryjudge.metricgate.MetricGate;
import io.canaryjudge.metricgate.MetricGateResult;
import io.canaryjudge.metrics.MetricQueries;
import io.canaryjudge.metrics.PrometheusConnection;
import io.canaryjudge.metrics.PrometheusHttpClient;
import io.canaryjudge.metrics.testing.CanaryTrafficScenario;
import io.canaryjudge.metrics.testing.CanaryTrafficScenario.ServicePods;
import io.canaryjudge.metrics.testing.PodTraffic;
import io.canaryjudge.metrics.testing.PrometheusProcess;
import io.canaryjudge.metrics.testing.RequestMetricsFixture;
import io.canaryjudge.profile.source.LabelMatcher;
import io.canaryjudge.profile.source.ProfileSelector;
import io.canaryjudge.profile.source.TimeWindow;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/**
 * Request counts per pod and slice, and the gates' series, from a real Prometheus (the Debian package) holding
 * backfilled traffic of baseline and canary pods: the counts are the requests each pod served in each slice.
 */
class RequestMetricsOnPrometheusTest {
    private static final Duration SLICE = Duration.ofSeconds(60);
    private static CanaryTrafficScenario scenario;
    private static RequestMetricsFixture fixture;
    private static PrometheusProcess prometheus;
    private static RequestMetrics metrics;

    @BeforeAll
    static void start() throws Exception {
        scenario = CanaryTrafficScenario.recent();
        fixture = scenario.fixture();
        prometheus = PrometheusProcess.start(fixture);
        metrics = new RequestMetrics(new PrometheusHttpClient(PrometheusConnection.of(prometheus.baseUrl())),
                "service", "pod");
    }

    @AfterAll
    static void stop() {
        if (prometheus != null) {
            prometheus.close();
        }
    }

    private static ProfileSelector selector(String service, String hash) {
        return new ProfileSelector(service, List.of(new LabelMatcher(CanaryTrafficScenario.HASH_LABEL, hash)));
    }

    @Test
    void requestCountsArePerPodAndSliceAndALatePodHasNoneBeforeItStarted() {
        ServicePods checkout = scenario.service(CanaryTrafficScenario.CHECKOUT);
        // Minutes 2..11 of the scenario as ten 60 s slices.
        TimeWindow window = new TimeWindow(fixture.start().plus(Duration.ofMinutes(2)),
                fixture.start().plus(Duration.ofMinutes(12)));
        List<TimeWindow> slices = window.split(SLICE);

        Map<String, Map<Instant, Long>> counts = metrics.requests(selector(checkout.service(), checkout.canaryHash()),
                slices, MetricQueries.defaults()).block(Duration.ofSeconds(30));

        assertThat(counts).containsOnlyKeys(checkout.canary().stream().map(PodTraffic::pod).toList());
        for (PodTraffic pod : checkout.canary()) {
            for (int m = 2; m < 12; m++) {
                Instant sliceStart = fixture.start().plus(Duration.ofMinutes(m));
                Long expected = m < pod.firstMinute() ? null : fixture.requests(pod, m);
                assertThat(counts.get(pod.pod()).get(sliceStart)).as(pod.pod() + " minute " + m).isEqualTo(expected);
            }
        }
    }

    @Test
    void theGatesSeriesTellTheFailingCanaryFromTheEqualOne() {
        TimeWindow window = new TimeWindow(fixture.start().plus(Duration.ofMinutes(10)),
                fixture.start().plus(Duration.ofMinutes(25)));
        MetricGateResult checkout = gate(scenario.service(CanaryTrafficScenario.CHECKOUT), window);
        MetricGateResult catalog = gate(scenario.service(CanaryTrafficScenario.CATALOG), window);

        assertThat(checkout.outcome()).isEqualTo(GateOutcome.FAIL);
        assertThat(checkout.failsVerdict()).isTrue();
        assertThat(checkout.comparison().canary()).isGreaterThan(0.03);
        assertThat(catalog.outcome()).isEqualTo(GateOutcome.PASS);
        assertThat(checkout.baselinePoints()).isEqualTo(15);
    }

    private static MetricGateResult gate(ServicePods service, TimeWindow window) {
        var template = MetricQueries.defaults().errorRatio();
        var baseline = metrics.series(template, selector(service.service(), service.baselineHash()), window, SLICE)
                .block(Duration.ofSeconds(30));
        var canary = metrics.series(template, selector(service.service(), service.canaryHash()), window, SLICE)
                .block(Duration.ofSeconds(30));
        return MetricGate.errorRatio().judge(baseline, canary);
    }
}
