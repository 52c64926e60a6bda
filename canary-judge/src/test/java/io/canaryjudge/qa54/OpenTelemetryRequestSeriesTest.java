package io.canaryjudge.qa54;

import static org.assertj.core.api.Assertions.assertThat;

import io.canaryjudge.memory.ScrapedPod;
import io.canaryjudge.metrics.MetricQueries;
import io.canaryjudge.metrics.MetricsExporter;
import io.canaryjudge.metrics.PrometheusConnection;
import io.canaryjudge.metrics.PrometheusHttpClient;
import io.canaryjudge.metrics.QueryParameters;
import io.canaryjudge.metrics.QueryTemplate;
import io.canaryjudge.metrics.TimeSeries;
import io.canaryjudge.metrics.testing.PrometheusProcess;
import java.io.BufferedReader;
import java.io.IOException;
import java.io.InputStreamReader;
import java.io.PrintWriter;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.time.temporal.ChronoUnit;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.TreeMap;
import java.util.stream.Collectors;
import java.util.zip.GZIPInputStream;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/**
 * The product's request queries for the OpenTelemetry Java agent ({@code canary-judge.prometheus.exporter=opentelemetry},
 * {@link MetricQueries#of}) on what the agent 2.22.0 really
 * exported: three {@code io.canaryjudge.qa53.PricingPod} JVMs (Spring WebFlux on Reactor Netty) under the agent, driven
 * at 100 requests/s each by {@code PricingLoad}, scraped every 10 s (src/test/resources/qa54/http, made by
 * {@code bench/qa54-agents.sh http}), backfilled into a real Prometheus as histograms. Each pod gets its own request
 * count (WebFlux's and Netty's instrumentation do not both count a request), the error ratio is 0 (no 5xx series: the
 * {@code or vector(0)}), the p99 is in seconds.
 */
class OpenTelemetryRequestSeriesTest {
    static final Path FOLDER = AgentPods.FOLDER.resolve("http");
    /** What the service asks with {@code canary-judge.prometheus.exporter=opentelemetry}. */
    static final MetricQueries PRESET = MetricQueries.of(MetricsExporter.OPENTELEMETRY);
    static final Duration STEP = Duration.ofSeconds(60);

    static PrometheusProcess prometheus;
    static PrometheusHttpClient client;
    static Instant from;

    @BeforeAll
    static void backfill(@org.junit.jupiter.api.io.TempDir Path scratch) throws IOException {
        List<ScrapedPod> pods = ScrapedPod.in(FOLDER);
        Path file = scratch.resolve("http.om");
        // family → series (labels without le) → timestamp → samples: OpenMetrics wants each series' points in time order,
        // each point's buckets and count together
        Map<String, Map<Long, List<String>>> series = new TreeMap<>();
        for (ScrapedPod pod : pods) {
            String own = "app=\"pricing\",pod=\"" + pod.name() + "\",track=\"" + pod.track() + '"';
            try (BufferedReader in = new BufferedReader(new InputStreamReader(new GZIPInputStream(
                    Files.newInputStream(FOLDER.resolve(pod.name()).resolve("otel.csv.gz"))), StandardCharsets.UTF_8))) {
                in.readLine();
                for (String line = in.readLine(); line != null; line = in.readLine()) {
                    String[] f = line.split(",", -1);
                    List<String> labels = new ArrayList<>(List.of(f[2].split(";")));
                    String le = labels.stream().filter(l -> l.startsWith("le=")).findFirst().orElse(null);
                    labels.remove(le);
                    String key = own + "," + labels.stream().map(kv -> kv.replaceFirst("=(.*)", "=\"$1\""))
                            .collect(Collectors.joining(","));
                    long millis = Long.parseLong(f[0]);
                    String sample = f[1] + "{" + key + (le == null ? "" : ",le=\"" + le.substring(3) + '"') + "} " + f[3]
                            + " " + String.format(Locale.ROOT, "%.3f", millis / 1000.0);
                    series.computeIfAbsent(key, k -> new TreeMap<>()).computeIfAbsent(millis, k -> new ArrayList<>())
                            .add(sample);
                }
            }
        }
        try (PrintWriter out = new PrintWriter(Files.newBufferedWriter(file, StandardCharsets.UTF_8))) {
            out.print("# TYPE http_server_request_duration_seconds histogram\n");
            series.values().forEach(points -> points.values().forEach(samples -> {
                // buckets (in the order exported, ascending le) before the count
                samples.stream().filter(s -> s.contains("_bucket{")).forEach(s -> out.print(s + "\n"));
                samples.stream().filter(s -> s.contains("_count{")).forEach(s -> out.print(s + "\n"));
            }));
            out.print("# EOF\n");
        }
        prometheus = PrometheusProcess.backfilled(file);
        client = new PrometheusHttpClient(PrometheusConnection.of(prometheus.baseUrl()).withTimeout(Duration.ofSeconds(30)));
        from = Instant.ofEpochMilli(pods.stream().mapToLong(ScrapedPod::jvmStartMillis).min().orElseThrow())
                .truncatedTo(ChronoUnit.MINUTES);
    }

    @AfterAll
    static void stop() {
        if (prometheus != null) {
            prometheus.close();
        }
    }

    private static List<TimeSeries> ask(QueryTemplate template, String track) {
        QueryParameters parameters = QueryParameters.of(Map.of("app", "pricing", "track", track), STEP)
                .withInstanceLabel("pod");
        return client.queryRange(template.render(parameters), from, from.plus(Duration.ofMinutes(6)),
                STEP).block(Duration.ofSeconds(60));
    }

    /** The values of the whole minutes in which the load ran at its rate (its first and last minutes ramp). */
    private static List<Double> steady(TimeSeries series) {
        List<Double> values = new ArrayList<>();
        for (double v : series.values()) {
            values.add(v);
        }
        return values.size() > 2 ? values.subList(1, values.size() - 1) : values;
    }

    /** One line on standard error per answer (docs/EVALUATION.md "Exporter presets (qa60)"): its steady minutes' range. */
    private static void print(String what, List<Double> values) {
        System.err.println(String.format(Locale.ROOT, "qa60 opentelemetry %-29s %d min, %.4g to %.4g", what,
                values.size(), values.stream().mapToDouble(Double::doubleValue).min().orElse(Double.NaN),
                values.stream().mapToDouble(Double::doubleValue).max().orElse(Double.NaN)));
    }

    @Test
    void eachPodCountsEachRequestOnce() {
        List<TimeSeries> baseline = ask(PRESET.requestsPerInstance(), "baseline");
        List<TimeSeries> canary = ask(PRESET.requestsPerInstance(), "canary");

        assertThat(baseline).extracting(s -> s.labels().get("pod")).containsExactlyInAnyOrder("b1", "b2");
        assertThat(canary).extracting(s -> s.labels().get("pod")).containsExactly("slow-1");
        for (TimeSeries pod : List.of(baseline.get(0), baseline.get(1), canary.get(0))) {
            print("requests_per_instance " + pod.labels().get("pod"), steady(pod));
            // 100 requests/s a pod: 6,000 a minute (twice that if two instrumentations counted each request)
            assertThat(steady(pod)).as(pod.labels().toString()).isNotEmpty()
                    .allSatisfy(v -> assertThat(v).isBetween(5_400.0, 6_600.0));
        }
    }

    /**
     * qa81: the preset's per-endpoint query answers each pod's requests per {@code http_route}, the agent's route
     * templates (not paths), and they add up to the pod's total: the request mix the service compares.
     */
    @Test
    void eachPodsRequestsPerRouteAddUpToItsTotal() {
        List<TimeSeries> perRoute = ask(PRESET.requestsPerEndpoint(), "baseline");
        List<TimeSeries> total = ask(PRESET.requestsPerInstance(), "baseline");

        assertThat(PRESET.endpointLabel()).isEqualTo("http_route");
        assertThat(perRoute).extracting(s -> s.labels().get("pod") + " " + s.labels().get(PRESET.endpointLabel()))
                .containsExactlyInAnyOrder("b1 /v1/quote", "b1 /v1/stock/{sku}", "b2 /v1/quote", "b2 /v1/stock/{sku}");
        for (TimeSeries pod : total) {
            List<TimeSeries> routes = perRoute.stream().filter(s -> s.labels().get("pod").equals(pod.labels().get("pod")))
                    .toList();
            double[] sum = new double[pod.values().length];
            for (TimeSeries route : routes) {
                assertThat(route.values()).hasSameSizeAs(sum);
                for (int i = 0; i < sum.length; i++) {
                    sum[i] += route.values()[i];
                }
            }
            print("requests_per_endpoint " + pod.labels().get("pod"), steady(routes.get(0)));
            assertThat(sum).as(pod.labels().toString()).containsExactly(pod.values(), org.assertj.core.data.Offset
                    .offset(1e-6));
        }
    }

    @Test
    void aGroupWithoutServerErrorsHasAnErrorRatioOfZero() {
        List<TimeSeries> ratio = ask(PRESET.errorRatio(), "baseline");

        assertThat(ratio).hasSize(1);
        print("error_ratio baseline", steady(ratio.get(0)));
        assertThat(steady(ratio.get(0))).isNotEmpty().allSatisfy(v -> assertThat(v).isZero());
    }

    @Test
    void theErrorRatioPicksServerErrorsByALabelTheAgentExports() {
        // The recorded pods answered no 5xx, so the ratio is 0 whatever label the preset filters on: check that the label
        // it matches 5.. against is the agent's status label (a wrong one, e.g. Micrometer's status, would never match).
        java.util.regex.Matcher filter = java.util.regex.Pattern.compile("([a-z_]+)=~\"5\\.\\.\"")
                .matcher(PRESET.errorRatio().text());
        assertThat(filter.find()).as(PRESET.errorRatio().text()).isTrue();
        List<TimeSeries> byStatus = ask(new QueryTemplate("by_status", "sum by (" + filter.group(1) + ") (increase("
                + "http_server_request_duration_seconds_count{{{selector}}}[{{range}}]))"), "baseline");

        assertThat(byStatus).extracting(series -> series.labels().get(filter.group(1))).containsExactly("200");
    }

    @Test
    void theP99IsInSeconds() {
        List<TimeSeries> p99 = ask(PRESET.latencyP99(), "baseline");

        assertThat(p99).hasSize(1);
        print("latency_p99 baseline", steady(p99.get(0)));
        // loopback requests of a few ms, up to a few hundred under the loaded machine's pauses: seconds, not milliseconds
        assertThat(steady(p99.get(0))).isNotEmpty().allSatisfy(v -> assertThat(v).isBetween(0.001, 2.0));
    }
}
