package io.canaryjudge.metricgate;

import io.canaryjudge.metrics.TimeSeries;
import java.util.Arrays;
import java.util.List;

/**
 * The finite points of one group's series, pooled, with what was left out and how strongly
 * neighbouring points follow each other.
 *
 * @param values  finite values of all series, each series in time order, series after series
 * @param skipped NaN and ±Inf points left out (e.g. 0 / 0 when a pod served nothing in a window)
 * @param lag1    lag-1 autocorrelation of neighbouring finite points within each series, around the pooled
 *                mean; 0 when the values do not vary or there are no neighbours
 */
record SeriesSample(double[] values, int skipped, double lag1) {

    static SeriesSample of(List<TimeSeries> series) {
        double[] pooled = new double[series.stream().mapToInt(TimeSeries::size).sum()];
        int[] runEnds = new int[series.size()];
        int size = 0;
        int skipped = 0;
        for (int s = 0; s < series.size(); s++) {
            for (double value : series.get(s).values()) {
                if (Double.isFinite(value)) {
                    pooled[size++] = value;
                } else {
                    skipped++;
                }
            }
            runEnds[s] = size;
        }
        double[] values = Arrays.copyOf(pooled, size);
        return new SeriesSample(values, skipped, lag1(values, runEnds));
    }

    int size() {
        return values.length;
    }

    double mean() {
        double sum = 0;
        for (double value : values) {
            sum += value;
        }
        return sum / values.length;
    }

    private static double lag1(double[] values, int[] runEnds) {
        if (values.length < 3 || Arrays.stream(values).min().getAsDouble() == Arrays.stream(values).max().getAsDouble()) {
            // Equal values: no noise to correlate (rounding in the mean would fake a correlation of 1).
            return 0;
        }
        double mean = 0;
        for (double value : values) {
            mean += value;
        }
        mean /= values.length;
        double squares = 0;
        for (double value : values) {
            squares += (value - mean) * (value - mean);
        }
        double products = 0;
        int start = 0;
        for (int end : runEnds) {
            for (int i = start + 1; i < end; i++) {
                products += (values[i - 1] - mean) * (values[i] - mean);
            }
            start = end;
        }
        return squares > 0 ? products / squares : 0;
    }
}
