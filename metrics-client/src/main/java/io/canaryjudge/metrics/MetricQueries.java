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
 */
public record MetricQueries(QueryTemplate requests, QueryTemplate requestsPerInstance, QueryTemplate errorRatio,
                            QueryTemplate latencyP99) {

    /**
     * Requests in each window. {@code increase} extrapolates to the window's edges, so a count is
     * exact only for counters scraped at the window's ends; for cost per request that is close enough.
     */
    public static final String DEFAULT_REQUESTS =
            "sum(increase(http_server_requests_seconds_count{{{selector}}}[{{range}}]))";
    public static final String DEFAULT_REQUESTS_PER_INSTANCE =
            "sum by ({{instance_label}}) (increase(http_server_requests_seconds_count{{{selector}}}[{{range}}]))";
    /**
     * {@code or vector(0)}: a group that never answered 5xx has no 5xx series at all, and without it
     * the ratio would be empty (NO_DATA) instead of 0 — the zero baseline a gate must still compare.
     * No traffic gives 0 / 0 = NaN, which the gates skip and count.
     */
    public static final String DEFAULT_ERROR_RATIO =
            "(sum(rate(http_server_requests_seconds_count{{{selector}},status=~\"5..\"}[{{range}}])) or vector(0))"
                    + " / sum(rate(http_server_requests_seconds_count{{{selector}}}[{{range}}]))";
    public static final String DEFAULT_LATENCY_P99 =
            "histogram_quantile(0.99, sum by (le) (rate(http_server_requests_seconds_bucket{{{selector}}}[{{range}}])))";

    /**
     * The memory-growth check's queries (heap after GC and JVM start per pod) are {@link HeapQueries}:
     * {@link HeapQueries#MICROMETER_HEAP_USED} by default, with defaults for Micrometer's live data size,
     * the OpenTelemetry Java agent and the JMX exporter.
     */
    public static final String DEFAULT_HEAP_AFTER_GC = HeapQueries.MICROMETER_HEAP_USED;
    public static final String DEFAULT_JVM_START = HeapQueries.PROCESS_START;

    public MetricQueries {
        Objects.requireNonNull(requests, "requests");
        Objects.requireNonNull(requestsPerInstance, "requestsPerInstance");
        Objects.requireNonNull(errorRatio, "errorRatio");
        Objects.requireNonNull(latencyP99, "latencyP99");
    }

    public static MetricQueries defaults() {
        return new MetricQueries(new QueryTemplate("requests", DEFAULT_REQUESTS),
                new QueryTemplate("requests_per_instance", DEFAULT_REQUESTS_PER_INSTANCE),
                new QueryTemplate("error_ratio", DEFAULT_ERROR_RATIO),
                new QueryTemplate("latency_p99", DEFAULT_LATENCY_P99));
    }

    /**
     * These queries with some replaced; a null or blank text keeps the current one.
     *
     * @throws InvalidQueryTemplateException naming the template and the problem
     */
    public MetricQueries withOverrides(String requestsText, String requestsPerInstanceText, String errorRatioText,
                                       String latencyP99Text) {
        return new MetricQueries(override(requests, requestsText), override(requestsPerInstance, requestsPerInstanceText),
                override(errorRatio, errorRatioText), override(latencyP99, latencyP99Text));
    }

    private static QueryTemplate override(QueryTemplate current, String text) {
        return text == null || text.isBlank() ? current : new QueryTemplate(current.name(), text);
    }
}
