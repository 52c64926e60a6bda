package io.canaryjudge.heldout.search;

import java.util.concurrent.atomic.LongAdder;

/**
 * A request-serving thread: runs the service's requests (or the re-indexing job's batches for the
 * {@code reindex} program) flat out, counting each one served.
 */
public final class SearchWorker implements Runnable {
    private final SearchRequestHandler handler;
    private final BulkReindexer reindexer;
    private final QueryFeed feed;
    private final LongAdder served;
    private volatile boolean running = true;
    private volatile Throwable failure;
    private long sink;

    /** A worker of {@code variant}'s program; {@code handler} is null for the reindex program. */
    public SearchWorker(SearchRequestHandler handler, BulkReindexer reindexer, QueryFeed feed, LongAdder served) {
        this.handler = handler;
        this.reindexer = reindexer;
        this.feed = feed;
        this.served = served;
    }

    public void stop() {
        running = false;
    }

    /** The error that stopped the worker, or null. */
    public Throwable failure() {
        return failure;
    }

    /** A value derived from every response, so the JIT cannot drop the work. */
    public long sink() {
        return sink;
    }

    @Override
    public void run() {
        try {
            while (running) {
                if (handler != null) {
                    sink += handler.handle(feed.next());
                    served.increment();
                } else {
                    served.add(reindexer.runBatch());
                }
            }
        } catch (Exception | Error e) {
            failure = e;
        }
    }
}
