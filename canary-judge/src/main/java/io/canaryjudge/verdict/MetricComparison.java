package io.canaryjudge.verdict;

/**
 * A request metric compared between groups (from Prometheus), e.g. error ratio or p99 latency.
 *
 * @param name           metric name, e.g. {@code error_ratio}
 * @param baseline       baseline value, null when there was no data
 * @param canary         canary value, null when there was no data
 * @param relativeChange canary / baseline − 1, null when undefined
 * @param note           how it was judged, or why not
 * @param unit           what the values are (a ratio 0..1, seconds), for the renderings; never null
 */
public record MetricComparison(String name, Double baseline, Double canary, Double relativeChange, String note,
                               MetricUnit unit) {

    public MetricComparison {
        unit = unit == null ? MetricUnit.NONE : unit;
    }

    /** Without a unit: the values are plain numbers. */
    public MetricComparison(String name, Double baseline, Double canary, Double relativeChange, String note) {
        this(name, baseline, canary, relativeChange, note, MetricUnit.NONE);
    }

    /** A value of this metric with its unit; empty when it does not exist. */
    public String text(Double value) {
        return value == null || !Double.isFinite(value) ? "" : unit.text(value);
    }
}
