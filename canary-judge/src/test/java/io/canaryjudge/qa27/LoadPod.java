package io.canaryjudge.qa27;

import io.canaryjudge.scenario.ShopPod;
import io.canaryjudge.scenario.SlicePprofWriter;
import io.canaryjudge.scenario.shop.Order;
import io.canaryjudge.scenario.shop.OrderFeed;
import io.canaryjudge.scenario.shop.ShopRequestHandler;
import io.canaryjudge.scenario.shop.ShopVariant;
import one.profiler.AsyncProfiler;

import java.io.BufferedWriter;
import java.io.IOException;
import java.io.Writer;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Instant;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.concurrent.ArrayBlockingQueue;
import java.util.concurrent.BlockingQueue;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicLongArray;
import java.util.concurrent.atomic.LongAdder;
import java.util.concurrent.locks.LockSupport;

/**
 * One pod of the shop served at a <b>fixed arrival rate</b> (open loop: requests arrive at {@code rate} per second
 * whatever the pod's speed, as a router's weight sends them), beside fixed-rate background work a real service has:
 * a price cache refreshed every 250 ms ({@link PriceCache#refresh}), a metrics registry scraped every second
 * ({@link MetricsRegistry#scrape}) and a status line logged every 100 ms ({@link StatusLog#write}). Per request it
 * checks out four orders and records a latency histogram. Arguments {@code key=value}: {@code output} (pod folder),
 * {@code rate} (requests per second), {@code slices}, {@code sliceMillis}, {@code warmupMillis},
 * {@code discountRuleFactor} (2 = {@code PriceCalculator.applyDiscounts} does twice the work), {@code seed},
 * {@code event} (itimer|cpu), {@code cpuIntervalNanos}, {@code allocIntervalBytes}. Writes {@code slice-K.pb.gz}
 * (gzipped pprof, {@link SlicePprofWriter}) and {@code requests.csv}. Run it with
 * {@code -XX:+UnlockDiagnosticVMOptions -XX:+DebugNonSafepoints} ({@link LoadRatioRecordings} does).
 */
public final class LoadPod {
    private static final int WORKERS = 2;
    /** Orders one request checks out: a request's own work, so that the request path outweighs the hand-off. */
    private static final int ORDERS_PER_REQUEST = 4;

    private LoadPod() {
    }

    public static void main(String[] args) throws Exception {
        Map<String, String> map = new LinkedHashMap<>();
        for (String arg : args) {
            int eq = arg.indexOf('=');
            map.put(arg.substring(0, eq), arg.substring(eq + 1));
        }
        Path folder = Files.createDirectories(Path.of(map.get("output")));
        double rate = Double.parseDouble(map.get("rate"));
        int slices = Integer.parseInt(map.getOrDefault("slices", "6"));
        long sliceMillis = Long.parseLong(map.getOrDefault("sliceMillis", "10000"));
        long warmupMillis = Long.parseLong(map.getOrDefault("warmupMillis", "30000"));
        double factor = Double.parseDouble(map.getOrDefault("discountRuleFactor", "1"));
        long seed = Long.parseLong(map.getOrDefault("seed", "1"));
        String event = map.getOrDefault("event", "itimer");
        long cpuInterval = Long.parseLong(map.getOrDefault("cpuIntervalNanos", "4000000"));
        long allocInterval = Long.parseLong(map.getOrDefault("allocIntervalBytes", "524288"));
        ShopVariant variant = ShopVariant.baseline().withDiscountRuleFactor(factor);

        MetricsRegistry metrics = new MetricsRegistry();
        LongAdder served = new LongAdder();
        BlockingQueue<Long> arrivals = new ArrayBlockingQueue<>(1 << 16);
        List<Thread> threads = new ArrayList<>();
        for (int w = 0; w < WORKERS; w++) {
            ShopRequestHandler handler = new ShopRequestHandler(variant);
            OrderFeed feed = new OrderFeed(seed * 1000 + w);
            Thread worker = new Thread(() -> serve(handler, feed, arrivals, metrics, served), "http-worker-" + (w + 1));
            worker.setDaemon(true);
            worker.start();
            threads.add(worker);
        }
        Thread pacer = new Thread(() -> pace(rate, arrivals), "acceptor");
        pacer.setDaemon(true);
        pacer.start();
        ScheduledExecutorService background = Executors.newScheduledThreadPool(1, r -> {
            Thread t = new Thread(r, "scheduler");
            t.setDaemon(true);
            return t;
        });
        PriceCache cache = new PriceCache();
        Path logFile = Files.createTempFile("qa27-status", ".log");
        StatusLog log = new StatusLog(Files.newBufferedWriter(logFile, StandardCharsets.UTF_8));
        background.scheduleAtFixedRate(cache::refresh, 0, 250, TimeUnit.MILLISECONDS);
        background.scheduleAtFixedRate(() -> metrics.scrape(), 0, 1000, TimeUnit.MILLISECONDS);
        background.scheduleAtFixedRate(() -> log.write(served.sum(), metrics), 0, 100, TimeUnit.MILLISECONDS);

        Thread.sleep(warmupMillis);
        AsyncProfiler profiler = ShopPod.loadProfiler();
        List<Path> jfrs = new ArrayList<>();
        long[] requests = new long[slices];
        long[] starts = new long[slices];
        long[] durations = new long[slices];
        for (int k = 0; k < slices; k++) {
            Path jfr = folder.resolve("slice-" + (k + 1) + ".jfr");
            profiler.execute("start,event=" + event + ",interval=" + cpuInterval
                    + (allocInterval > 0 ? ",alloc=" + allocInterval : "") + ",jfr,file=" + jfr.toAbsolutePath());
            Instant start = Instant.now();
            long tick = System.nanoTime();
            long before = served.sum();
            Thread.sleep(sliceMillis);
            requests[k] = served.sum() - before;
            durations[k] = System.nanoTime() - tick;
            starts[k] = start.getEpochSecond() * 1_000_000_000L + start.getNano();
            profiler.execute("stop");
            jfrs.add(jfr);
        }
        background.shutdownNow();
        for (int k = 0; k < slices; k++) {
            SlicePprofWriter.convert(jfrs.get(k), folder.resolve("slice-" + (k + 1) + ".pb.gz"), cpuInterval,
                    allocInterval > 0, starts[k], durations[k]);
            Files.delete(jfrs.get(k));
        }
        try (Writer writer = Files.newBufferedWriter(folder.resolve("requests.csv"), StandardCharsets.UTF_8)) {
            writer.write("profile,requests\n");
            for (int k = 0; k < slices; k++) {
                writer.write("slice-" + (k + 1) + ".pb.gz," + requests[k] + "\n");
            }
        }
        Files.deleteIfExists(logFile);
        System.err.printf(Locale.ROOT, "pod %s: rate %.0f/s asked, %.0f/s served, backlog %d, checksum %x%n", folder,
                rate, java.util.Arrays.stream(requests).sum() * 1e9 / java.util.Arrays.stream(durations).sum(),
                arrivals.size(), metrics.checksum + cache.checksum + log.checksum);
    }

    /** Open loop: arrival n is due at n / rate seconds; a late pacer catches up (the arrivals do not wait). */
    private static void pace(double rate, BlockingQueue<Long> arrivals) {
        long start = System.nanoTime();
        long issued = 0;
        while (true) {
            long due = (long) ((System.nanoTime() - start) * rate / 1e9);
            while (issued < due) {
                if (!arrivals.offer(System.nanoTime())) {
                    break; // the queue is full: the request is dropped, as an overloaded server would
                }
                issued++;
            }
            issued = Math.max(issued, due);
            LockSupport.parkNanos(Math.max(200_000L, (long) (1e9 / rate)));
        }
    }

    private static void serve(ShopRequestHandler handler, OrderFeed feed, BlockingQueue<Long> arrivals,
                              MetricsRegistry metrics, LongAdder served) {
        long sink = 0;
        while (true) {
            long arrived;
            try {
                arrived = arrivals.take();
            } catch (InterruptedException e) {
                return;
            }
            Order order = null;
            for (int i = 0; i < ORDERS_PER_REQUEST; i++) {
                order = feed.next();
                sink += handler.handle(order);
            }
            metrics.record(order.country(), System.nanoTime() - arrived);
            served.increment();
            if (sink == 42) {
                System.err.print("");
            }
        }
    }

    /** Counters and latency histograms per label, and a Prometheus-like text scrape of them. */
    static final class MetricsRegistry {
        private static final long[] BOUNDS = {100_000, 250_000, 500_000, 1_000_000, 2_500_000, 5_000_000,
                10_000_000, 25_000_000, 50_000_000, 100_000_000, 250_000_000, 500_000_000, 1_000_000_000};
        private static final int SERIES = 64;
        private final Map<String, AtomicLongArray> histograms = new java.util.concurrent.ConcurrentHashMap<>();
        volatile long checksum;

        void record(String label, long nanos) {
            AtomicLongArray buckets = histograms.computeIfAbsent(label, k -> new AtomicLongArray(BOUNDS.length + 2));
            int b = 0;
            while (b < BOUNDS.length && nanos > BOUNDS[b]) {
                b++;
            }
            buckets.incrementAndGet(b);
            buckets.addAndGet(BOUNDS.length + 1, nanos);
        }

        /** The text a scrape returns: every series of every histogram, plus JVM-like gauges. */
        String scrape() {
            StringBuilder text = new StringBuilder(64 * 1024);
            for (int s = 0; s < SERIES; s++) {
                text.append("# HELP app_gauge_").append(s).append(" a gauge\n# TYPE app_gauge_").append(s)
                        .append(" gauge\n");
                text.append("app_gauge_").append(s).append("{pod=\"p\",area=\"").append(s % 7).append("\"} ")
                        .append(String.format(Locale.ROOT, "%.6f", Math.sin(s + System.nanoTime() % 1000)))
                        .append('\n');
            }
            for (Map.Entry<String, AtomicLongArray> e : histograms.entrySet()) {
                long cumulative = 0;
                AtomicLongArray buckets = e.getValue();
                for (int b = 0; b <= BOUNDS.length; b++) {
                    cumulative += buckets.get(b);
                    text.append("http_server_requests_seconds_bucket{country=\"").append(e.getKey())
                            .append("\",le=\"").append(b < BOUNDS.length
                                    ? String.format(Locale.ROOT, "%.3f", BOUNDS[b] / 1e9) : "+Inf")
                            .append("\"} ").append(cumulative).append('\n');
                }
                text.append("http_server_requests_seconds_sum{country=\"").append(e.getKey()).append("\"} ")
                        .append(String.format(Locale.ROOT, "%.6f", buckets.get(BOUNDS.length + 1) / 1e9)).append('\n');
            }
            checksum += text.length();
            return text.toString();
        }
    }

    /** A price table rebuilt from scratch on a timer, as a cache refreshed from a database would be. */
    static final class PriceCache {
        private volatile Map<String, Long> prices = Map.of();
        volatile long checksum;

        void refresh() {
            Map<String, Long> next = new HashMap<>(4096);
            for (int n = 0; n < OrderFeed.ARTICLES; n++) {
                String sku = "SKU-" + n;
                long cents = 199 + (n * 7919L + System.currentTimeMillis() / 60_000) % 50_000;
                next.put(sku, cents);
            }
            prices = next;
            checksum += next.size();
        }
    }

    /** A status line every 100 ms, formatted and flushed to a file as a logging framework would. */
    static final class StatusLog {
        private final BufferedWriter out;
        volatile long checksum;

        StatusLog(BufferedWriter out) {
            this.out = out;
        }

        void write(long served, MetricsRegistry metrics) {
            try {
                String line = String.format(Locale.ROOT, "%s INFO  [scheduler] status served=%d heapUsed=%d threads=%d%n",
                        Instant.now(), served, Runtime.getRuntime().totalMemory() - Runtime.getRuntime().freeMemory(),
                        Thread.activeCount());
                out.write(line);
                out.flush();
                checksum += line.length();
            } catch (IOException e) {
                throw new java.io.UncheckedIOException(e);
            }
        }
    }
}
