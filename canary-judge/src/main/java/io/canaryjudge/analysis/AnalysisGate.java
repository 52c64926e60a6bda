package io.canaryjudge.analysis;

import io.canaryjudge.source.Deadline;
import io.canaryjudge.source.Permits;
import io.micrometer.core.instrument.Gauge;
import io.micrometer.core.instrument.MeterRegistry;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.Locale;
import java.util.function.Supplier;
import reactor.core.publisher.Mono;

/**
 * Bounds the analyses in progress: at most {@code maxConcurrent} run, at most {@code queue} more wait (without
 * holding a thread) for a slot in arrival order, and any beyond that are refused at once with
 * {@link TooManyAnalysesException} (answered 429 with Retry-After). Memory stays bounded: an upload's body is
 * read only once its analysis holds a slot.
 *
 * <p>An analysis whose slot came only after the time it had to fetch was up ({@link #submit(Deadline, Supplier)}) is
 * refused the same way rather than run: with nothing fetched its answer could only be an INCONCLUSIVE blaming missing
 * data, which Argo counts towards {@code inconclusiveLimit} (and pauses the rollout), where a 429 is an Error
 * measurement Argo asks again 10 s later.
 */
public final class AnalysisGate {
    private final Permits permits;
    private final int maxConcurrent;
    private final Duration judgeTime;
    private final Clock clock;

    /** Too many analyses are running and waiting; try again later. */
    public static final class TooManyAnalysesException extends RuntimeException {
        public TooManyAnalysesException(int running, int waiting) {
            super(running + " analyses are running and " + waiting + " are waiting, the most this service takes;"
                    + " try again shortly");
        }

        TooManyAnalysesException(Duration waited, Deadline deadline, int maxConcurrent) {
            super(String.format(Locale.ROOT, "this analysis waited %.1f s of its %s deadline for one of the %d analysis"
                    + " slots (canary-judge.analysis.max-concurrent), which left no time to fetch its profiles: the"
                    + " service is busy; try again shortly", waited.toMillis() / 1000.0, deadline.allowedText(),
                    maxConcurrent));
        }
    }

    /**
     * @param judgeTime the part of each deadline kept for judging ({@code canary-judge.analysis.judge-time}): fetching
     *                  stops this long before the deadline
     */
    public AnalysisGate(int maxConcurrent, int queue, Duration judgeTime, MeterRegistry registry, Clock clock) {
        this.permits = new Permits(maxConcurrent, queue);
        this.maxConcurrent = maxConcurrent;
        this.judgeTime = judgeTime;
        this.clock = clock;
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

    /**
     * {@link #submit(Supplier)} for an analysis with {@code deadline}: a slot that comes once the time to fetch is up
     * (the deadline less the judging time) signals {@link TooManyAnalysesException} saying how long the analysis
     * waited, and {@code work} does not run.
     */
    public <T> Mono<T> submit(Deadline deadline, Supplier<Mono<T>> work) {
        Instant fetchBy = deadline.at().minus(judgeTime);
        return submit(() -> {
            Instant now = clock.instant();
            if (!now.isBefore(fetchBy)) {
                Instant received = deadline.at().minus(deadline.allowed());
                return Mono.error(new TooManyAnalysesException(Duration.between(received, now), deadline,
                        maxConcurrent));
            }
            return work.get();
        });
    }
}
