package io.canaryjudge.config;

import io.canaryjudge.metricgate.MetricGate;
import io.canaryjudge.metrics.HeapQueries;
import io.canaryjudge.metrics.ManagementPath;
import io.canaryjudge.metrics.MetricQueries;
import io.canaryjudge.metrics.MetricsExporter;
import java.net.URI;
import java.time.Duration;
import java.util.List;
import org.springframework.boot.context.properties.ConfigurationProperties;
import org.springframework.boot.context.properties.bind.DefaultValue;

/**
 * Prometheus, for request counts and request metrics ({@code canary-judge.prometheus.*}). Unset
 * {@code url} = no Prometheus: cost per request only from {@code requests.csv} files, no metric gates.
 *
 * @param url              base URL, e.g. {@code http://prometheus.monitoring:9090} (a path prefix such as
 *                         {@code https://mimir/prometheus} works)
 * @param timeout          time allowed for one query
 * @param tenant           sent as {@code X-Scope-OrgID} (Mimir, Cortex, Thanos receive); empty = none
 * @param username         Basic authentication user; empty = none
 * @param password         Basic authentication password
 * @param bearerToken      Bearer token (instead of Basic); empty = none
 * @param applicationLabel the metric label a request's {@code application} is matched against; empty = the
 *                         application is not part of metric selectors (the group's labels alone select)
 * @param exporter         whose metrics the pods expose ({@code micrometer}, {@code opentelemetry},
 *                         {@code jmx-exporter}, {@code istio}): the request queries' and the heap queries' defaults;
 *                         {@code queries}, {@code heap.exporter} and the rest of {@code heap} replace them
 * @param managementPath   the pods' management base path (Spring Boot's {@code management.endpoints.web.base-path}):
 *                         the default request queries of {@code micrometer} and {@code opentelemetry} leave out the
 *                         requests under it (Prometheus' scrapes, the kubelet's probes); {@code queries} replace that
 * @param queries          replacements for the default queries
 * @param gates            the error-ratio and p99-latency gates
 * @param heap             the memory-growth check's heap-after-GC and JVM-start queries
 */
@ConfigurationProperties("canary-judge.prometheus")
public record PrometheusProperties(URI url, @DefaultValue("3s") Duration timeout, @DefaultValue("") String tenant,
                                   @DefaultValue("") String username, @DefaultValue("") String password,
                                   @DefaultValue("") String bearerToken,
                                   @DefaultValue("service") String applicationLabel,
                                   @DefaultValue("micrometer") MetricsExporter exporter,
                                   @DefaultValue("/actuator") String managementPath, MetricQueryProperties queries,
                                   GateProperties.Gates gates, HeapQueryProperties heap) {

    private static final String P = "canary-judge.prometheus.";

    public PrometheusProperties {
        if (url != null) {
            PropertyCheck.httpUrl(url, P + "url");
        }
        PropertyCheck.positive(timeout, P + "timeout");
        tenant = tenant == null ? "" : tenant;
        username = username == null ? "" : username;
        password = password == null ? "" : password;
        bearerToken = bearerToken == null ? "" : bearerToken;
        if (!bearerToken.isEmpty() && !username.isEmpty()) {
            throw new IllegalArgumentException(P + "bearer-token and " + P + "username are both set; use one of"
                    + " Bearer or Basic authentication");
        }
        if (username.isEmpty() && !password.isEmpty()) {
            throw new IllegalArgumentException(P + "password is set without " + P + "username");
        }
        applicationLabel = applicationLabel == null ? "" : applicationLabel;
        if (!applicationLabel.isEmpty()) {
            PropertyCheck.labelName(applicationLabel, P + "application-label");
        }
        exporter = exporter == null ? MetricsExporter.MICROMETER : exporter;
        managementPath = managementPath(managementPath).path();
        // Checked now, so that a bad template or tolerance stops start-up naming its property.
        metricQueries(exporter, managementPath, queries);
        metricGates(gates);
        heapQueries(exporter, heap);
        heapStep(heap);
    }

    public boolean enabled() {
        return url != null;
    }

    /** The service-wide queries: the defaults with the configured replacements. */
    public MetricQueries metricQueries() {
        return metricQueries(exporter, managementPath, queries);
    }

    /**
     * The service-wide queries with the requests under {@code management} left out instead of under the service's
     * management path (a named config's own {@code management-path}): the exporter's defaults with the configured
     * replacements, which are taken as written.
     */
    public MetricQueries metricQueries(ManagementPath management) {
        return metricQueries(exporter, management.path(), queries);
    }

    /** The exporter's preset request queries, leaving out the requests under the management path. */
    public MetricQueries presetQueries(MetricsExporter named) {
        return presetQueries(named, managementPath(managementPath));
    }

    /** The exporter's preset request queries, leaving out the requests under {@code management}. */
    public MetricQueries presetQueries(MetricsExporter named, ManagementPath management) {
        return MetricQueries.of(named, management);
    }

    private static ManagementPath managementPath(String path) {
        return PropertyCheck.managementPath(path, P + "management-path");
    }

    /** The service-wide gates: error ratio (fails the verdict) and p99 latency (reported), as configured. */
    public List<MetricGate> metricGates() {
        return metricGates(gates);
    }

    /** The memory-growth check's queries: the exporter's defaults with the configured replacements. */
    public HeapQueries heapQueries() {
        return heapQueries(exporter, heap);
    }

    /**
     * The heap queries' exporter when a named config sets heap replacements but no exporter of its own: the service's
     * {@code heap.exporter}, else the one {@code exporter} implies.
     */
    HeapQueries.Exporter heapExporter() {
        return heapExporter(exporter, heap);
    }

    private static HeapQueries.Exporter heapExporter(MetricsExporter exporter, HeapQueryProperties heap) {
        return heap != null && heap.exporter() != null ? heap.exporter()
                : exporter.heap() != null ? exporter.heap() : HeapQueries.Exporter.MICROMETER;
    }

    /** Resolution of the heap queries: one point per pod and step. */
    public Duration heapStep() {
        return heapStep(heap);
    }

    private static HeapQueries heapQueries(MetricsExporter exporter, HeapQueryProperties heap) {
        HeapQueries.Exporter fallback = heapExporter(exporter, heap);
        return heap == null ? HeapQueries.of(fallback) : heap.queries(P + "heap", fallback);
    }

    private static Duration heapStep(HeapQueryProperties heap) {
        return heap == null ? HeapQueryProperties.DEFAULT_STEP : heap.step(P + "heap");
    }

    private static MetricQueries metricQueries(MetricsExporter exporter, String managementPath,
                                               MetricQueryProperties queries) {
        MetricQueries preset = MetricQueries.of(exporter, managementPath(managementPath));
        return queries == null ? preset : queries.applyTo(preset, P + "queries");
    }

    private static List<MetricGate> metricGates(GateProperties.Gates gates) {
        if (gates == null) {
            return List.of(MetricGate.errorRatio(), MetricGate.latencyP99());
        }
        return gates.applyTo(MetricGate.errorRatio(), MetricGate.latencyP99(), P + "gates");
    }

    @Override
    public String toString() {
        return "PrometheusProperties[url=" + url + ", timeout=" + timeout + ", tenant=" + tenant + ", username="
                + username + ", password=" + (password.isEmpty() ? "" : "***") + ", bearerToken="
                + (bearerToken.isEmpty() ? "" : "***") + ", applicationLabel=" + applicationLabel + ", exporter="
                + exporter + ", managementPath=" + managementPath + "]";
    }

    public static PrometheusProperties defaults() {
        return new PrometheusProperties(null, Duration.ofSeconds(3), "", "", "", "", "service",
                MetricsExporter.MICROMETER, ManagementPath.ACTUATOR.path(), null, null, null);
    }
}
