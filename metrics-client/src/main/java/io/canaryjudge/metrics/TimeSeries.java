package io.canaryjudge.metrics;

import java.util.Arrays;
import java.util.Map;
import java.util.Objects;

/**
 * One series of a Prometheus range query: its labels and its points in time order. Values keep
 * what Prometheus said, including {@code NaN} and infinities; a gap (no point at a step) is simply
 * absent, never filled.
 *
 * @param labels           the series' labels (including {@code __name__} when present)
 * @param timestampsMillis point times, Unix epoch milliseconds, ascending
 * @param values           point values, same length as {@code timestampsMillis}
 */
public record TimeSeries(Map<String, String> labels, long[] timestampsMillis, double[] values) {
    public TimeSeries {
        labels = Map.copyOf(labels);
        Objects.requireNonNull(timestampsMillis, "timestampsMillis");
        Objects.requireNonNull(values, "values");
        if (timestampsMillis.length != values.length) {
            throw new IllegalArgumentException("timestamps (" + timestampsMillis.length + ") and values ("
                    + values.length + ") differ in length");
        }
        timestampsMillis = timestampsMillis.clone();
        values = values.clone();
    }

    public int size() {
        return values.length;
    }

    @Override
    public long[] timestampsMillis() {
        return timestampsMillis.clone();
    }

    @Override
    public double[] values() {
        return values.clone();
    }

    @Override
    public boolean equals(Object o) {
        return o instanceof TimeSeries t && labels.equals(t.labels)
                && Arrays.equals(timestampsMillis, t.timestampsMillis) && Arrays.equals(values, t.values);
    }

    @Override
    public int hashCode() {
        return Objects.hash(labels, Arrays.hashCode(timestampsMillis), Arrays.hashCode(values));
    }

    @Override
    public String toString() {
        return "TimeSeries" + labels + "[" + values.length + " points]";
    }
}
