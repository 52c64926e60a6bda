package io.canaryjudge.metrics;

import java.util.Objects;

/**
 * The request-metric queries of one application, in one place so configuration can override each.
 * The defaults fit Micrometer's Spring Boot HTTP server metrics as Prometheus scrapes them
 * ({@code http_server_requests_seconds_count} with a {@code status} label, and the
 * {@code _bucket} histogram when {@code management.metrics.distribution.percentiles-histogram} is on).
 *
 * @param requests            requests served by the group per {@code range}: cost per request
 * @param requestsPerInstance the same per instance ({@code sum by ({{instance_label}})}): one series per pod,
 *                            one point per slice when step = range = slice length
 * @param errorRatio          5xx responses / all responses, 0..1
 * @param latencyP99          99th percentile of request duration, seconds
 * @param absent              why some of the queries above are null (an exporter without request metrics: they are
 *                            not asked, and the verdict says this instead); null when all are set
 * @param requestsPerEndpoint requests per pod, endpoint and slice ({@code sum by ({{instance_label}}, uri)}): the
 *                            request mix each pod served (a canary behind a header route or an A/B match serves
 *                            another mix by design); null = not asked (an exporter whose series name no endpoint)
 * @param endpointLabel       the label of {@code requestsPerEndpoint}'s series that names the endpoint ({@code uri},
 *                            {@code http_route}); null exactly when {@code requestsPerEndpoint} is
 */
public record MetricQueries(QueryTemplate requests, QueryTemplate requestsPerInstance, QueryTemplate errorRatio,
                            QueryTemplate latencyP99, String absent, QueryTemplate requestsPerEndpoint,
                            String endpointLabel) {

    /**
     * Requests in each window. {@code increase} extrapolates to the window's edges, so a count is
     * exact only for counters scraped at the window's ends; for cost per request that is close enough. Every Micrometer
     * and OpenTelemetry query leaves out the management endpoints' own requests ({@link ManagementPath}: Prometheus'
     * scrapes and the kubelet's probes, which both record as requests): they come at a fixed rate per pod, so a canary
     * at a tenth of a baseline pod's traffic would count ten times their share (a 2 s scrape and two 10 s probes on
     * 5 requests/s: 14 % more requests than its traffic sent, against 1.4 % at 50 requests/s), read as a lower cost per
     * request and a higher load than it has, and a lower error ratio and p99 latency.
     */
    public static final String DEFAULT_REQUESTS = micrometerRequests(ManagementPath.ACTUATOR);
    public static final String DEFAULT_REQUESTS_PER_INSTANCE = micrometerRequestsPerInstance(ManagementPath.ACTUATOR);
    /**
     * Requests per pod and endpoint: Micrometer's {@code uri} is the route's template ({@code /orders/{id}}), not
     * the path, so its values are few. Without the management endpoints' routes (as every query) and {@code UNKNOWN}
     * (no route matched): a canary at a lower weight would have a far larger share of the management requests (3
     * baselines at 50 requests/s, a canary at 5: 0.5 % against 5 %) and its mix would always "differ".
     */
    public static final String DEFAULT_REQUESTS_PER_ENDPOINT = micrometerRequestsPerEndpoint(ManagementPath.ACTUATOR);
    public static final String DEFAULT_ENDPOINT_LABEL = "uri";
    /**
     * {@code or vector(0)}: a group that never answered 5xx has no 5xx series at all, and without it
     * the ratio would be empty (NO_DATA) instead of 0 — the zero baseline a gate must still compare.
     * No traffic gives 0 / 0 = NaN, which the gates skip and count.
     */
    public static final String DEFAULT_ERROR_RATIO = micrometerErrorRatio(ManagementPath.ACTUATOR);
    public static final String DEFAULT_LATENCY_P99 = micrometerLatencyP99(ManagementPath.ACTUATOR);

    private static String micrometerRequests(ManagementPath management) {
        return "sum(increase(http_server_requests_seconds_count{{{selector}}," + notUri(management) + "}[{{range}}]))";
    }

    private static String micrometerRequestsPerInstance(ManagementPath management) {
        return "sum by ({{instance_label}}) (increase(http_server_requests_seconds_count{{{selector}},"
                + notUri(management) + "}[{{range}}]))";
    }

    private static String micrometerRequestsPerEndpoint(ManagementPath management) {
        return "sum by ({{instance_label}}, uri) (increase(http_server_requests_seconds_count{{{selector}},uri!~\""
                + management.promqlRegex() + "|UNKNOWN\"}[{{range}}]))";
    }

    private static String micrometerErrorRatio(ManagementPath management) {
        return "(sum(rate(http_server_requests_seconds_count{{{selector}}," + notUri(management) + ",status=~\"5..\"}"
                + "[{{range}}])) or vector(0)) / sum(rate(http_server_requests_seconds_count{{{selector}},"
                + notUri(management) + "}[{{range}}]))";
    }

    private static String micrometerLatencyP99(ManagementPath management) {
        return "histogram_quantile(0.99, sum by (le) (rate(http_server_requests_seconds_bucket{{{selector}},"
                + notUri(management) + "}[{{range}}])))";
    }

    private static String notUri(ManagementPath management) {
        return "uri!~\"" + management.promqlRegex() + "\"";
    }

    private static String notRoute(ManagementPath management) {
        return "http_route!~\"" + management.promqlRegex() + "\"";
    }

    /**
     * prom-client's {@code route} without Prometheus' scrapes ({@code /metrics}: prom-client's README serves the
     * registry from the application's own server, so a middleware that times every route counts each scrape, at a
     * fixed rate per pod whatever its traffic) and without the management path.
     */
    private static String notPromClientRoute(ManagementPath management) {
        return "route!~\"/metrics|" + management.promqlRegex() + "\"";
    }

    /**
     * The memory-growth check's queries (heap after GC and JVM start per pod) are {@link HeapQueries}:
     * {@link HeapQueries#MICROMETER_HEAP_USED} by default, with defaults for Micrometer's live data size,
     * the OpenTelemetry Java agent and the JMX exporter.
     */
    public static final String DEFAULT_HEAP_AFTER_GC = HeapQueries.MICROMETER_HEAP_USED;
    public static final String DEFAULT_JVM_START = HeapQueries.PROCESS_START;

    /**
     * The OpenTelemetry Java agent 2.x's HTTP server metrics (semantic conventions 1.x: seconds, the status in
     * {@code http_response_status_code}), checked on the agent 2.22.0's recorded series (docs/METRICS.md).
     */
    public static final String OPENTELEMETRY_REQUESTS = openTelemetryRequests(ManagementPath.ACTUATOR);
    public static final String OPENTELEMETRY_REQUESTS_PER_INSTANCE =
            openTelemetryRequestsPerInstance(ManagementPath.ACTUATOR);
    /**
     * The agent's {@code http_route} (the server framework's route template, e.g. {@code /orders/{id}}), without
     * the management endpoints' routes, for the reason {@link #DEFAULT_REQUESTS_PER_ENDPOINT} gives.
     */
    public static final String OPENTELEMETRY_REQUESTS_PER_ENDPOINT =
            openTelemetryRequestsPerEndpoint(ManagementPath.ACTUATOR);
    public static final String OPENTELEMETRY_ENDPOINT_LABEL = "http_route";
    public static final String OPENTELEMETRY_ERROR_RATIO = openTelemetryErrorRatio(ManagementPath.ACTUATOR);
    public static final String OPENTELEMETRY_LATENCY_P99 = openTelemetryLatencyP99(ManagementPath.ACTUATOR);

    private static String openTelemetryRequests(ManagementPath management) {
        return "sum(increase(http_server_request_duration_seconds_count{{{selector}}," + notRoute(management)
                + "}[{{range}}]))";
    }

    private static String openTelemetryRequestsPerInstance(ManagementPath management) {
        return "sum by ({{instance_label}}) (increase(http_server_request_duration_seconds_count{{{selector}},"
                + notRoute(management) + "}[{{range}}]))";
    }

    private static String openTelemetryRequestsPerEndpoint(ManagementPath management) {
        return "sum by ({{instance_label}}, http_route) (increase(http_server_request_duration_seconds_count{"
                + "{{selector}}," + notRoute(management) + "}[{{range}}]))";
    }

    private static String openTelemetryErrorRatio(ManagementPath management) {
        return "(sum(rate(http_server_request_duration_seconds_count{{{selector}}," + notRoute(management)
                + ",http_response_status_code=~\"5..\"}[{{range}}])) or vector(0)) / sum(rate("
                + "http_server_request_duration_seconds_count{{{selector}}," + notRoute(management) + "}[{{range}}]))";
    }

    private static String openTelemetryLatencyP99(ManagementPath management) {
        return "histogram_quantile(0.99, sum by (le) (rate(http_server_request_duration_seconds_bucket{{{selector}},"
                + notRoute(management) + "}[{{range}}])))";
    }

    /**
     * Istio's sidecar metrics, the server side only ({@code reporter="destination"}): a pod's sidecar also reports the
     * pod's own outbound calls ({@code reporter="source"}) under its labels, so without it a canary would be charged
     * with its dependencies' errors and every call between two meshed pods would count twice. Milliseconds, hence
     * {@code / 1000}: the latency gate's tolerances are seconds.
     */
    public static final String ISTIO_REQUESTS =
            "sum(increase(istio_requests_total{{{selector}},reporter=\"destination\"}[{{range}}]))";
    public static final String ISTIO_REQUESTS_PER_INSTANCE = "sum by ({{instance_label}}) (increase("
            + "istio_requests_total{{{selector}},reporter=\"destination\"}[{{range}}]))";
    public static final String ISTIO_ERROR_RATIO = "(sum(rate(istio_requests_total{{{selector}},"
            + "reporter=\"destination\",response_code=~\"5..\"}[{{range}}])) or vector(0)) / sum(rate("
            + "istio_requests_total{{{selector}},reporter=\"destination\"}[{{range}}]))";
    public static final String ISTIO_LATENCY_P99 = "histogram_quantile(0.99, sum by (le) (rate("
            + "istio_request_duration_milliseconds_bucket{{{selector}},reporter=\"destination\"}[{{range}}]))) / 1000";
    /**
     * A prom-client histogram {@code http_request_duration_seconds} with {@code method}, {@code route}, {@code code}
     * labels (seconds; the common hand-written one: prom-client records no requests of its own and its README names no
     * HTTP metric), which a Node.js service records itself. Middlewares that name theirs otherwise (express-prom-bundle
     * 8.0.0: {@code status_code}, and {@code method}/{@code path} only when asked) need {@code queries.*}. {@code route} is the route the application names ({@code /orders}); the requests under the
     * management path are left out as for the other exporters.
     */
    public static final String PROM_CLIENT_ENDPOINT_LABEL = "route";

    private static String promClientRequests(ManagementPath management) {
        return "sum(increase(http_request_duration_seconds_count{{{selector}}," + notPromClientRoute(management)
                + "}[{{range}}]))";
    }

    private static String promClientRequestsPerInstance(ManagementPath management) {
        return "sum by ({{instance_label}}) (increase(http_request_duration_seconds_count{{{selector}},"
                + notPromClientRoute(management) + "}[{{range}}]))";
    }

    private static String promClientRequestsPerEndpoint(ManagementPath management) {
        return "sum by ({{instance_label}}, route) (increase(http_request_duration_seconds_count{{{selector}},"
                + notPromClientRoute(management) + "}[{{range}}]))";
    }

    private static String promClientErrorRatio(ManagementPath management) {
        return "(sum(rate(http_request_duration_seconds_count{{{selector}}," + notPromClientRoute(management)
                + ",code=~\"5..\"}[{{range}}])) or vector(0)) / sum(rate(http_request_duration_seconds_count{"
                + "{{selector}}," + notPromClientRoute(management) + "}[{{range}}]))";
    }

    private static String promClientLatencyP99(ManagementPath management) {
        return "histogram_quantile(0.99, sum by (le) (rate(http_request_duration_seconds_bucket{{{selector}},"
                + notPromClientRoute(management) + "}[{{range}}])))";
    }

    /** What the verdict says for the JMX exporter: nothing to ask, and where request metrics could come from. */
    public static final String JMX_EXPORTER_ABSENT = "the JMX exporter exports no request metrics (only MBeans and the"
            + " JVM's own)";

    public MetricQueries {
        if ((requestsPerEndpoint == null) != (endpointLabel == null)) {
            throw new IllegalArgumentException("requests per endpoint and the endpoint label come together");
        }
        if (endpointLabel != null) {
            PromQl.checkLabelName(endpointLabel);
        }
        if (absent == null) {
            Objects.requireNonNull(requests, "requests");
            Objects.requireNonNull(requestsPerInstance, "requestsPerInstance");
            Objects.requireNonNull(errorRatio, "errorRatio");
            Objects.requireNonNull(latencyP99, "latencyP99");
        } else if (requestsPerInstance != null && errorRatio != null && latencyP99 != null) {
            // Every query a user can set replaced: nothing the service asks is missing any more ({@code requests}, the
            // group's total, is not configurable and not asked by the service).
            absent = null;
        }
    }

    public MetricQueries(QueryTemplate requests, QueryTemplate requestsPerInstance, QueryTemplate errorRatio,
                         QueryTemplate latencyP99) {
        this(requests, requestsPerInstance, errorRatio, latencyP99, null, null, null);
    }

    /** Micrometer's queries. */
    public static MetricQueries defaults() {
        return of(MetricsExporter.MICROMETER);
    }

    /** The exporter's request queries; for one without request metrics (the JMX exporter) none, with the reason. */
    public static MetricQueries of(MetricsExporter exporter) {
        return of(exporter, ManagementPath.ACTUATOR);
    }

    /**
     * The exporter's request queries without the requests under {@code management} (Micrometer's {@code uri},
     * the OpenTelemetry agent's {@code http_route}); for one without request metrics (the JMX exporter) none, with the
     * reason.
     */
    public static MetricQueries of(MetricsExporter exporter, ManagementPath management) {
        return switch (exporter) {
            case MICROMETER -> of(micrometerRequests(management), micrometerRequestsPerInstance(management),
                    micrometerErrorRatio(management), micrometerLatencyP99(management))
                    .withEndpoints(micrometerRequestsPerEndpoint(management), DEFAULT_ENDPOINT_LABEL);
            case OPENTELEMETRY -> of(openTelemetryRequests(management), openTelemetryRequestsPerInstance(management),
                    openTelemetryErrorRatio(management), openTelemetryLatencyP99(management))
                    .withEndpoints(openTelemetryRequestsPerEndpoint(management), OPENTELEMETRY_ENDPOINT_LABEL);
            // Istio's standard metrics carry no route (only the destination service): no endpoint counts asked, and no
            // path to leave the management requests out by. Under Istio's defaults none reach these series: the
            // sidecar injector rewrites the kubelet's HTTP probes to its agent (port 15020), and Prometheus scrapes
            // the agent's merged metrics there, so neither passes the inbound listener that reports them.
            case ISTIO -> of(ISTIO_REQUESTS, ISTIO_REQUESTS_PER_INSTANCE, ISTIO_ERROR_RATIO, ISTIO_LATENCY_P99);
            case PROM_CLIENT -> of(promClientRequests(management), promClientRequestsPerInstance(management),
                    promClientErrorRatio(management), promClientLatencyP99(management))
                    .withEndpoints(promClientRequestsPerEndpoint(management), PROM_CLIENT_ENDPOINT_LABEL);
            case JMX_EXPORTER -> new MetricQueries(null, null, null, null, JMX_EXPORTER_ABSENT, null, null);
        };
    }

    private static MetricQueries of(String requests, String requestsPerInstance, String errorRatio, String latencyP99) {
        return new MetricQueries(new QueryTemplate(REQUESTS, requests),
                new QueryTemplate(REQUESTS_PER_INSTANCE, requestsPerInstance),
                new QueryTemplate(ERROR_RATIO, errorRatio), new QueryTemplate(LATENCY_P99, latencyP99));
    }

    private static final String REQUESTS_PER_ENDPOINT = "requests_per_endpoint";

    private static final String REQUESTS = "requests";
    private static final String REQUESTS_PER_INSTANCE = "requests_per_instance";
    private static final String ERROR_RATIO = "error_ratio";
    private static final String LATENCY_P99 = "latency_p99";

    /**
     * These queries with some replaced; a null or blank text keeps the current one (none, where the exporter has none).
     *
     * @throws InvalidQueryTemplateException naming the template and the problem
     */
    public MetricQueries withOverrides(String requestsText, String requestsPerInstanceText, String errorRatioText,
                                       String latencyP99Text) {
        return new MetricQueries(override(REQUESTS, requests, requestsText),
                override(REQUESTS_PER_INSTANCE, requestsPerInstance, requestsPerInstanceText),
                override(ERROR_RATIO, errorRatio, errorRatioText), override(LATENCY_P99, latencyP99, latencyP99Text),
                absent, requestsPerEndpoint, endpointLabel);
    }

    /**
     * These queries with the per-endpoint query and its endpoint label replaced; a null or blank text keeps the current
     * one. A template set without a label keeps the current label (or the default's, {@code uri}, where there was none).
     *
     * @throws InvalidQueryTemplateException naming the template and the problem, also when the template does not name
     *                                       the endpoint label (its series would carry none)
     */
    public MetricQueries withEndpoints(String requestsPerEndpointText, String endpointLabelText) {
        QueryTemplate template = override(REQUESTS_PER_ENDPOINT, requestsPerEndpoint, requestsPerEndpointText);
        String label = endpointLabelText == null || endpointLabelText.isBlank() ? endpointLabel
                : endpointLabelText.strip();
        if (template == null) {
            if (label != null) {
                throw new InvalidQueryTemplateException(REQUESTS_PER_ENDPOINT, "is not set, but the endpoint label \""
                        + label + "\" is: set the query that groups by it");
            }
            return this;
        }
        if (label == null) {
            label = DEFAULT_ENDPOINT_LABEL;
        }
        try {
            PromQl.checkLabelName(label);
        } catch (IllegalArgumentException e) {
            throw new InvalidQueryTemplateException(REQUESTS_PER_ENDPOINT, "endpoint label: " + e.getMessage());
        }
        if (!java.util.regex.Pattern.compile("\\b" + label + "\\b").matcher(template.text()).find()) {
            throw new InvalidQueryTemplateException(REQUESTS_PER_ENDPOINT, "does not name the endpoint label \"" + label
                    + "\"; group by it, e.g. sum by ({{instance_label}}, " + label + ") (...)");
        }
        return new MetricQueries(requests, requestsPerInstance, errorRatio, latencyP99, absent, template, label);
    }

    private static QueryTemplate override(String name, QueryTemplate current, String text) {
        return text == null || text.isBlank() ? current : new QueryTemplate(name, text);
    }
}
