package io.canaryjudge.config;

import io.canaryjudge.metrics.InvalidQueryTemplateException;
import io.canaryjudge.metrics.MetricQueries;

/**
 * Replacements for the default request-metric queries (PromQL templates with {@code {{selector}}},
 * {@code {{range}}}, {@code {{application}}}, {@code {{namespace}}}, {@code {{instance_label}}}); unset keeps
 * the default (docs/METRICS.md).
 *
 * @param requestsPerInstance requests per pod and slice (cost per request), one series per pod
 * @param errorRatio          5xx / all responses, 0..1
 * @param latencyP99          99th percentile of request duration, seconds
 * @param requestsPerEndpoint requests per pod, endpoint and slice (the request mix), one series per pod and endpoint
 * @param endpointLabel       the label of {@code requestsPerEndpoint}'s series naming the endpoint ({@code uri} for
 *                            Micrometer, {@code http_route} for the OpenTelemetry agent); the template must group by it
 */
public record MetricQueryProperties(String requestsPerInstance, String errorRatio, String latencyP99,
                                    String requestsPerEndpoint, String endpointLabel) {

    /** {@code base} with these replacements, checked; errors name {@code property}.KEY. */
    MetricQueries applyTo(MetricQueries base, String property) {
        try {
            return base.withOverrides(null, requestsPerInstance, errorRatio, latencyP99)
                    .withEndpoints(requestsPerEndpoint, endpointLabel);
        } catch (InvalidQueryTemplateException e) {
            String key = switch (e.templateName()) {
                case "requests_per_instance" -> "requests-per-instance";
                case "error_ratio" -> "error-ratio";
                case "latency_p99" -> "latency-p99";
                case "requests_per_endpoint" -> "requests-per-endpoint";
                default -> e.templateName();
            };
            throw new IllegalArgumentException(property + "." + key + ": " + e.getMessage(), e);
        }
    }
}
