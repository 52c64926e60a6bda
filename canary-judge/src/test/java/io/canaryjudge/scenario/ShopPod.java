package io.canaryjudge.scenario;

import io.canaryjudge.scenario.shop.LatencyReporter;
import io.canaryjudge.scenario.shop.ShopWorker;
import one.profiler.AsyncProfiler;

import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.io.Writer;
import java.lang.management.ManagementFactory;
import java.lang.management.OperatingSystemMXBean;
import java.lang.management.ThreadMXBean;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.concurrent.atomic.LongAdder;
import java.util.zip.GZIPOutputStream;

/**
 * One "pod": a JVM serving the demo shop's requests flat out (or at a fraction of that rate) while
 * async-profiler records it. After an unrecorded warm-up it records {@code slices} consecutive
 * slices (CPU samples from {@code itimer} or {@code cpu} plus allocation samples), each to its own JFR file,
 * converts each to gzipped pprof ({@code slice-K.pb.gz}, see {@link SlicePprofWriter}) and writes
 * {@code requests.csv} ({@code profile,requests}: requests served while each slice was recorded).
 * With {@code keepJfr=true} the JFR originals are kept gzipped in a {@code jfr/} sub-folder, which
 * readers of the pod folder ignore (folders are not recursive).
 *
 * <p>Run it in its own JVM with {@code -XX:+UnlockDiagnosticVMOptions -XX:+DebugNonSafepoints}
 * (precise Java frames); {@link RecordScenarios} does. Arguments: see {@link PodOptions}.
 */
public final class ShopPod {
    /**
     * System property: the pod's request rate, requests per second, the same for every pod whatever its flat-out
     * rate (unset: {@code rateFraction} of its own flat-out rate). Pods on unlike nodes or CPU limits (qa28) serve
     * the same traffic as their baseline, as behind one load balancer.
     */
    public static final String FIXED_RATE_PROPERTY = "shop.rate";

    private ShopPod() {
    }

    public static void main(String[] args) throws Exception {
        PodOptions options = PodOptions.parse(args);
        List<SliceRecord> slices = run(options);
        long total = slices.stream().mapToLong(SliceRecord::requests).sum();
        System.err.printf(Locale.ROOT, "pod %s: %d slices, %d requests, %s%n", options.output(), slices.size(),
                total, options.variant());
    }

    /** One recorded slice: its file name inside the pod folder and the requests served meanwhile. */
    public record SliceRecord(String file, long requests) {
    }

    /** Runs the pod in this JVM; returns the slices written. */
    public static List<SliceRecord> run(PodOptions options) throws IOException, InterruptedException {
        Path folder = Files.createDirectories(options.output());
        AsyncProfiler profiler = loadProfiler();
        LongAdder served = new LongAdder();
        LatencyReporter reporter = new LatencyReporter();
        Thread reporterThread = new Thread(reporter, "latency-reporter");
        reporterThread.setDaemon(true);
        reporterThread.start();
        List<ShopWorker> workers = new ArrayList<>();
        List<Thread> threads = new ArrayList<>();
        for (int w = 0; w < options.workers(); w++) {
            ShopWorker worker = new ShopWorker(options.variant(), options.seed() * 1000 + w, reporter, served);
            Thread thread = new Thread(worker, "shop-worker-" + (w + 1));
            thread.setDaemon(true);
            workers.add(worker);
            threads.add(thread);
            thread.start();
        }
        long warmupStart = System.nanoTime();
        warmUp(options);
        double flatOutRate = measureRate(served);
        double fixedRate = Double.parseDouble(System.getProperty(FIXED_RATE_PROPERTY, "0"));
        if (fixedRate > 0) {
            workers.forEach(worker -> worker.limitRate(fixedRate / workers.size()));
        } else if (options.variant().rateFraction() < 1) {
            double perWorker = flatOutRate * options.variant().rateFraction() / workers.size();
            workers.forEach(worker -> worker.limitRate(perWorker));
        }
        System.err.printf(Locale.ROOT, "pod %s: warm-up %d ms, %d requests, flat-out rate %.0f/s%n",
                options.output(), (System.nanoTime() - warmupStart) / 1_000_000, served.sum(), flatOutRate);

        List<SliceRecord> records = new ArrayList<>();
        List<Path> jfrFiles = new ArrayList<>();
        long[] startNanos = new long[options.slices()];
        long[] durationNanos = new long[options.slices()];
        for (int k = 1; k <= options.slices(); k++) {
            Path jfr = folder.resolve("slice-" + k + ".jfr");
            profiler.execute(startCommand(options, jfr));
            Instant start = Instant.now();
            long startTick = System.nanoTime();
            long before = served.sum();
            Thread.sleep(options.sliceMillis());
            long requests = served.sum() - before;
            durationNanos[k - 1] = System.nanoTime() - startTick;
            startNanos[k - 1] = start.getEpochSecond() * 1_000_000_000L + start.getNano();
            profiler.execute("stop");
            jfrFiles.add(jfr);
            records.add(new SliceRecord("slice-" + k + ".pb.gz", requests));
        }
        workers.forEach(ShopWorker::stop);
        reporter.stop();
        for (Thread thread : threads) {
            thread.join(5_000);
        }
        // Converted only after the last slice, so the conversion's own CPU and JIT work never
        // appears in a recorded slice.
        for (int k = 0; k < jfrFiles.size(); k++) {
            Path jfr = jfrFiles.get(k);
            SlicePprofWriter.convert(jfr, folder.resolve(records.get(k).file()), options.cpuIntervalNanos(),
                    options.allocIntervalBytes() > 0, startNanos[k], durationNanos[k]);
            if (options.keepJfr()) {
                Path kept = Files.createDirectories(folder.resolve("jfr"));
                gzip(jfr, kept.resolve(jfr.getFileName() + ".gz"));
            }
            Files.delete(jfr);
        }
        writeRequests(folder, records);
        long sink = workers.stream().mapToLong(ShopWorker::sink).sum();
        System.err.printf(Locale.ROOT, "pod %s: p99 %d us, sink %x%n", folder.getFileName(),
                reporter.lastP99Nanos() / 1000, sink);
        return records;
    }

    /**
     * Serves unrecorded requests for at least {@code warmupMillis}, then until the JVM's own
     * threads are quiet: in the last second, under 10 % of the process's CPU time went to threads
     * Java cannot see (JIT compilers, GC workers), checked each second, at most
     * {@code maxWarmupMillis}. On a busy machine compilation lags far behind; a fixed 5 s
     * warm-up left 30-50 % of the first slice's CPU in compiler threads (measured at load 10-12
     * on 2 cores).
     */
    private static void warmUp(PodOptions options) throws InterruptedException {
        Thread.sleep(options.warmupMillis());
        OperatingSystemMXBean os = ManagementFactory.getOperatingSystemMXBean();
        ThreadMXBean threads = ManagementFactory.getThreadMXBean();
        if (!(os instanceof com.sun.management.OperatingSystemMXBean process) || !threads.isThreadCpuTimeSupported()) {
            return;
        }
        long deadline = System.currentTimeMillis() + options.maxWarmupMillis() - options.warmupMillis();
        long processBefore = process.getProcessCpuTime();
        long javaBefore = javaThreadsCpuTime(threads);
        while (System.currentTimeMillis() < deadline) {
            Thread.sleep(1000);
            long processNow = process.getProcessCpuTime();
            long javaNow = javaThreadsCpuTime(threads);
            long processDelta = processNow - processBefore;
            long hiddenDelta = processDelta - (javaNow - javaBefore);
            if (processDelta > 0 && hiddenDelta < processDelta / 10) {
                return;
            }
            processBefore = processNow;
            javaBefore = javaNow;
        }
        System.err.println("pod " + options.output() + ": JVM threads still busy after " + options.maxWarmupMillis() + " ms");
    }

    /**
     * async-profiler from a fixed file name. {@code AsyncProfiler.getInstance()} extracts its
     * library to a new random name per JVM ({@code libasyncProfiler-2160494879975029775.so}), so
     * the profiler's own native frames got a different "function" name in every pod; extracting
     * once to {@code <tmp>/canary-judge-async-profiler-4.2/libasyncProfiler.so} keeps them equal.
     */
    public static AsyncProfiler loadProfiler() throws IOException {
        String arch = System.getProperty("os.arch");
        String platform = arch.equals("amd64") || arch.equals("x86_64") ? "linux-x64"
                : arch.equals("aarch64") ? "linux-arm64" : null;
        if (!System.getProperty("os.name").toLowerCase(Locale.ROOT).contains("linux") || platform == null) {
            return AsyncProfiler.getInstance();
        }
        Path folder = Files.createDirectories(
                Path.of(System.getProperty("java.io.tmpdir"), "canary-judge-async-profiler-4.2"));
        Path library = folder.resolve("libasyncProfiler.so");
        if (!Files.exists(library)) {
            Path partial = Files.createTempFile(folder, "libasyncProfiler", ".partial");
            try (InputStream in = AsyncProfiler.class.getResourceAsStream("/" + platform + "/libasyncProfiler.so")) {
                if (in == null) {
                    return AsyncProfiler.getInstance();
                }
                Files.copy(in, partial, java.nio.file.StandardCopyOption.REPLACE_EXISTING);
            }
            // Pods start side by side: the first complete copy wins, atomically.
            try {
                Files.move(partial, library, java.nio.file.StandardCopyOption.ATOMIC_MOVE);
            } catch (java.nio.file.FileAlreadyExistsException e) {
                Files.deleteIfExists(partial);
            }
            Files.deleteIfExists(partial);
        }
        return AsyncProfiler.getInstance(library.toString());
    }

    /** Requests per second served in the next second. */
    private static double measureRate(LongAdder served) throws InterruptedException {
        long before = served.sum();
        long start = System.nanoTime();
        Thread.sleep(1000);
        return (served.sum() - before) * 1e9 / (System.nanoTime() - start);
    }

    private static long javaThreadsCpuTime(ThreadMXBean threads) {
        long sum = 0;
        for (long id : threads.getAllThreadIds()) {
            long cpu = threads.getThreadCpuTime(id);
            if (cpu > 0) {
                sum += cpu;
            }
        }
        return sum;
    }

    static String startCommand(PodOptions options, Path jfr) {
        StringBuilder command = new StringBuilder("start,event=" + options.event() + ",interval=").append(options.cpuIntervalNanos());
        if (options.allocIntervalBytes() > 0) {
            command.append(",alloc=").append(options.allocIntervalBytes());
        }
        return command.append(",jfr,file=").append(jfr.toAbsolutePath()).toString();
    }

    private static void gzip(Path file, Path gz) throws IOException {
        try (InputStream in = Files.newInputStream(file);
             OutputStream out = new GZIPOutputStream(Files.newOutputStream(gz), 1 << 16) {
                 {
                     def.setLevel(java.util.zip.Deflater.BEST_COMPRESSION);
                 }
             }) {
            in.transferTo(out);
        }
    }

    private static void writeRequests(Path folder, List<SliceRecord> records) throws IOException {
        try (Writer writer = Files.newBufferedWriter(folder.resolve("requests.csv"), StandardCharsets.UTF_8)) {
            writer.write("profile,requests\n");
            for (SliceRecord record : records) {
                writer.write(record.file() + "," + record.requests() + "\n");
            }
        }
    }
}
