package io.canaryjudge.source;

import java.util.ArrayDeque;
import java.util.Deque;
import java.util.function.Supplier;
import reactor.core.publisher.Mono;
import reactor.core.publisher.Sinks;

/**
 * A non-blocking semaphore with a bounded queue: at most {@code permits} pieces of work run at once, at most
 * {@code maxWaiting} more wait (in arrival order, holding no thread); beyond that {@link #run} fails at once with
 * {@link QueueFullException}. A permit is given back when the work completes, fails or is cancelled; work
 * cancelled while waiting leaves the queue.
 */
public final class Permits {
    private final int permits;
    private final int maxWaiting;
    private final Deque<Ticket> waiting = new ArrayDeque<>();
    private int running;

    private static final class Ticket {
        final Sinks.Empty<Void> ready = Sinks.empty();
        boolean started;
        boolean released;
    }

    /** No permit is free and the queue is full. */
    public static final class QueueFullException extends RuntimeException {
        QueueFullException(int running, int waiting) {
            super(running + " running and " + waiting + " waiting");
        }
    }

    /**
     * @param permits    work running at once, at least 1
     * @param maxWaiting work waiting at most, at least 0
     */
    public Permits(int permits, int maxWaiting) {
        if (permits < 1 || maxWaiting < 0) {
            throw new IllegalArgumentException("permits must be >= 1 and maxWaiting >= 0, were " + permits + " and "
                    + maxWaiting);
        }
        this.permits = permits;
        this.maxWaiting = maxWaiting;
    }

    /** Runs {@code work} once a permit is free; signals {@link QueueFullException} when the queue is full. */
    public <T> Mono<T> run(Supplier<Mono<T>> work) {
        return Mono.defer(() -> {
            Ticket ticket = new Ticket();
            boolean start;
            synchronized (this) {
                if (running >= permits && waiting.size() >= maxWaiting) {
                    return Mono.error(new QueueFullException(running, waiting.size()));
                }
                start = running < permits;
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
            // Given back as the work ends, before its answer is passed on (doFinally runs only after the downstream
            // took it): a client told 408 for a stalled upload that came straight back was refused 429 by the slot
            // the ended upload still held. doFinally covers cancellation (the caller hung up); release is idempotent.
            return ticket.ready.asMono().then(Mono.defer(work)).doOnTerminate(() -> release(ticket))
                    .doFinally(signal -> release(ticket));
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

    public synchronized int running() {
        return running;
    }

    public synchronized int waiting() {
        return waiting.size();
    }
}
