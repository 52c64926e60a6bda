package io.canaryjudge.scenario.shop;

import java.util.Arrays;
import java.util.concurrent.TimeUnit;

/**
 * A background thread that publishes latency percentiles at a fixed period, whatever the
 * traffic: a fixed cost like the timers, metric exporters and health checks of a real service.
 * When a pod serves fewer requests, this thread's share of the CPU profile grows although its
 * code did not change, which is what the low-rate scenario shows.
 */
public final class LatencyReporter implements Runnable {
    /** Publishing period, milliseconds. */
    static final long PERIOD_MILLIS = 10;
    private static final int WINDOW = 4096;

    private final long[] latencies = new long[WINDOW];
    private int next;
    private volatile boolean running = true;
    private volatile long lastP99Nanos;

    /**
     * Records one request's latency, nanoseconds. Called from one worker thread; the reporter
     * reads the ring without locking (a torn read only blurs one percentile).
     */
    public void record(long nanos) {
        latencies[next] = nanos;
        next = (next + 1) & (WINDOW - 1);
    }

    public void stop() {
        running = false;
    }

    /** The most recent 99th percentile, nanoseconds (for the pod's log). */
    public long lastP99Nanos() {
        return lastP99Nanos;
    }

    @Override
    public void run() {
        while (running) {
            publish();
            try {
                TimeUnit.MILLISECONDS.sleep(PERIOD_MILLIS);
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
                return;
            }
        }
    }

    void publish() {
        long[] window = latencies.clone();
        Arrays.sort(window);
        lastP99Nanos = window[(int) (window.length * 0.99)];
    }
}
