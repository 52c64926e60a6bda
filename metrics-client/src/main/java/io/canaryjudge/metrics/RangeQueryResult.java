package io.canaryjudge.metrics;

import java.util.List;

/**
 * A range query's answer with what Prometheus said beside it.
 *
 * @param series   the matrix, in Prometheus' order; empty when nothing matched
 * @param warnings Prometheus' {@code warnings} (e.g. a partial answer from a remote store), plus notes of
 *                 this client about data it could not represent (native histogram samples); empty when none
 */
public record RangeQueryResult(List<TimeSeries> series, List<String> warnings) {
    public RangeQueryResult {
        series = List.copyOf(series);
        warnings = List.copyOf(warnings);
    }
}
