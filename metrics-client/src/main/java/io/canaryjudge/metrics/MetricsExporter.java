package io.canaryjudge.metrics;

/**
 * Whose metrics the pods expose, choosing the default request queries ({@link MetricQueries#of}) and heap queries
 * ({@link HeapQueries#of}) together: a user of the OpenTelemetry Java agent names it once instead of copying six
 * queries from docs/METRICS.md. Each query can still be replaced.
 */
public enum MetricsExporter {
    /** Micrometer (Spring Boot Actuator): {@code http_server_requests_seconds_*} and its JVM metrics. The default. */
    MICROMETER(HeapQueries.Exporter.MICROMETER),
    /** The OpenTelemetry Java agent 2.x through its Prometheus exporter: {@code http_server_request_duration_seconds_*}. */
    OPENTELEMETRY(HeapQueries.Exporter.OPENTELEMETRY),
    /** The Prometheus JMX exporter 1.x: JVM metrics, no request metrics (it exports MBeans and the JVM's own only). */
    JMX_EXPORTER(HeapQueries.Exporter.JMX_EXPORTER),
    /**
     * Istio's sidecar metrics ({@code istio_requests_total}, {@code istio_request_duration_milliseconds_*}) for the
     * requests. A sidecar exports no JVM metrics: it says nothing of the heap queries, which stay those the heap's
     * exporter names (Micrometer's by default).
     */
    ISTIO(null),
    /**
     * A Node.js service instrumented with a prom-client histogram {@code http_request_duration_seconds} with {@code
     * method}, {@code route} and {@code code} labels, seconds (the common hand-written one; prom-client's README defines
     * no HTTP metric; recorded with prom-client 15.1.3, src/test/resources/qa93). Other middlewares' names (e.g.
     * express-prom-bundle's {@code status_code}, {@code path}) need {@code queries.*}. prom-client exports no JVM heap: the heap queries stay those the
     * heap's exporter names (Micrometer's by default, which find no series on a Node pod: the memory check says so).
     */
    PROM_CLIENT(null);

    private final HeapQueries.Exporter heap;

    MetricsExporter(HeapQueries.Exporter heap) {
        this.heap = heap;
    }

    /** The heap queries' exporter when no other is named; null when this one exports no JVM metrics (Istio, prom-client). */
    public HeapQueries.Exporter heap() {
        return heap;
    }
}
