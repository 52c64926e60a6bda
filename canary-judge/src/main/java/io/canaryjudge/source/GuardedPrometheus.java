package io.canaryjudge.source;

import io.canaryjudge.metrics.MetricsException;
import io.canaryjudge.metrics.Prometheus;
import io.canaryjudge.metrics.Readiness;
import io.canaryjudge.metrics.TimeSeries;
import io.github.resilience4j.circuitbreaker.CircuitBreaker;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.concurrent.TimeoutException;
import reactor.core.publisher.Mono;

/** A {@link Prometheus} whose queries go through a {@link SourceGuard} (timeouts, retries, circuit breaker). */
public final class GuardedPrometheus implements Prometheus {
    /** The source's name in messages and metrics. */
    public static final String NAME = "prometheus";

    private final Prometheus delegate;
    private final SourceGuard guard;
    private final Duration healthTimeout;

    public GuardedPrometheus(Prometheus delegate, SourceGuard guard, Duration healthTimeout) {
        this.delegate = delegate;
        this.guard = guard;
        this.healthTimeout = healthTimeout;
    }

    /** How Prometheus reports failures: {@link MetricsException} and its kinds. */
    public static SourceFailures failures() {
        return new SourceFailures() {
            @Override
            public FailureKind classify(Throwable failure) {
                if (failure instanceof GuardException guarded) {
                    return guarded.failureKind;
                }
                if (failure instanceof MetricsException e) {
                    return switch (e.kind()) {
                        case UNAVAILABLE -> FailureKind.UNAVAILABLE;
                        case TIMEOUT -> FailureKind.TIMEOUT;
                        case BAD_RESPONSE -> FailureKind.BAD_RESPONSE;
                        case NOT_THE_API -> FailureKind.NOT_THE_API;
                        case REJECTED -> FailureKind.REJECTED;
                    };
                }
                return failure instanceof TimeoutException ? FailureKind.TIMEOUT : FailureKind.BAD_RESPONSE;
            }

            @Override
            public RuntimeException create(FailureKind kind, String message, Throwable cause) {
                return new GuardException(kind, message, cause);
            }
        };
    }

    /** A failure the guard detected, as a {@link MetricsException}. */
    static final class GuardException extends MetricsException {
        private final FailureKind failureKind;

        GuardException(FailureKind failureKind, String message, Throwable cause) {
            super(failureKind == FailureKind.TIMEOUT || failureKind == FailureKind.DEADLINE ? Kind.TIMEOUT
                    : Kind.UNAVAILABLE, NAME + ": " + message, cause);
            this.failureKind = failureKind;
        }

        @Override
        public boolean retryable() {
            return failureKind.retryable();
        }
    }

    public CircuitBreaker.State circuitState() {
        return guard.circuitState();
    }

    @Override
    public Mono<List<TimeSeries>> queryRange(String promql, Instant start, Instant end, Duration step) {
        return guard.read("query_range", () -> delegate.queryRange(promql, start, end, step));
    }

    @Override
    public Mono<io.canaryjudge.metrics.RangeQueryResult> queryRangeWithWarnings(String promql, Instant start,
                                                                               Instant end, Duration step) {
        return guard.read("query_range", () -> delegate.queryRangeWithWarnings(promql, start, end, step));
    }

    @Override
    public Mono<Readiness> readiness() {
        if (guard.circuitState() == CircuitBreaker.State.OPEN) {
            return Mono.just(Readiness.down(NAME + " " + guard.openReason()));
        }
        return delegate.readiness().timeout(healthTimeout).onErrorResume(e -> Mono.just(Readiness.down(
                e instanceof TimeoutException ? "no answer within " + healthTimeout.toMillis() + " ms"
                        : String.valueOf(e.getMessage()))));
    }
}
