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
 */
public record MetricQueryProperties(String requestsPerInstance, String errorRatio, String latencyP99) {

    /** {@code base} with these replacements, checked; errors name {@code property}.KEY. */
    MetricQueries applyTo(MetricQueries base, String property) {
        try {
            return base.withOverrides(null, requestsPerInstance, errorRatio, latencyP99);
        } catch (InvalidQueryTemplateException e) {
            String key = switch (e.templateName()) {
                case "requests_per_instance" -> "requests-per-instance";
                case "error_ratio" -> "error-ratio";
                case "latency_p99" -> "latency-p99";
                default -> e.templateName();
            };
            throw new IllegalArgumentException(property + "." + key + ": " + e.getMessage(), e);
        }
    }
}
