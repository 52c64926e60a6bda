package io.canaryjudge.web;

import io.swagger.v3.oas.annotations.media.Schema;
import java.util.List;
import java.util.Map;

/**
 * The JSON body of {@code POST /api/v1/analyses}, as sent; every field is checked by {@link AnalysisRequests}.
 * Unknown fields are refused (a misspelt {@code lookbak} must not silently become the default).
 *
 * @param application  the application: Pyroscope's {@code service_name} (label configurable), a local directory
 * @param namespace    optional; matched against the namespace label when one is configured
 * @param baseline     the baseline (stable) pods: {@code {"labels": {"rollouts_pod_template_hash": "6d4f8c7b9"}}}
 * @param canary       the canary pods
 * @param start        window start, ISO-8601 ({@code 2026-11-25T10:00:00Z}); with {@code end}
 * @param end          window end, after start
 * @param lookback     instead of start/end: the window ending now, e.g. {@code 10m}
 * @param profileTypes profile types to judge, e.g. {@code ["cpu", "alloc_bytes"]}
 * @param config       a named config
 * @param overrides    threshold overrides, e.g. {@code {"minRelativeChange": 0.1}}
 * @param deadline     answer within this time (default {@code canary-judge.analysis.deadline}), e.g. {@code 8s}
 */
// required in the OpenAPI description as AnalysisRequests requires them: a generated client must not let them out
@Schema(requiredProperties = {"application", "baseline", "canary"})
public record AnalysisRequestBody(String application, String namespace, GroupBody baseline, GroupBody canary,
                                  String start, String end, String lookback, List<String> profileTypes,
                                  String config, Map<String, Object> overrides, String deadline) {

    /** @param labels label name → value; every one must match */
    public record GroupBody(Map<String, String> labels) {
    }
}
