package io.canaryjudge.config;

import io.canaryjudge.metricgate.MetricGate;
import io.canaryjudge.metrics.HeapQueries;
import io.canaryjudge.metrics.MetricQueries;
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
 * @param queries          replacements for the default queries
 * @param gates            the error-ratio and p99-latency gates
 * @param heap             the memory-growth check's heap-after-GC and JVM-start queries
 */
@ConfigurationProperties("canary-judge.prometheus")
public record PrometheusProperties(URI url, @DefaultValue("3s") Duration timeout, @DefaultValue("") String tenant,
                                   @DefaultValue("") String username, @DefaultValue("") String password,
                                   @DefaultValue("") String bearerToken,
                                   @DefaultValue("service") String applicationLabel,
                                   MetricQueryProperties queries, GateProperties.Gates gates,
                                   HeapQueryProperties heap) {

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
        // Checked now, so that a bad template or tolerance stops start-up naming its property.
        metricQueries(queries);
        metricGates(gates);
        heapQueries(heap);
        heapStep(heap);
    }

    public boolean enabled() {
        return url != null;
    }

    /** The service-wide queries: the defaults with the configured replacements. */
    public MetricQueries metricQueries() {
        return metricQueries(queries);
    }

    /** The service-wide gates: error ratio (fails the verdict) and p99 latency (reported), as configured. */
    public List<MetricGate> metricGates() {
        return metricGates(gates);
    }

    /** The memory-growth check's queries: the exporter's defaults with the configured replacements. */
    public HeapQueries heapQueries() {
        return heapQueries(heap);
    }

    /** Resolution of the heap queries: one point per pod and step. */
    public Duration heapStep() {
        return heapStep(heap);
    }

    private static HeapQueries heapQueries(HeapQueryProperties heap) {
        return heap == null ? HeapQueries.defaults() : heap.queries(P + "heap");
    }

    private static Duration heapStep(HeapQueryProperties heap) {
        return heap == null ? HeapQueryProperties.DEFAULT_STEP : heap.step(P + "heap");
    }

    private static MetricQueries metricQueries(MetricQueryProperties queries) {
        return queries == null ? MetricQueries.defaults() : queries.applyTo(MetricQueries.defaults(), P + "queries");
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
                + (bearerToken.isEmpty() ? "" : "***") + ", applicationLabel=" + applicationLabel + "]";
    }

    public static PrometheusProperties defaults() {
        return new PrometheusProperties(null, Duration.ofSeconds(3), "", "", "", "", "service", null, null, null);
    }
}
