package io.canaryjudge.memory;

import com.sun.management.GarbageCollectionNotificationInfo;
import com.sun.net.httpserver.HttpServer;
import io.canaryjudge.memory.app.MemoryVariant;
import io.canaryjudge.memory.app.OrderService;
import io.micrometer.core.instrument.Gauge;
import io.micrometer.core.instrument.Timer;
import io.micrometer.core.instrument.binder.jvm.ClassLoaderMetrics;
import io.micrometer.core.instrument.binder.jvm.JvmGcMetrics;
import io.micrometer.core.instrument.binder.jvm.JvmMemoryMetrics;
import io.micrometer.core.instrument.binder.jvm.JvmThreadMetrics;
import io.micrometer.core.instrument.binder.system.UptimeMetrics;
import io.micrometer.prometheusmetrics.PrometheusConfig;
import io.micrometer.prometheusmetrics.PrometheusMeterRegistry;
import java.io.IOException;
import java.io.OutputStream;
import java.io.PrintWriter;
import java.lang.management.GarbageCollectorMXBean;
import java.lang.management.ManagementFactory;
import java.lang.management.MemoryPoolMXBean;
import java.lang.management.MemoryType;
import java.lang.management.MemoryUsage;
import java.net.InetSocketAddress;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicLong;
import javax.management.NotificationEmitter;
import javax.management.openmbean.CompositeData;
import one.profiler.AsyncProfiler;

/**
 * One pod of the memory scenarios, in its own JVM ({@link RecordMemoryScenarios} starts it): serves
 * {@value OrderService#REQUESTS_PER_SECOND} requests per second of {@link OrderService} for a number
 * of minutes while
 * <ul>
 *   <li>Micrometer's Prometheus endpoint ({@code /metrics} on its port: {@code jvm_memory_used_bytes},
 *       {@code jvm_gc_live_data_size_bytes}, {@code process_start_time_seconds},
 *       {@code http_server_requests_seconds_count}) is scraped by a real Prometheus;</li>
 *   <li>every garbage collection's outcome is written to {@code gc.csv} (time, collector, action, cause,
 *       heap before and after, old generation after) and to {@code heap.csv}
 *       ({@code timestamp_ms,heap_after_gc_bytes}, the CLI's format);</li>
 *   <li>async-profiler records live objects ({@code alloc=…,live}) in one-minute recordings, stopped
 *       and restarted as the Pyroscope Java agent does at each upload, kept as
 *       {@code live/minute-NNN.jfr}.</li>
 * </ul>
 * Arguments: {@code VARIANT POD_FOLDER PORT MINUTES SEED ALLOC_INTERVAL_BYTES}.
 */
public final class MemoryPod {
    private MemoryPod() {
    }

    public static void main(String[] args) throws Exception {
        MemoryVariant variant = MemoryVariant.fromId(args[0]);
        Path folder = Files.createDirectories(Path.of(args[1]));
        int port = Integer.parseInt(args[2]);
        int minutes = Integer.parseInt(args[3]);
        long seed = Long.parseLong(args[4]);
        long allocInterval = Long.parseLong(args[5]);
        // qa46: async-profiler's nativemem event (malloc/free call sites) beside the live objects, bytes between samples
        String nativemem = args.length > 6 ? ",nativemem=" + Long.parseLong(args[6]) : "";

        long jvmStart = ManagementFactory.getRuntimeMXBean().getStartTime();
        Files.writeString(folder.resolve("pod.properties"), "variant=" + variant.id() + "\njvm_start_ms=" + jvmStart
                + "\nload=" + System.getProperty("orders.load", "1")
                + "\nport=" + port + "\nalloc_interval_bytes=" + allocInterval + "\n", StandardCharsets.UTF_8);

        PrometheusMeterRegistry registry = new PrometheusMeterRegistry(PrometheusConfig.DEFAULT);
        new JvmMemoryMetrics().bindTo(registry);
        JvmGcMetrics gcMetrics = new JvmGcMetrics();
        gcMetrics.bindTo(registry);
        new UptimeMetrics().bindTo(registry);
        // Memory outside the heap (qa40): threads and loaded classes beside the buffer and non-heap pools
        // JvmMemoryMetrics already gives.
        new JvmThreadMetrics().bindTo(registry);
        new ClassLoaderMetrics().bindTo(registry);
        // The process's resident size (qa46), as client_java's process_resident_memory_bytes and close to what cAdvisor's
        // container_memory_working_set_bytes counts for a container running only this JVM: VmRSS of /proc/self/status.
        Gauge.builder("process.resident.memory", MemoryPod::residentBytes).baseUnit("bytes").register(registry);
        Timer requests = Timer.builder("http.server.requests").tags("method", "POST", "uri", "/orders",
                "status", "200", "outcome", "SUCCESS").register(registry);
        HttpServer server = HttpServer.create(new InetSocketAddress("127.0.0.1", port), 0);
        server.createContext("/metrics", exchange -> {
            byte[] body = registry.scrape().getBytes(StandardCharsets.UTF_8);
            exchange.getResponseHeaders().add("Content-Type", "text/plain; version=0.0.4; charset=utf-8");
            exchange.sendResponseHeaders(200, body.length);
            try (OutputStream out = exchange.getResponseBody()) {
                out.write(body);
            }
        });
        server.start();

        GcLog gcLog = new GcLog(folder);
        gcLog.listen();

        Path live = Files.createDirectories(folder.resolve("live"));
        MinuteRecorder profiler = System.getProperty("orders.jfr") != null ? new JdkRecorder(live)
                : new AsyncRecorder(AsyncProfiler.getInstance(), live, allocInterval, nativemem);
        OrderService service = new OrderService(variant, seed);
        AtomicLong served = new AtomicLong();
        long end = System.nanoTime() + TimeUnit.MINUTES.toNanos(minutes);
        // qa56: a canary behind a weighted router serves a fraction (or a multiple) of a baseline pod's traffic;
        // -Dorders.load=0.1 serves 2.5 requests per second instead of 25 (1 = the full rate, the default).
        double load = Double.parseDouble(System.getProperty("orders.load", "1"));
        if (!(load > 0)) {
            throw new IllegalArgumentException("orders.load must be > 0, was " + load);
        }
        long interval = Math.round(1_000_000_000L / (OrderService.REQUESTS_PER_SECOND * load));
        long next = System.nanoTime();
        long skipped = 0;
        int minute = 0;
        long minuteEnd = System.nanoTime() + TimeUnit.MINUTES.toNanos(1);
        // qa63: -Dorders.systemGcEvery=SECONDS runs System.gc() (a full collection on G1, Serial and Parallel) that often,
        // as code or a library calling it would; 0 (the default) never does.
        long systemGcEvery = TimeUnit.SECONDS.toNanos(Long.parseLong(System.getProperty("orders.systemGcEvery", "0")));
        long nextSystemGc = systemGcEvery > 0 ? System.nanoTime() + systemGcEvery : Long.MAX_VALUE;
        profiler.start(minute);
        try (PrintWriter requestLog = new PrintWriter(Files.newBufferedWriter(folder.resolve("requests.log")))) {
            requestLog.println("timestamp_ms,requests");
            long nextLog = System.currentTimeMillis();
            long sink = 0;
            while (System.nanoTime() < end) {
                long now = System.nanoTime();
                if (now < next) {
                    TimeUnit.NANOSECONDS.sleep(Math.min(next - now, 50_000_000L));
                    continue;
                }
                long started = System.nanoTime();
                sink += service.handle(served.incrementAndGet());
                requests.record(System.nanoTime() - started, TimeUnit.NANOSECONDS);
                next += interval;
                if (System.nanoTime() - next > 1_000_000_000L) {
                    // More than a second behind (a starved machine): drop the backlog, serve on from now.
                    long behind = (System.nanoTime() - next) / interval;
                    skipped += behind;
                    next += behind * interval;
                }
                if (System.currentTimeMillis() >= nextLog) {
                    requestLog.println(System.currentTimeMillis() + "," + served.get());
                    requestLog.flush();
                    nextLog += 10_000;
                }
                if (System.nanoTime() >= nextSystemGc) {
                    System.gc();
                    nextSystemGc += systemGcEvery;
                }
                if (System.nanoTime() >= minuteEnd) {
                    profiler.stop();
                    minute++;
                    minuteEnd += TimeUnit.MINUTES.toNanos(1);
                    profiler.start(minute);
                }
            }
            requestLog.println(System.currentTimeMillis() + "," + served.get());
            profiler.stop();
            System.err.printf(Locale.ROOT, "pod %s (%s): %d requests, %d skipped, sink %x%n", folder.getFileName(),
                    variant.id(), served.get(), skipped, sink);
        } finally {
            server.stop(0);
            gcLog.close();
            gcMetrics.close();
        }
    }

    /** VmRSS of /proc/self/status in bytes (Linux reports kB = KiB), NaN where there is none. */
    static double residentBytes() {
        try {
            for (String line : Files.readAllLines(Path.of("/proc/self/status"))) {
                if (line.startsWith("VmRSS:")) {
                    return Long.parseLong(line.replaceAll("[^0-9]", "")) * 1024.0;
                }
            }
        } catch (IOException | NumberFormatException e) {
            return Double.NaN;
        }
        return Double.NaN;
    }

    private static String start(Path live, int minute, long allocInterval) {
        // qa59: -Dorders.events=event=itimer,alloc (CPU and every allocation, not live objects) for the load's
        // stand-ins in the profiles (CPU and allocated bytes per second)
        String events = System.getProperty("orders.events", "alloc=%d,live").formatted(allocInterval);
        return String.format(Locale.ROOT, "start,%s,jfr,file=%s", events,
                live.resolve(String.format(Locale.ROOT, "minute-%03d.jfr", minute)).toAbsolutePath());
    }

    /** One recording a minute, {@code live/minute-NNN.jfr}. */
    private interface MinuteRecorder {
        void start(int minute) throws Exception;

        void stop() throws Exception;
    }

    /** async-profiler's {@code alloc=…,live} (the default), stopped and restarted as the Pyroscope Java agent does. */
    private record AsyncRecorder(AsyncProfiler profiler, Path live, long allocInterval, String nativemem)
            implements MinuteRecorder {
        @Override
        public void start(int minute) throws Exception {
            profiler.execute(MemoryPod.start(live, minute, allocInterval) + nativemem);
        }

        @Override
        public void stop() throws Exception {
            profiler.execute("stop");
        }
    }

    /**
     * qa72, {@code -Dorders.jfr=true}: the JDK's own recorder instead of async-profiler, one recording a minute with
     * {@code settings=profile} (old-object samples with stack traces, cutoff 0), as a user dumping JFR would send it.
     * A second, in-memory recording keeps {@code jdk.OldObjectSample} enabled for the JVM's whole life: the JDK clears
     * its sampled objects when no recording enables the event, so without it each minute's samples would start empty
     * and no object could be older than a minute. Each minute's stop writes the objects still sampled (with their
     * allocation time), so every minute file holds the pod's sampled live set at its end.
     */
    private static final class JdkRecorder implements MinuteRecorder {
        private final Path live;
        private final jdk.jfr.Recording keeper = new jdk.jfr.Recording();
        private jdk.jfr.Recording current;

        JdkRecorder(Path live) {
            this.live = live;
            keeper.enable("jdk.OldObjectSample").withStackTrace().with("cutoff", "0 ns");
            keeper.setToDisk(false);
            keeper.setMaxSize(1 << 20);
            keeper.start();
        }

        @Override
        public void start(int minute) throws Exception {
            current = new jdk.jfr.Recording(jdk.jfr.Configuration.getConfiguration("profile"));
            current.setDestination(live.resolve(String.format(Locale.ROOT, "minute-%03d.jfr", minute)));
            current.start();
        }

        @Override
        public void stop() {
            current.stop();
            current.close();
        }
    }

    /** Every collection's outcome, from the JVM's GC notifications. */
    private static final class GcLog implements AutoCloseable {
        private final PrintWriter gc;
        private final PrintWriter heap;
        private final Set<String> heapPools = new HashSet<>();
        private final List<NotificationEmitter> emitters = new ArrayList<>();

        GcLog(Path folder) throws IOException {
            this.gc = new PrintWriter(Files.newBufferedWriter(folder.resolve("gc.csv")));
            this.heap = new PrintWriter(Files.newBufferedWriter(folder.resolve("heap.csv")));
            gc.println("timestamp_ms,collector,action,cause,heap_before_bytes,heap_after_bytes,old_after_bytes");
            heap.println("timestamp_ms,heap_after_gc_bytes");
            for (MemoryPoolMXBean pool : ManagementFactory.getMemoryPoolMXBeans()) {
                if (pool.getType() == MemoryType.HEAP) {
                    heapPools.add(pool.getName());
                }
            }
        }

        void listen() {
            for (GarbageCollectorMXBean bean : ManagementFactory.getGarbageCollectorMXBeans()) {
                if (bean instanceof NotificationEmitter emitter) {
                    emitter.addNotificationListener((notification, handback) -> {
                        if (GarbageCollectionNotificationInfo.GARBAGE_COLLECTION_NOTIFICATION.equals(notification.getType())) {
                            record(GarbageCollectionNotificationInfo.from((CompositeData) notification.getUserData()));
                        }
                    }, null, null);
                    emitters.add(emitter);
                }
            }
        }

        private synchronized void record(GarbageCollectionNotificationInfo info) {
            long uptimeEnd = info.getGcInfo().getEndTime();
            long timestamp = ManagementFactory.getRuntimeMXBean().getStartTime() + uptimeEnd;
            long before = sum(info.getGcInfo().getMemoryUsageBeforeGc());
            long after = sum(info.getGcInfo().getMemoryUsageAfterGc());
            long old = 0;
            for (Map.Entry<String, MemoryUsage> pool : info.getGcInfo().getMemoryUsageAfterGc().entrySet()) {
                if (pool.getKey().contains("Old") || pool.getKey().contains("Tenured")) {
                    old += pool.getValue().getUsed();
                }
            }
            gc.printf(Locale.ROOT, "%d,%s,%s,%s,%d,%d,%d%n", timestamp, info.getGcName().replace(',', ' '),
                    info.getGcAction().replace(',', ' '), info.getGcCause().replace(',', ' '), before, after, old);
            heap.printf(Locale.ROOT, "%d,%d%n", timestamp, after);
            gc.flush();
            heap.flush();
        }

        private long sum(Map<String, MemoryUsage> usage) {
            long total = 0;
            for (Map.Entry<String, MemoryUsage> pool : usage.entrySet()) {
                if (heapPools.contains(pool.getKey())) {
                    total += pool.getValue().getUsed();
                }
            }
            return total;
        }

        @Override
        public synchronized void close() {
            for (NotificationEmitter emitter : emitters) {
                try {
                    emitter.removeNotificationListener((n, h) -> { });
                } catch (Exception e) {
                    // not registered with that listener object: nothing to remove
                }
            }
            gc.close();
            heap.close();
        }
    }
}
