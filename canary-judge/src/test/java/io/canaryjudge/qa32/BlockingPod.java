package io.canaryjudge.qa32;

import io.canaryjudge.scenario.OpenLoopPod;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.HashMap;
import java.util.Map;
import java.util.concurrent.Semaphore;

/**
 * One pod of a small service whose requests block: requests arrive at a fixed rate (open loop) and a pool of
 * {@code workers} threads serves them; each request prices an item ({@link PricingEngine#price}, CPU work), looks
 * it up in a shared cache guarded by a lock ({@link ProductCache#lookup}) and calls a downstream service through a
 * connection pool of {@code connections} ({@link InventoryClient#reserve}: waits for a connection, then
 * {@code downstreamMillis} of waiting on the "network"). Variants ({@code variant=}):
 * <ul>
 *   <li>{@code base} — as above;</li>
 *   <li>{@code sync} — the pricing runs inside the cache's lock (a new {@code synchronized} section on the request
 *       path: the same CPU, now serialised);</li>
 *   <li>{@code pool} — the connection pool shrunk to {@code smallPool} (requests queue for a connection);</li>
 *   <li>{@code sleep} — a retry with back-off ({@link RetryPolicy#backoff}, {@code Thread.sleep}) on every
 *       other request;</li>
 *   <li>{@code cpu} — the pricing does {@code cpuFactor} times the work (control: a CPU regression).</li>
 * </ul>
 * Records {@code slices} JFR files of {@code sliceMillis} each after {@code warmupMillis}, under async-profiler
 * with CPU ({@code event}: cpu or itimer), wall-clock ({@code wall=}) and lock ({@code lock=}) events in one
 * session, and {@code requests.csv}. Run with {@code -XX:+UnlockDiagnosticVMOptions -XX:+DebugNonSafepoints}.
 */
public final class BlockingPod {
    private BlockingPod() {
    }

    public static void main(String[] args) throws Exception {
        Map<String, String> map = OpenLoopPod.arguments(args);
        Path folder = Files.createDirectories(Path.of(map.get("output")));
        double rate = Double.parseDouble(map.getOrDefault("rate", "250"));
        int slices = Integer.parseInt(map.getOrDefault("slices", "6"));
        long sliceMillis = Long.parseLong(map.getOrDefault("sliceMillis", "10000"));
        long warmupMillis = Long.parseLong(map.getOrDefault("warmupMillis", "15000"));
        String variant = map.getOrDefault("variant", "base");
        int workers = Integer.parseInt(map.getOrDefault("workers", "8"));
        int connections = Integer.parseInt(map.getOrDefault("connections", "6"));
        int smallPool = Integer.parseInt(map.getOrDefault("smallPool", "2"));
        long downstreamMicros = Long.parseLong(map.getOrDefault("downstreamMicros", "4000"));
        int priceWork = Integer.parseInt(map.getOrDefault("priceWork", "3000"));
        double cpuFactor = Double.parseDouble(map.getOrDefault("cpuFactor", "1.5"));
        String profilerArgs = map.getOrDefault("profiler", "event=itimer,interval=2ms,wall=10ms,lock=10us");

        PricingEngine pricing = new PricingEngine(variant.equals("cpu") ? (int) (priceWork * cpuFactor) : priceWork);
        ProductCache cache = new ProductCache(variant.equals("sync"));
        InventoryClient inventory = new InventoryClient(
                new Semaphore(variant.equals("pool") ? smallPool : connections, true), downstreamMicros);
        RetryPolicy retry = new RetryPolicy(variant.equals("sleep"));
        RequestHandler handler = new RequestHandler(pricing, cache, inventory, retry);

        OpenLoopPod pod = OpenLoopPod.start(workers, rate, 500_000L, handler::handle);
        long[] requests = pod.record(folder, warmupMillis, slices, sliceMillis, profilerArgs);
        pod.report(folder, variant, rate, requests, sliceMillis, handler.sink);
    }

    /** One request: price, cache, downstream call, and (variant sleep) a retry with back-off. */
    static final class RequestHandler {
        private final PricingEngine pricing;
        private final ProductCache cache;
        private final InventoryClient inventory;
        private final RetryPolicy retry;
        volatile long sink;

        RequestHandler(PricingEngine pricing, ProductCache cache, InventoryClient inventory, RetryPolicy retry) {
            this.pricing = pricing;
            this.cache = cache;
            this.inventory = inventory;
            this.retry = retry;
        }

        void handle(long n) throws InterruptedException {
            long item = (n * 2654435761L) & 1023;
            long price = cache.lookup(item, pricing);
            inventory.reserve(item);
            retry.backoff(n);
            sink += price;
        }
    }

    /** CPU work: a price from a few thousand rounds of arithmetic. */
    static final class PricingEngine {
        private final int rounds;

        PricingEngine(int rounds) {
            this.rounds = rounds;
        }

        long price(long item) {
            double x = item + 1;
            for (int i = 0; i < rounds; i++) {
                x = Math.sqrt(x * 1.000001 + i) + Math.sin(x) * 0.5;
            }
            return (long) (x * 100);
        }
    }

    /** A shared product cache guarded by its monitor; variant sync prices inside that monitor. */
    static final class ProductCache {
        private final Map<Long, Long> entries = new HashMap<>();
        private final boolean priceUnderLock;

        ProductCache(boolean priceUnderLock) {
            this.priceUnderLock = priceUnderLock;
        }

        long lookup(long item, PricingEngine pricing) {
            if (priceUnderLock) {
                synchronized (this) {
                    long price = pricing.price(item);
                    entries.put(item, price);
                    return price;
                }
            }
            long price = pricing.price(item);
            synchronized (this) {
                entries.put(item, price);
                return entries.get(item);
            }
        }
    }

    /** A downstream call through a connection pool: wait for a connection, then for the answer. */
    static final class InventoryClient {
        private final Semaphore pool;
        private final long downstreamMicros;

        InventoryClient(Semaphore pool, long downstreamMicros) {
            this.pool = pool;
            this.downstreamMicros = downstreamMicros;
        }

        void reserve(long item) throws InterruptedException {
            pool.acquire();
            try {
                awaitResponse();
            } finally {
                pool.release();
            }
        }

        private void awaitResponse() throws InterruptedException {
            Thread.sleep(downstreamMicros / 1000, (int) (downstreamMicros % 1000) * 1000);
        }
    }

    /** Variant sleep: every other request fails once and is retried after a back-off. */
    static final class RetryPolicy {
        private final boolean enabled;

        RetryPolicy(boolean enabled) {
            this.enabled = enabled;
        }

        void backoff(long n) throws InterruptedException {
            if (enabled && (n & 1) == 0) {
                Thread.sleep(3);
            }
        }
    }
}
