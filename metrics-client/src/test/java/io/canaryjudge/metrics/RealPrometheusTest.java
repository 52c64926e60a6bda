package io.canaryjudge.metrics;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.within;

import io.canaryjudge.metrics.MetricsException.Kind;
import io.canaryjudge.metrics.testing.CanaryTrafficScenario;
import io.canaryjudge.metrics.testing.CanaryTrafficScenario.ServicePods;
import io.canaryjudge.metrics.testing.PodTraffic;
import io.canaryjudge.metrics.testing.PrometheusProcess;
import io.canaryjudge.metrics.testing.RequestMetricsFixture;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/**
 * The client, the default queries and the escaping against a real Prometheus 2.42 (Debian package)
 * serving {@link CanaryTrafficScenario}'s backfilled series; expected numbers come from the fixture's
 * own bookkeeping, not from Prometheus.
 */
class RealPrometheusTest {
    private static final Duration SLICE = Duration.ofSeconds(60);
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

    private static List<TimeSeries> query(QueryTemplate template, QueryParameters parameters) {
        return query(template.render(parameters));
    }

    private static List<TimeSeries> query(String promql) {
        return client.queryRange(promql, fixture.start(), fixture.end(), SLICE).block(WAIT);
    }

    private static QueryParameters parameters(Map<String, String> selector) {
        return QueryParameters.of(selector, SLICE).withInstanceLabel("pod");
    }

    /** Minute m is reported at minuteEnd(m); minutes from {@code first} to the window's last. */
    private static long[] minuteEnds(int first) {
        long[] times = new long[fixture.minutes() - first];
        for (int m = first; m < fixture.minutes(); m++) {
            times[m - first] = fixture.minuteEnd(m).toEpochMilli();
        }
        return times;
    }

    private static int minuteOf(long timestampMillis) {
        return (int) Duration.between(fixture.start(), Instant.ofEpochMilli(timestampMillis)).toMinutes() - 1;
    }

    @Test
    void prometheusIsReady() {
        assertThat(client.ready().block(WAIT)).isTrue();
    }

    @Test
    void requestCountsPerPodPerSliceAreExactAndALatePodHasGaps() {
        ServicePods checkout = scenario.service(CanaryTrafficScenario.CHECKOUT);

        List<TimeSeries> series = query(MetricQueries.defaults().requestsPerInstance(),
                parameters(checkout.canarySelector()));

        assertThat(series).extracting(s -> s.labels().get("pod"))
                .containsExactlyInAnyOrderElementsOf(checkout.canary().stream().map(PodTraffic::pod).toList());
        for (PodTraffic pod : checkout.canary()) {
            TimeSeries one = series.stream().filter(s -> pod.pod().equals(s.labels().get("pod"))).findFirst().orElseThrow();
            // The pod started late has no points before its first full minute: a gap, not zeros.
            assertThat(one.timestampsMillis()).as(pod.pod()).containsExactly(minuteEnds(pod.firstMinute()));
            long[] times = one.timestampsMillis();
            double[] values = one.values();
            for (int i = 0; i < times.length; i++) {
                assertThat(values[i]).as(pod.pod() + " minute " + minuteOf(times[i]))
                        .isCloseTo(fixture.requests(pod, minuteOf(times[i])), within(1e-9));
            }
        }
        assertThat(scenario.service(CanaryTrafficScenario.CHECKOUT).canary().get(2).firstMinute()).isEqualTo(5);
    }

    @Test
    void requestsPerGroupSumThePods() {
        ServicePods catalog = scenario.service(CanaryTrafficScenario.CATALOG);

        TimeSeries total = single(query(MetricQueries.defaults().requests(), parameters(catalog.baselineSelector())));

        double[] values = total.values();
        long[] times = total.timestampsMillis();
        assertThat(times).containsExactly(minuteEnds(0));
        for (int i = 0; i < times.length; i++) {
            int minute = minuteOf(times[i]);
            long expected = catalog.baseline().stream().mapToLong(p -> fixture.requests(p, minute)).sum();
            assertThat(values[i]).isCloseTo(expected, within(1e-9));
        }
    }

    @Test
    void errorRatioPerGroupMatchesWhatWasWritten() {
        ServicePods checkout = scenario.service(CanaryTrafficScenario.CHECKOUT);

        assertRatios(single(query(MetricQueries.defaults().errorRatio(), parameters(checkout.baselineSelector()))),
                checkout.baseline());
        assertRatios(single(query(MetricQueries.defaults().errorRatio(), parameters(checkout.canarySelector()))),
                checkout.canary());
    }

    @Test
    void groupWithoutAnyErrorSeriesHasRatioZeroNotNoData() {
        ServicePods search = scenario.service(CanaryTrafficScenario.SEARCH);

        TimeSeries ratio = single(query(MetricQueries.defaults().errorRatio(), parameters(search.baselineSelector())));

        assertThat(ratio.timestampsMillis()).containsExactly(minuteEnds(0));
        assertThat(ratio.values()).containsOnly(0.0);
        assertRatios(single(query(MetricQueries.defaults().errorRatio(), parameters(search.canarySelector()))),
                search.canary());
    }

    private static void assertRatios(TimeSeries ratio, List<PodTraffic> group) {
        long[] times = ratio.timestampsMillis();
        double[] values = ratio.values();
        assertThat(times).containsExactly(minuteEnds(0));
        for (int i = 0; i < times.length; i++) {
            int minute = minuteOf(times[i]);
            assertThat(values[i]).as("minute " + minute).isCloseTo(fixture.errorRatio(group, minute), within(1e-12));
        }
    }

    @Test
    void latencyP99PerGroupFollowsTheHistogram() {
        ServicePods checkout = scenario.service(CanaryTrafficScenario.CHECKOUT);

        TimeSeries baseline = single(query(MetricQueries.defaults().latencyP99(), parameters(checkout.baselineSelector())));
        TimeSeries canary = single(query(MetricQueries.defaults().latencyP99(), parameters(checkout.canarySelector())));

        for (TimeSeries p99 : List.of(baseline, canary)) {
            List<PodTraffic> group = p99 == baseline ? checkout.baseline() : checkout.canary();
            long[] times = p99.timestampsMillis();
            assertThat(times).containsExactly(minuteEnds(0));
            for (int i = 0; i < times.length; i++) {
                int minute = minuteOf(times[i]);
                assertThat(p99.values()[i]).as("minute " + minute)
                        .isCloseTo(fixture.latencyQuantile(group, minute, 0.99), within(1e-9));
            }
        }
        assertThat(Arrays.stream(baseline.values()).boxed()).allSatisfy(v -> assertThat(v).isBetween(0.25, 0.5));
        assertThat(Arrays.stream(canary.values()).boxed()).allSatisfy(v -> assertThat(v).isBetween(0.5, 1.0));
    }

    @Test
    void labelValuesWithQuotesAndBackslashesSelectExactlyTheirSeries() {
        QueryTemplate count = new QueryTemplate("requests_by_uri",
                "sum(increase(http_server_requests_seconds_count{{{selector}}}[{{range}}]))");
        for (String uri : List.of(CanaryTrafficScenario.TRICKY_URI, CanaryTrafficScenario.DECOY_URI)) {
            Map<String, String> selector = new LinkedHashMap<>();
            selector.put("service", CanaryTrafficScenario.ESCAPES);
            selector.put("uri", uri);
            PodTraffic expected = uri.equals(CanaryTrafficScenario.TRICKY_URI) ? scenario.trickyUri() : scenario.decoyUri();

            TimeSeries series = single(query(count, parameters(selector)));

            assertThat(series.values()).as(uri).hasSize(fixture.minutes()).containsOnly((double) fixture.requests(expected, 0));
        }
        // Unescaped, the same value would not even parse:
        MetricsException rejected = failure("http_server_requests_seconds_count{uri=\"" + CanaryTrafficScenario.TRICKY_URI
                + "\"}");
        assertThat(rejected.kind()).isEqualTo(Kind.REJECTED);
        assertThat(rejected.getMessage()).contains("bad_data");
    }

    @Test
    void nanAndInfinitiesComeThroughAsValues() {
        String rate = "sum(rate(http_server_requests_seconds_count{service=\"checkout\"}[1m]))";

        assertThat(single(query(rate + " / 0")).values()).containsOnly(Double.POSITIVE_INFINITY);
        assertThat(single(query("-" + rate + " / 0")).values()).containsOnly(Double.NEGATIVE_INFINITY);
        assertThat(Arrays.stream(single(query(rate + " * 0 / 0")).values()).boxed()).allSatisfy(v -> assertThat(v).isNaN());
    }

    @Test
    void nothingMatchedIsAnEmptyList() {
        assertThat(query(MetricQueries.defaults().requests(), parameters(Map.of("service", "no-such-service"))))
                .isEmpty();
    }

    @Test
    void prometheusRejectionsAreRejected() {
        MetricsException parse = failure("sum(rate(http_server_requests_seconds_count[1m])");
        assertThat(parse.kind()).isEqualTo(Kind.REJECTED);
        assertThat(parse.getMessage()).contains("HTTP 400").contains("bad_data").contains("parse error");

        MetricsException execution = failure(
                "http_server_requests_seconds_count + on() http_server_requests_seconds_sum");
        assertThat(execution.kind()).isEqualTo(Kind.REJECTED);
        assertThat(execution.getMessage()).contains("HTTP 422").contains("execution: found duplicate series");
    }

    private static MetricsException failure(String promql) {
        List<MetricsException> caught = new ArrayList<>();
        client.queryRange(promql, fixture.start(), fixture.end(), SLICE)
                .onErrorResume(MetricsException.class, e -> {
                    caught.add(e);
                    return reactor.core.publisher.Mono.empty();
                })
                .block(WAIT);
        assertThat(caught).as("a MetricsException for " + promql).hasSize(1);
        return caught.get(0);
    }

    private static TimeSeries single(List<TimeSeries> series) {
        assertThat(series).hasSize(1);
        return series.get(0);
    }
}
