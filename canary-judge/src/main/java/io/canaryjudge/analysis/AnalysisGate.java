package io.canaryjudge.analysis;

import io.canaryjudge.source.Permits;
import io.micrometer.core.instrument.Gauge;
import io.micrometer.core.instrument.MeterRegistry;
import java.util.function.Supplier;
import reactor.core.publisher.Mono;

/**
 * Bounds the analyses in progress: at most {@code maxConcurrent} run, at most {@code queue} more wait (without
 * holding a thread) for a slot in arrival order, and any beyond that are refused at once with
 * {@link TooManyAnalysesException} (answered 429 with Retry-After). Memory stays bounded: an upload's body is
 * read only once its analysis holds a slot.
 */
public final class AnalysisGate {
    private final Permits permits;

    /** Too many analyses are running and waiting; try again later. */
    public static final class TooManyAnalysesException extends RuntimeException {
        public TooManyAnalysesException(int running, int waiting) {
            super(running + " analyses are running and " + waiting + " are waiting, the most this service takes;"
                    + " try again shortly");
        }
    }

    public AnalysisGate(int maxConcurrent, int queue, MeterRegistry registry) {
        this.permits = new Permits(maxConcurrent, queue);
        Gauge.builder("canary.judge.analyses.running", permits, Permits::running)
                .description("Analyses running now").register(registry);
        Gauge.builder("canary.judge.analyses.waiting", permits, Permits::waiting)
                .description("Analyses waiting for a slot").register(registry);
    }

    /**
     * Runs {@code work} once a slot is free; signals {@link TooManyAnalysesException} when the queue is full.
     * The slot is given back when the work completes, fails or is cancelled (the caller hung up).
     */
    public <T> Mono<T> submit(Supplier<Mono<T>> work) {
        return permits.run(work).onErrorMap(Permits.QueueFullException.class,
                e -> new TooManyAnalysesException(permits.running(), permits.waiting()));
    }
}
