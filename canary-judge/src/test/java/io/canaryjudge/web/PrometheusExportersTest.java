package io.canaryjudge.web;

import static org.assertj.core.api.Assertions.assertThat;

import io.canaryjudge.CanaryJudgeApplication;
import io.canaryjudge.ServiceOnPrometheus;
import io.canaryjudge.metrics.testing.PrometheusProcess;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Instant;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.TreeMap;
import java.util.UUID;
import org.junit.jupiter.api.Test;
import org.springframework.boot.test.context.SpringBootTest;
import org.springframework.test.context.DynamicPropertyRegistry;
import org.springframework.test.context.DynamicPropertySource;
import tools.jackson.databind.JsonNode;

/**
 * The metric gates as a platform team meets them, over real HTTP against a real Prometheus (Debian package) holding
 * series backfilled under each exporter's own metric and label names: Micrometer ({@code
 * http_server_requests_seconds_*}, {@code status}), the OpenTelemetry Java agent ({@code
 * http_server_request_duration_seconds_*}, {@code http_response_status_code}) and Istio ({@code istio_requests_total},
 * {@code istio_request_duration_milliseconds_bucket}, {@code response_code}, {@code reporter}), the latter two through
 * named configs choosing the service's queries for them ({@code exporter}). Profiles are A/A (clean): whatever fails, the gates failed. Prometheus
 * serves under a path prefix, as behind a reverse proxy.
 */
@SpringBootTest(classes = CanaryJudgeApplication.class, webEnvironment = SpringBootTest.WebEnvironment.RANDOM_PORT,
        properties = {"canary-judge.local.match-windows=true", "canary-judge.analysis.warmup=0s",
                "canary-judge.analysis.deadline=30s", "canary-judge.analysis.history-windows=0",
                // the service's queries for each exporter (docs/METRICS.md, "Other exporters")
                "canary-judge.configs.otel.exporter=opentelemetry",
                "canary-judge.configs.istio.exporter=istio",
                "canary-judge.configs.jmx.exporter=jmx-exporter",
                // A low-traffic service's choice: the error ratio judged on its tolerance alone (docs/METRICS.md).
                "canary-judge.configs.tolerance-only.gates.error-ratio.alpha=1",
                // A template the judge accepts and Prometheus refuses (400 bad_data).
                "canary-judge.configs.typo.queries.error-ratio=sum(rate(http_server_requests_seconds_count{"
                        + "{{selector}},status=~\"5..\"}[{{range}}])) / sum(rate(http_server_requests_seconds_count{"
                        + "{{selector}}}[{{range}}])) by"})
class PrometheusExportersTest extends ServiceOnPrometheus {
    /** The A/A recordings were made 2026-11-25 15:16–15:19 UTC; the series cover 15:05–15:45, every 15 s. */
    static final Instant START = Instant.parse("2026-11-25T15:05:00Z");
    static final int MINUTES = 40;
    static final String BASELINE = "6d4f8c7b9";
    static final String CANARY = "7f9b6c5d4";
    static final double[] SECONDS = {0.005, 0.01, 0.025, 0.05, 0.1, 0.25, 0.5, 1.0, Double.POSITIVE_INFINITY};
    /** Istio's default buckets, milliseconds (a subset). */
    static final double[] MILLISECONDS = {5, 10, 25, 50, 100, 250, 500, 1000, Double.POSITIVE_INFINITY};
    static final Path PROFILES = Path.of("target", "test-profiles-" + UUID.randomUUID()).toAbsolutePath();
    static PrometheusProcess prometheus;

    @DynamicPropertySource
    static void properties(DynamicPropertyRegistry registry) {
        Map<String, StringBuilder> families = new LinkedHashMap<>();
        for (int n = 1; n <= 3; n++) {
            // Micrometer: the canary answers 5 % 500s, slower; a canary without traffic (counters exported, never
            // increasing); a canary without series; a service exporting no request metrics at all.
            micrometer(families, "payments", BASELINE, n, 100, 0, 4);
            micrometer(families, "payments", CANARY, n, 95, 5, 6);
            micrometer(families, "ledger", BASELINE, n, 100, 1, 4);
            micrometer(families, "ledger", CANARY, n, 0, 0, 4);
            micrometer(families, "invoices", BASELINE, n, 100, 1, 4);
            // A canary that got a trickle of traffic: one pod, one request every 15 s, none failing.
            micrometer(families, "trickle", BASELINE, n, 100, 0, 4);
            micrometer(families, "trickle", CANARY, n, n == 1 ? 1 : 0, 0, 4);
            // OpenTelemetry Java agent 2.x through Prometheus.
            Map<String, String> otel = new TreeMap<>(pod("orders", BASELINE, n));
            otel.putAll(Map.of("http_request_method", "GET", "http_route", "/api/orders", "url_scheme", "http"));
            histogram(families, "http_server_request_duration_seconds", otel, "http_response_status_code", "200",
                    SECONDS, 4, 100);
            otel.putAll(pod("orders", CANARY, n));
            histogram(families, "http_server_request_duration_seconds", otel, "http_response_status_code", "200",
                    SECONDS, 6, 95);
            histogram(families, "http_server_request_duration_seconds", otel, "http_response_status_code", "500",
                    SECONDS, 6, 5);
            // Istio: the server side's sidecar reports reporter="destination"; the canary pods' sidecars also report
            // their own outbound calls (reporter="source") to a failing dependency, which are not the canary's errors.
            Map<String, String> inbound = new TreeMap<>(Map.of("reporter", "destination", "destination_workload",
                    "mesh", "destination_app", "mesh", "source_workload", "frontend", "request_protocol", "http",
                    "response_flags", "-"));
            inbound.putAll(pod("mesh", BASELINE, n));
            istio(families, inbound, "200", 4, 100);
            inbound.putAll(pod("mesh", CANARY, n));
            istio(families, inbound, "200", 6, 95);
            istio(families, inbound, "503", 6, 5);
            Map<String, String> outbound = new TreeMap<>(inbound);
            outbound.putAll(Map.of("reporter", "source", "source_workload", "mesh", "destination_workload",
                    "inventory", "destination_app", "inventory"));
            istio(families, outbound, "200", 2, 5);
            istio(families, outbound, "503", 2, 50);
        }
        for (String application : new String[] {"payments", "ledger", "invoices", "quiet", "orders", "mesh",
                "trickle"}) {
            ProfileDirectories.aaAs(PROFILES, application, BASELINE, CANARY);
        }
        prometheus = serve(registry, PROFILES, () -> {
            Path openMetrics = Files.createTempFile("exporters-", ".om");
            StringBuilder text = new StringBuilder();
            families.forEach((family, lines) -> text.append(family).append(lines));
            Files.writeString(openMetrics, text + "# EOF\n", StandardCharsets.UTF_8);
            PrometheusProcess started = PrometheusProcess.backfilled(openMetrics, "/prometheus");
            Files.delete(openMetrics);
            return started;
        }, PrometheusProcess::baseUrl);
    }

    @Test
    void aFailingGateSaysItsNumbersInPercentAndMilliseconds() {
        JsonNode verdict = analyse("payments", null);

        assertThat(verdict.get("result").asString()).isEqualTo("FAIL");
        assertThat(verdict.get("summary").asString())
                .startsWith("FAIL: error_ratio canary 5 % vs baseline 0 % (+5 percentage points; +0.5 percentage"
                        + " points allowed): worse beyond tolerance and noise");
        JsonNode errorRatio = metric(verdict, "error_ratio");
        assertThat(errorRatio.get("canary").asDouble()).isCloseTo(0.05, org.assertj.core.data.Offset.offset(1e-9));
        assertThat(errorRatio.get("unit").asString()).isEqualTo("ratio");
        JsonNode latency = metric(verdict, "latency_p99");
        assertThat(latency.get("unit").asString()).isEqualTo("seconds");
        // p99 of a single bucket interpolates inside it: 0.05 + 0.99 × 0.05 s and 0.25 + 0.99 × 0.25 s.
        assertThat(latency.get("note").asString()).startsWith("canary 497 ms vs baseline 99.5 ms (+398 ms; +19.9 ms"
                + " allowed)");
        String report = client.get().uri(java.net.URI.create(verdict.get("reportUrl").asString()).getPath()).exchange()
                .expectStatus().isOk().expectBody(String.class).returnResult().getResponseBody();
        assertThat(report).contains("<td class=\"n\">0 %</td><td class=\"n\">5 %</td>")
                .contains("<td class=\"n\">99.5 ms</td><td class=\"n\">497 ms</td>");
    }

    @Test
    void aQueryPrometheusRefusesIsNamedWithPrometheusReason() {
        JsonNode verdict = analyse("invoices", "typo");

        assertThat(verdict.get("result").asString()).isEqualTo("INCONCLUSIVE");
        assertThat(verdict.get("summary").asString()).startsWith("INCONCLUSIVE: data missing: metric error_ratio: the"
                + " baseline's series could not be read: Prometheus query \"sum(rate(http_server_requests_seconds_count{")
                .contains("rejected (HTTP 400): bad_data: ");
        assertThat(prometheus.baseUrl().getPath()).isEqualTo("/prometheus");
    }

    @Test
    void aCanaryServingNoRequestsIsNotAPass() {
        JsonNode verdict = analyse("ledger", null);

        // Its counters are exported and never increase: every step is 0/0. The profiles alone would PASS.
        assertThat(verdict.get("result").asString()).as(verdict.get("summary").asString()).isEqualTo("INCONCLUSIVE");
        assertThat(verdict.get("summary").asString()).startsWith("INCONCLUSIVE: metric error_ratio could not be"
                + " judged, and it can fail the verdict: no data: baseline has 10 usable points, canary has 0 usable"
                + " points (10 NaN/Inf skipped: steps without requests give 0/0)");
    }

    @Test
    void aCanaryServingATrickleOfRequestsIsNotAPassOnItsErrorRatio() {
        JsonNode verdict = analyse("trickle", null);

        // Ten one-minute points of 0 errors / 4 requests each: the gate PASSed them like thousands of requests.
        assertThat(verdict.get("result").asString()).as(verdict.get("summary").asString()).isEqualTo("INCONCLUSIVE");
        String summary = verdict.get("summary").asString();
        assertThat(summary).startsWith("INCONCLUSIVE: metric error_ratio could not be judged, and it can fail the"
                + " verdict: the canary served ").contains(" requests in the window, too few to pass this gate: a"
                + " canary at the allowed 0.5 % would show no error at all in ").contains("about 600 are needed");
        java.util.regex.Matcher served = java.util.regex.Pattern.compile("served (\\d+) requests").matcher(summary);
        assertThat(served.find()).isTrue();
        assertThat(Long.parseLong(served.group(1))).isBetween(36L, 44L);
        assertThat(metric(verdict, "error_ratio").get("canary").asDouble()).isZero();
    }

    @Test
    void aLowTrafficServiceCanJudgeItsErrorRatioOnTheToleranceAlone() {
        JsonNode verdict = analyse("trickle", "tolerance-only");

        assertThat(verdict.get("result").asString()).as(verdict.get("summary").asString()).isEqualTo("PASS");
        assertThat(metric(verdict, "error_ratio").get("note").asString()).contains("within tolerance");
    }

    @Test
    void aCanaryWithoutSeriesIsNotAPass() {
        JsonNode verdict = analyse("invoices", null);

        assertThat(verdict.get("result").asString()).as(verdict.get("summary").asString()).isEqualTo("INCONCLUSIVE");
        assertThat(verdict.get("summary").asString()).contains("metric error_ratio could not be judged")
                .contains("baseline has 10 usable points, canary has 0 usable points;");
    }

    @Test
    void aServiceExportingNoRequestMetricsIsJudgedOnItsProfiles() {
        JsonNode verdict = analyse("quiet", null);

        assertThat(verdict.get("result").asString()).as(verdict.get("summary").asString()).isEqualTo("PASS");
        // Nothing matched at all: the warning shows what was asked and which setting to look at.
        assertThat(verdict.get("dataQuality").get("warnings").toString())
                .contains("metric error_ratio: no data — no data: baseline has 0 usable points, canary has 0")
                .contains("Prometheus has no series for either group: does the service export this metric, with these"
                        + " labels? The baseline's query: (sum(rate(http_server_requests_seconds_count{service=\\\"quiet\\\",")
                .contains("canary-judge.prometheus.application-label");
    }

    @Test
    void theJmxExportersPodsAreJudgedOnTheirProfilesAndToldWhyNoGateRan() {
        // payments' canary answers 5 % errors in Micrometer's series; pods exporting through the JMX exporter have
        // no request metrics, so nothing is asked of Prometheus for the gates, and the verdict says why.
        JsonNode verdict = analyse("payments", "jmx");

        assertThat(verdict.get("result").asString()).as(verdict.get("summary").asString()).isEqualTo("PASS");
        assertThat(verdict.get("metrics").size()).isZero();
        assertThat(verdict.get("dataQuality").get("warnings").toString())
                .contains("metric error_ratio, latency_p99 not judged: the JMX exporter exports no request metrics")
                .contains("canary-judge.prometheus.queries.*");
    }

    @Test
    void theDocumentedOpenTelemetryQueriesFitTheJavaAgentsSeries() {
        JsonNode verdict = analyse("orders", "otel");

        assertThat(verdict.get("result").asString()).isEqualTo("FAIL");
        assertThat(verdict.get("summary").asString()).startsWith("FAIL: error_ratio canary 5 % vs baseline 0 %");
        assertThat(metric(verdict, "latency_p99").get("note").asString()).startsWith("canary 497 ms vs baseline 99.5 ms");
    }

    @Test
    void theDocumentedIstioQueriesCountOnlyWhatTheCanaryAnswered() {
        JsonNode verdict = analyse("mesh", "istio");

        // Its own outbound calls (50 of 55 failing) are reported by its sidecar too, with reporter="source".
        assertThat(verdict.get("result").asString()).isEqualTo("FAIL");
        assertThat(verdict.get("summary").asString()).startsWith("FAIL: error_ratio canary 5 % vs baseline 0 %");
        // Milliseconds divided by 1000: the gate's tolerances are in seconds.
        assertThat(metric(verdict, "latency_p99").get("canary").asDouble())
                .isCloseTo(0.4975, org.assertj.core.data.Offset.offset(1e-9));
    }

    private JsonNode analyse(String application, String config) {
        String body = """
                {"application": "%s", "namespace": "shop",%s
                 "baseline": {"labels": {"rollouts_pod_template_hash": "%s"}},
                 "canary": {"labels": {"rollouts_pod_template_hash": "%s"}},
                 "start": "2026-11-25T15:15:00Z", "end": "2026-11-25T15:25:00Z", "profileTypes": ["cpu"]}"""
                .formatted(application, config == null ? "" : " \"config\": \"" + config + "\",", BASELINE, CANARY);
        return analyses(body);
    }

    /** The labels Prometheus gives a pod's series: the application, the pod, its template hash, its namespace. */
    private static Map<String, String> pod(String application, String hash, int n) {
        return Map.of("service", application, "pod", application + "-" + hash + "-" + n,
                "rollouts_pod_template_hash", hash, "namespace", "shop");
    }

    /** Micrometer's series of one pod: 200s always (a pod exports them once it started), 500s when it had any. */
    private static void micrometer(Map<String, StringBuilder> families, String application, String hash, int n,
                                   long okPerScrape, long errorsPerScrape, int bucket) {
        Map<String, String> labels = new TreeMap<>(pod(application, hash, n));
        labels.putAll(Map.of("uri", "/api/orders", "method", "GET", "exception", "None", "outcome", "SUCCESS"));
        histogram(families, "http_server_requests_seconds", labels, "status", "200", SECONDS, bucket, okPerScrape);
        if (errorsPerScrape > 0) {
            labels.put("outcome", "SERVER_ERROR");
            histogram(families, "http_server_requests_seconds", labels, "status", "500", SECONDS, bucket,
                    errorsPerScrape);
        }
    }

    private static void istio(Map<String, StringBuilder> families, Map<String, String> labels, String code, int bucket,
                              long perScrape) {
        histogram(families, "istio_request_duration_milliseconds", labels, "response_code", code, MILLISECONDS,
                bucket, perScrape);
        Map<String, String> all = new TreeMap<>(labels);
        all.put("response_code", code);
        StringBuilder counter = families.computeIfAbsent("# TYPE istio_requests counter\n", k -> new StringBuilder());
        for (int i = 0; i <= MINUTES * 4; i++) {
            counter.append("istio_requests_total{").append(labelText(all)).append("} ").append(i * perScrape)
                    .append(' ').append(START.getEpochSecond() + 15L * i).append('\n');
        }
    }

    /** One histogram series: {@code perScrape} requests every 15 s, all in bucket {@code bucket}. */
    private static void histogram(Map<String, StringBuilder> families, String metric, Map<String, String> labels,
                                  String statusLabel, String status, double[] bounds, int bucket, long perScrape) {
        Map<String, String> all = new TreeMap<>(labels);
        all.put(statusLabel, status);
        String common = labelText(all);
        StringBuilder out = families.computeIfAbsent("# TYPE " + metric + " histogram\n", k -> new StringBuilder());
        double duration = Double.isInfinite(bounds[bucket]) ? 2 * bounds[bucket - 1] : bounds[bucket] * 0.8;
        for (int i = 0; i <= MINUTES * 4; i++) {
            long t = START.getEpochSecond() + 15L * i;
            long count = i * perScrape;
            for (int b = 0; b < bounds.length; b++) {
                out.append(metric).append("_bucket{").append(common).append(",le=\"")
                        .append(Double.isInfinite(bounds[b]) ? "+Inf" : String.valueOf(bounds[b])).append("\"} ")
                        .append(b >= bucket ? count : 0).append(' ').append(t).append('\n');
            }
            out.append(metric).append("_count{").append(common).append("} ").append(count).append(' ').append(t)
                    .append('\n');
            out.append(metric).append("_sum{").append(common).append("} ").append(count * duration).append(' ')
                    .append(t).append('\n');
        }
    }

    private static String labelText(Map<String, String> labels) {
        StringBuilder text = new StringBuilder();
        labels.forEach((name, value) -> text.append(text.length() == 0 ? "" : ",").append(name).append("=\"")
                .append(value).append('"'));
        return text.toString();
    }
}
