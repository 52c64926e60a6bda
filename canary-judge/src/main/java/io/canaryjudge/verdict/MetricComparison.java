package io.canaryjudge.verdict;

/**
 * A request metric compared between groups (from Prometheus), e.g. error ratio or p99 latency.
 *
 * @param name           metric name, e.g. {@code error_ratio}
 * @param baseline       baseline value, null when there was no data
 * @param canary         canary value, null when there was no data
 * @param relativeChange canary / baseline − 1, null when undefined
 * @param note           how it was judged, or why not
 */
public record MetricComparison(String name, Double baseline, Double canary, Double relativeChange, String note) {
}
