package io.canaryjudge.scenario.shop;

import java.util.concurrent.atomic.LongAdder;
import java.util.concurrent.locks.LockSupport;

/**
 * A request-serving thread: takes orders from its feed and serves them in batches, counting
 * each served request. It serves flat out until {@link #limitRate} sets a target rate; then it
 * paces itself on a schedule (request n is not served before n / rate seconds), which holds
 * the rate even on a machine where sleeping threads win the CPU back when they wake.
 */
public final class ShopWorker implements Runnable {
    private static final int BATCH = 32;

    private final ShopRequestHandler handler;
    private final OrderFeed feed;
    private final LatencyReporter reporter;
    private final LongAdder served;
    private volatile boolean running = true;
    private volatile double requestsPerSecond;
    private long sink;

    public ShopWorker(ShopVariant variant, long seed, LatencyReporter reporter, LongAdder served) {
        this.handler = new ShopRequestHandler(variant);
        this.feed = new OrderFeed(seed);
        this.reporter = reporter;
        this.served = served;
    }

    public void stop() {
        running = false;
    }

    /** From now on serve at most {@code perSecond} requests per second; 0 = flat out. */
    public void limitRate(double perSecond) {
        requestsPerSecond = perSecond;
    }

    /** A value derived from every response, so the JIT cannot drop the work. */
    public long sink() {
        return sink;
    }

    @Override
    public void run() {
        double rate = 0;
        long scheduleStart = 0;
        long scheduled = 0;
        while (running) {
            for (int i = 0; i < BATCH; i++) {
                long start = System.nanoTime();
                sink += handler.handle(feed.next());
                reporter.record(System.nanoTime() - start);
                served.increment();
            }
            double wanted = requestsPerSecond;
            if (wanted != rate) {
                rate = wanted;
                scheduleStart = System.nanoTime();
                scheduled = 0;
            }
            if (rate > 0) {
                scheduled += BATCH;
                long due = scheduleStart + (long) (scheduled * 1e9 / rate);
                long wait = due - System.nanoTime();
                if (wait > 0) {
                    LockSupport.parkNanos(wait);
                }
            }
        }
    }
}
