package io.canaryjudge.analysis;

import io.micrometer.core.instrument.Gauge;
import io.micrometer.core.instrument.MeterRegistry;
import java.util.ArrayDeque;
import java.util.Deque;
import java.util.function.Supplier;
import reactor.core.publisher.Mono;
import reactor.core.publisher.Sinks;

/**
 * Bounds the analyses in progress: at most {@code maxConcurrent} run, at most {@code queue} more wait (without
 * holding a thread) for a slot in arrival order, and any beyond that are refused at once with
 * {@link TooManyAnalysesException} (answered 429 with Retry-After). Memory stays bounded: an upload's body is
 * read only once its analysis holds a slot.
 */
public final class AnalysisGate {
    private final int maxConcurrent;
    private final int queue;
    private final Deque<Ticket> waiting = new ArrayDeque<>();
    private int running;

    private static final class Ticket {
        final Sinks.Empty<Void> ready = Sinks.empty();
        boolean started;
        boolean released;
    }

    /** Too many analyses are running and waiting; try again later. */
    public static final class TooManyAnalysesException extends RuntimeException {
        public TooManyAnalysesException(int running, int waiting) {
            super(running + " analyses are running and " + waiting + " are waiting, the most this service takes;"
                    + " try again shortly");
        }
    }

    public AnalysisGate(int maxConcurrent, int queue, MeterRegistry registry) {
        if (maxConcurrent < 1 || queue < 0) {
            throw new IllegalArgumentException("maxConcurrent must be >= 1 and queue >= 0");
        }
        this.maxConcurrent = maxConcurrent;
        this.queue = queue;
        Gauge.builder("canary.judge.analyses.running", this, gate -> gate.counts()[0])
                .description("Analyses running now").register(registry);
        Gauge.builder("canary.judge.analyses.waiting", this, gate -> gate.counts()[1])
                .description("Analyses waiting for a slot").register(registry);
    }

    /**
     * Runs {@code work} once a slot is free; signals {@link TooManyAnalysesException} when the queue is full.
     * The slot is given back when the work completes, fails or is cancelled (the caller hung up).
     */
    public <T> Mono<T> submit(Supplier<Mono<T>> work) {
        return Mono.defer(() -> {
            Ticket ticket = new Ticket();
            boolean start;
            synchronized (this) {
                if (running + waiting.size() >= maxConcurrent + queue) {
                    return Mono.error(new TooManyAnalysesException(running, waiting.size()));
                }
                start = running < maxConcurrent;
                if (start) {
                    running++;
                    ticket.started = true;
                } else {
                    waiting.addLast(ticket);
                }
            }
            if (start) {
                ticket.ready.tryEmitEmpty();
            }
            return ticket.ready.asMono().then(Mono.defer(work)).doFinally(signal -> release(ticket));
        });
    }

    private void release(Ticket ticket) {
        Ticket next = null;
        synchronized (this) {
            if (ticket.released) {
                return;
            }
            ticket.released = true;
            if (!ticket.started) {
                waiting.remove(ticket);
                return;
            }
            running--;
            if (!waiting.isEmpty()) {
                next = waiting.removeFirst();
                next.started = true;
                running++;
            }
        }
        if (next != null) {
            next.ready.tryEmitEmpty();
        }
    }

    /** {running, waiting} */
    synchronized int[] counts() {
        return new int[] {running, waiting.size()};
    }
}
