package io.canaryjudge.scenario;

import java.io.Writer;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Arrays;
import java.util.LinkedHashMap;
import java.util.Locale;
import java.util.Map;
import java.util.concurrent.BlockingQueue;
import java.util.concurrent.LinkedBlockingQueue;
import java.util.concurrent.atomic.LongAdder;
import java.util.concurrent.locks.LockSupport;
import one.profiler.AsyncProfiler;

/**
 * The open-loop service the recorded pods of qa32, qa34 and qa36 share: an acceptor thread queues arrivals at a fixed
 * rate (a late pacer catches up; a full queue drops them), worker threads take one each and serve it, and the pod
 * records async-profiler JFR slices with the requests served in each ({@code requests.csv}), as a Pyroscope agent
 * restarted every slice would.
 */
public final class OpenLoopPod {
    /** One request, the worker's {@code n}-th (counted per worker from 0). */
    @FunctionalInterface
    public interface Request {
        void serve(long n) throws InterruptedException;
    }

    private final BlockingQueue<Long> arrivals = new LinkedBlockingQueue<>(1 << 16);
    private final LongAdder served = new LongAdder();

    private OpenLoopPod() {
    }

    /** {@code key=value} arguments, in order. */
    public static Map<String, String> arguments(String[] args) {
        Map<String, String> map = new LinkedHashMap<>();
        for (String arg : args) {
            int eq = arg.indexOf('=');
            map.put(arg.substring(0, eq), arg.substring(eq + 1));
        }
        return map;
    }

    /**
     * Starts {@code workers} threads ({@code http-nio-exec-N}) serving arrivals at {@code rate} a second.
     *
     * @param minParkNanos the pacer's shortest sleep: arrivals come in bursts that long apart at most
     */
    public static OpenLoopPod start(int workers, double rate, long minParkNanos, Request request) {
        OpenLoopPod pod = new OpenLoopPod();
        for (int w = 0; w < workers; w++) {
            Thread worker = new Thread(() -> pod.serve(request), "http-nio-exec-" + (w + 1));
            worker.setDaemon(true);
            worker.start();
        }
        Thread pacer = new Thread(() -> pod.pace(rate, minParkNanos), "acceptor");
        pacer.setDaemon(true);
        pacer.start();
        return pod;
    }

    /**
     * After {@code warmupMillis}, records {@code slices} JFR files of {@code sliceMillis} each into {@code folder}
     * ({@code slice-N.jfr}, async-profiler started with {@code profilerArgs}) and {@code requests.csv}.
     *
     * @return the requests served in each slice
     */
    public long[] record(Path folder, long warmupMillis, int slices, long sliceMillis, String profilerArgs)
            throws Exception {
        Thread.sleep(warmupMillis);
        AsyncProfiler profiler = ShopPod.loadProfiler();
        long[] requests = new long[slices];
        for (int k = 0; k < slices; k++) {
            Path jfr = folder.resolve("slice-" + (k + 1) + ".jfr");
            profiler.execute("start," + profilerArgs + ",jfr,file=" + jfr.toAbsolutePath());
            long before = served.sum();
            Thread.sleep(sliceMillis);
            requests[k] = served.sum() - before;
            profiler.execute("stop");
        }
        try (Writer writer = Files.newBufferedWriter(folder.resolve("requests.csv"), StandardCharsets.UTF_8)) {
            writer.write("profile,requests\n");
            for (int k = 0; k < slices; k++) {
                writer.write("slice-" + (k + 1) + ".jfr," + requests[k] + "\n");
            }
        }
        return requests;
    }

    /** One line on stderr: the rate asked and served, the backlog left, and the work's checksum (so none is dead code). */
    public void report(Path folder, String variant, double rate, long[] requests, long sliceMillis, long checksum) {
        System.err.printf(Locale.ROOT, "pod %s (%s): %.0f/s asked, %.0f/s served, backlog %d, checksum %x%n", folder,
                variant, rate, Arrays.stream(requests).sum() * 1000.0 / (requests.length * sliceMillis),
                arrivals.size(), checksum);
    }

    /** Open loop: arrival n is due at n / rate seconds; a late pacer catches up. */
    private void pace(double rate, long minParkNanos) {
        long start = System.nanoTime();
        long issued = 0;
        while (true) {
            long due = (long) ((System.nanoTime() - start) * rate / 1e9);
            while (issued < due) {
                if (!arrivals.offer(System.nanoTime())) {
                    break;
                }
                issued++;
            }
            issued = Math.max(issued, due);
            LockSupport.parkNanos(Math.max(minParkNanos, (long) (1e9 / rate)));
        }
    }

    private void serve(Request request) {
        long n = 0;
        while (true) {
            try {
                arrivals.take();
                request.serve(n++);
            } catch (InterruptedException e) {
                return;
            }
            served.increment();
        }
    }
}
