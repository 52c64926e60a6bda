package io.canaryjudge.heldout.recording;

import io.canaryjudge.heldout.search.BulkReindexer;
import io.canaryjudge.heldout.search.CatalogueIndex;
import io.canaryjudge.heldout.search.Corpus;
import io.canaryjudge.heldout.search.IndexRefresher;
import io.canaryjudge.heldout.search.QueryFeed;
import io.canaryjudge.heldout.search.RecordStore;
import io.canaryjudge.heldout.search.RowAuditor;
import io.canaryjudge.heldout.search.SearchRequestHandler;
import io.canaryjudge.heldout.search.SearchVariant;
import io.canaryjudge.heldout.search.SearchWorker;
import io.canaryjudge.scenario.ShopPod;
import io.canaryjudge.scenario.SlicePprofWriter;
import java.io.IOException;
import java.io.InputStream;
import java.io.Writer;
import java.lang.management.ManagementFactory;
import java.lang.management.ThreadMXBean;
import java.nio.charset.StandardCharsets;
import java.nio.file.FileAlreadyExistsException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.concurrent.atomic.LongAdder;
import one.profiler.AsyncProfiler;

/**
 * One pod of the held-out search service: a JVM that builds the catalogue's Lucene index and H2
 * store, serves search requests flat out on one worker thread (or runs the re-indexing job) beside
 * the background {@link IndexRefresher}, and records consecutive slices with async-profiler into
 * one or more window folders ({@code slice-K.pb.gz} and {@code requests.csv} each, the format of
 * the shop scenarios, see {@link SlicePprofWriter}).
 *
 * <p>A slice ends when the process has used {@code sliceCpuMillis} of CPU since it began, so a
 * slice holds about the same number of CPU samples whatever the machine's load (the shop's wall
 * clock slices held 600–3,500). Run in its own JVM with {@code -XX:+UnlockDiagnosticVMOptions
 * -XX:+DebugNonSafepoints}; {@link SearchPodProcess} does. Arguments: {@link SearchPodOptions}.
 */
public final class SearchPod {
    private static final String ZSTD_LIBRARY = "libzstd-jni-1.5.7-21.so";

    private SearchPod() {
    }

    public static void main(String[] args) throws Exception {
        SearchPodOptions options = SearchPodOptions.parse(args);
        loadZstdFromFixedPath();
        run(options);
    }

    static void run(SearchPodOptions options) throws Exception {
        SearchVariant variant = options.variant();
        Corpus corpus = new Corpus();
        long buildStart = System.nanoTime();
        try (CatalogueIndex index = new CatalogueIndex(corpus);
             RecordStore store = new RecordStore(corpus, "catalogue", variant.rowAudit() ? new RowAuditor() : null)) {
            System.err.printf(Locale.ROOT, "pod: index and store built in %d ms%n",
                    (System.nanoTime() - buildStart) / 1_000_000);
            LongAdder served = new LongAdder();
            QueryFeed feed = new QueryFeed(corpus, options.seed());
            boolean search = "search".equals(variant.program());
            SearchWorker worker = new SearchWorker(search ? new SearchRequestHandler(index, store, variant) : null,
                    search ? null : new BulkReindexer(corpus), feed, served);
            IndexRefresher refresher = new IndexRefresher(index, 100, options.seed() * 7 + 1);
            Thread refresherThread = new Thread(refresher, "index-refresher");
            Thread workerThread = new Thread(worker, "search-worker");
            refresherThread.setDaemon(true);
            workerThread.setDaemon(true);
            feed.narrow(variant.skewedWarmup());
            refresherThread.start();
            workerThread.start();
            AsyncProfiler profiler = ShopPod.loadProfiler();

            long warmupStart = System.nanoTime();
            if (variant.skewedWarmup()) {
                waitForProcessCpu(options.warmupCpuMillis() / 2);
                feed.narrow(false);
            }
            warmUp(options);
            System.err.printf(Locale.ROOT, "pod: warm-up %d ms, %d requests%n",
                    (System.nanoTime() - warmupStart) / 1_000_000, served.sum());

            List<Slice> slices = new ArrayList<>();
            for (int w = 0; w < options.windows().size(); w++) {
                if (w > 0) {
                    Thread.sleep(options.gapMillis());
                } else if (options.startAfter() != null) {
                    waitForFile(options.startAfter(), worker);
                }
                Path folder = Files.createDirectories(options.windows().get(w));
                for (int k = 1; k <= options.slices(); k++) {
                    slices.add(recordSlice(profiler, options, folder, k, served, worker));
                }
                if (w == 0 && options.signalAfterFirst() != null) {
                    Files.createDirectories(options.signalAfterFirst().toAbsolutePath().getParent());
                    Files.writeString(options.signalAfterFirst(), "first window recorded\n");
                }
            }
            worker.stop();
            refresher.stop();
            workerThread.join(10_000);
            refresherThread.join(10_000);
            if (worker.failure() != null) {
                throw new IllegalStateException("the worker failed", worker.failure());
            }
            // Converted only after the last slice: the conversion's own CPU never lands in a slice.
            for (Slice slice : slices) {
                SlicePprofWriter.convert(slice.jfr(), slice.pprof(), options.cpuIntervalNanos(),
                        options.allocIntervalBytes() > 0, slice.startEpochNanos(), slice.durationNanos());
                Files.delete(slice.jfr());
            }
            for (Path window : options.windows()) {
                writeRequests(window, slices.stream().filter(s -> s.pprof().getParent().equals(window)).toList());
            }
            System.err.printf(Locale.ROOT, "pod: %d slices, sink %x%n", slices.size(), worker.sink());
        }
    }

    /**
     * One recorded slice.
     *
     * @param jfr             async-profiler's recording (deleted after conversion)
     * @param pprof           the slice file written from it
     * @param requests        requests served while it was recorded
     * @param startEpochNanos start, nanoseconds since the epoch
     * @param durationNanos   wall-clock length, nanoseconds
     */
    record Slice(Path jfr, Path pprof, long requests, long startEpochNanos, long durationNanos) {
    }

    private static Slice recordSlice(AsyncProfiler profiler, SearchPodOptions options, Path folder, int k,
                                     LongAdder served, SearchWorker worker) throws IOException, InterruptedException {
        com.sun.management.OperatingSystemMXBean os =
                (com.sun.management.OperatingSystemMXBean) ManagementFactory.getOperatingSystemMXBean();
        Path jfr = folder.resolve("slice-" + k + ".jfr");
        String command = "start,event=" + options.event() + ",interval=" + options.cpuIntervalNanos()
                + (options.allocIntervalBytes() > 0 ? ",alloc=" + options.allocIntervalBytes() : "")
                + ",jfr,file=" + jfr.toAbsolutePath();
        profiler.execute(command);
        Instant start = Instant.now();
        long startTick = System.nanoTime();
        long cpuStart = os.getProcessCpuTime();
        long before = served.sum();
        long budget = options.sliceCpuMillis() * 1_000_000;
        long deadline = startTick + options.maxSliceMillis() * 1_000_000;
        while (os.getProcessCpuTime() - cpuStart < budget && System.nanoTime() < deadline) {
            if (worker.failure() != null) {
                profiler.execute("stop");
                throw new IllegalStateException("the worker failed", worker.failure());
            }
            Thread.sleep(5);
        }
        long requests = served.sum() - before;
        long duration = System.nanoTime() - startTick;
        profiler.execute("stop");
        return new Slice(jfr, folder.resolve("slice-" + k + ".pb.gz"), requests,
                start.getEpochSecond() * 1_000_000_000L + start.getNano(), duration);
    }

    /**
     * At least {@code warmupCpuMillis} of process CPU, then until the JVM's own threads (JIT compilers,
     * GC) used under 10 % of the process's CPU over its last 2 s of CPU, at most {@code maxWarmupCpuMillis}
     * of CPU (or 15 minutes of wall time).
     */
    private static void warmUp(SearchPodOptions options) throws InterruptedException {
        waitForProcessCpu(options.warmupCpuMillis());
        ThreadMXBean threads = ManagementFactory.getThreadMXBean();
        long wallDeadline = System.currentTimeMillis() + 15 * 60_000;
        long start = processCpuNanos();
        long processBefore = start;
        long javaBefore = javaThreadsCpuTime(threads);
        while (processCpuNanos() - start < (options.maxWarmupCpuMillis() - options.warmupCpuMillis()) * 1_000_000
                && System.currentTimeMillis() < wallDeadline) {
            waitForProcessCpu(2_000);
            long processNow = processCpuNanos();
            long javaNow = javaThreadsCpuTime(threads);
            long processDelta = processNow - processBefore;
            long hiddenDelta = processDelta - (javaNow - javaBefore);
            if (processDelta > 0 && hiddenDelta < processDelta / 10) {
                return;
            }
            processBefore = processNow;
            javaBefore = javaNow;
        }
        System.err.println("pod: JVM threads still busy after " + options.maxWarmupCpuMillis() + " ms of CPU");
    }

    /** Sleeps until the process has used {@code millis} more of CPU time. */
    private static void waitForProcessCpu(long millis) throws InterruptedException {
        long target = processCpuNanos() + millis * 1_000_000;
        while (processCpuNanos() < target) {
            Thread.sleep(20);
        }
    }

    private static long processCpuNanos() {
        return ((com.sun.management.OperatingSystemMXBean) ManagementFactory.getOperatingSystemMXBean())
                .getProcessCpuTime();
    }

    private static void waitForFile(Path file, SearchWorker worker) throws InterruptedException {
        long deadline = System.currentTimeMillis() + 30 * 60_000;
        while (!Files.exists(file)) {
            if (System.currentTimeMillis() > deadline || worker.failure() != null) {
                throw new IllegalStateException("gave up waiting for " + file, worker.failure());
            }
            Thread.sleep(100);
        }
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

    /**
     * zstd-jni from a fixed file name. By default it extracts its native library to a new random
     * temporary name per JVM, which would give its native frames a different library name in every
     * pod; {@code ZstdNativePath} makes it load one fixed copy.
     */
    static void loadZstdFromFixedPath() throws IOException {
        Path folder = Files.createDirectories(Path.of(System.getProperty("java.io.tmpdir"), "canary-judge-zstd-jni"));
        Path library = folder.resolve(ZSTD_LIBRARY);
        if (!Files.exists(library)) {
            Path partial = Files.createTempFile(folder, "zstd", ".partial");
            try (InputStream in = com.github.luben.zstd.util.Native.class.getResourceAsStream("/linux/amd64/" + ZSTD_LIBRARY)) {
                if (in == null) {
                    throw new IOException("zstd-jni has no linux/amd64 library " + ZSTD_LIBRARY);
                }
                Files.copy(in, partial, StandardCopyOption.REPLACE_EXISTING);
            }
            try {
                Files.move(partial, library, StandardCopyOption.ATOMIC_MOVE);
            } catch (FileAlreadyExistsException e) {
                Files.deleteIfExists(partial);
            }
            Files.deleteIfExists(partial);
        }
        System.setProperty("ZstdNativePath", library.toString());
    }

    private static void writeRequests(Path folder, List<Slice> slices) throws IOException {
        try (Writer writer = Files.newBufferedWriter(folder.resolve("requests.csv"), StandardCharsets.UTF_8)) {
            writer.write("profile,requests\n");
            for (Slice slice : slices) {
                writer.write(slice.pprof().getFileName() + "," + slice.requests() + "\n");
            }
        }
    }
}
