package io.canaryjudge.scenario;

import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.concurrent.Semaphore;
import java.util.concurrent.atomic.LongAdder;
import java.util.concurrent.locks.LockSupport;
import java.util.function.LongFunction;

/**
 * The open-loop HTTP load the recorded pods' load generators share (qa53's {@code PricingLoad}, qa79's
 * {@code MixLoad}), run in their own JVM: each target gets arrivals at a fixed rate whatever its answers (a late pacer
 * catches up), at most 64 requests in flight (more are dropped and counted, so a slow pod sheds load instead of
 * queueing it in the client), HTTP/1.1 over loopback; a line of counts every 10 s on stderr.
 */
public final class OpenLoopLoad {
    /** Requests in flight per target beyond which arrivals are dropped. */
    private static final int MAX_IN_FLIGHT = 64;
    /** The pacer's sleep between checks of what is due, nanoseconds: arrivals come in bursts this far apart. */
    private static final long PACER_PARK_NANOS = 2_000_000L;

    /** One target: its name (the pacer thread's) and its {@code n}-th request, counted from 0. */
    public record Target(String name, LongFunction<HttpRequest> request) {
    }

    private OpenLoopLoad() {
    }

    /**
     * Sends each target {@code rate} requests a second for {@code seconds}, then exits the JVM. A request answered
     * 200 counts as ok; any other status or an exception as failed.
     */
    public static void run(double rate, double seconds, List<Target> targets) throws InterruptedException {
        HttpClient client = HttpClient.newBuilder().version(HttpClient.Version.HTTP_1_1)
                .connectTimeout(Duration.ofSeconds(5)).build();
        LongAdder ok = new LongAdder();
        LongAdder failed = new LongAdder();
        LongAdder dropped = new LongAdder();
        List<Thread> threads = new ArrayList<>();
        for (Target target : targets) {
            Semaphore inFlight = new Semaphore(MAX_IN_FLIGHT);
            Thread pacer = new Thread(() -> {
                long start = System.nanoTime();
                long issued = 0;
                while ((System.nanoTime() - start) / 1e9 < seconds) {
                    long due = (long) ((System.nanoTime() - start) * rate / 1e9);
                    for (; issued < due; issued++) {
                        if (!inFlight.tryAcquire()) {
                            dropped.increment();
                            continue;
                        }
                        client.sendAsync(target.request().apply(issued), HttpResponse.BodyHandlers.discarding())
                                .whenComplete((r, x) -> {
                                    inFlight.release();
                                    (x == null && r.statusCode() == 200 ? ok : failed).increment();
                                });
                    }
                    LockSupport.parkNanos(PACER_PARK_NANOS);
                }
            }, "pacer-" + target.name());
            threads.add(pacer);
            pacer.start();
        }
        Thread reporter = new Thread(() -> {
            while (true) {
                try {
                    Thread.sleep(10_000);
                } catch (InterruptedException x) {
                    return;
                }
                System.err.printf(Locale.ROOT, "load: %d ok, %d failed, %d dropped%n", ok.sum(), failed.sum(),
                        dropped.sum());
            }
        }, "reporter");
        reporter.setDaemon(true);
        reporter.start();
        for (Thread t : threads) {
            t.join();
        }
        System.exit(0);
    }
}
