package io.canaryjudge.metrics;

import java.time.Duration;
import java.time.Instant;
import java.util.List;
import reactor.core.publisher.Mono;

/**
 * The parts of Prometheus' HTTP API the judge uses. Failures are signalled as
 * {@link MetricsException}; an empty result is an empty list, not an error.
 */
public interface Prometheus {

    /**
     * {@code /api/v1/query_range}: a matrix of series.
     *
     * @param promql a complete PromQL expression (label values already escaped, see {@link PromQl})
     * @param step   resolution, at least one second
     */
    Mono<List<TimeSeries>> queryRange(String promql, Instant start, Instant end, Duration step);

    /**
     * {@link #queryRange} with Prometheus' {@code warnings} kept beside the series (a warning means
     * the answer may be partial). Implementations that cannot see warnings answer none.
     */
    default Mono<RangeQueryResult> queryRangeWithWarnings(String promql, Instant start, Instant end, Duration step) {
        return queryRange(promql, start, end, step).map(series -> new RangeQueryResult(series, List.of()));
    }

    /** Whether the server answers its readiness endpoint, and why not; completes and never errors. */
    Mono<Readiness> readiness();

    /** {@link #readiness()} without the reason. */
    default Mono<Boolean> ready() {
        return readiness().map(Readiness::ready);
    }
}
