package io.canaryjudge.qa48;

import com.sun.management.OperatingSystemMXBean;
import io.canaryjudge.memory.app.MemoryVariant;
import io.canaryjudge.memory.app.OrderService;
import java.lang.management.ManagementFactory;
import java.util.Locale;
import one.profiler.AsyncProfiler;

/**
 * async-profiler's cost on the memory pod's request handler (qa48, docs/EVALUATION.md "Native allocation sites"): serves
 * {@link OrderService} requests back to back on one thread, unthrottled, for a warm-up then a measured period, with
 * async-profiler started with the given options (or not at all: {@code none}), and prints requests per second and the
 * process's CPU time per request (every thread's: the profiler's own included), microseconds. On a shared machine the
 * rate moves with the neighbours' load; CPU time per request much less.
 * Arguments: {@code VARIANT WARMUP_SECONDS MEASURE_SECONDS OPTIONS|none JFR_FILE}.
 */
public final class NativememThroughput {
    private NativememThroughput() {
    }

    public static void main(String[] args) throws Exception {
        MemoryVariant variant = MemoryVariant.fromId(args[0]);
        long warmupNanos = Long.parseLong(args[1]) * 1_000_000_000L;
        long measureNanos = Long.parseLong(args[2]) * 1_000_000_000L;
        String options = args[3];
        OrderService service = new OrderService(variant, 42);
        if (!options.equals("none")) {
            AsyncProfiler.getInstance().execute("start," + options + ",jfr,file=" + args[4]);
        }
        long sink = 0;
        long id = 0;
        long warmupEnd = System.nanoTime() + warmupNanos;
        while (System.nanoTime() < warmupEnd) {
            sink += service.handle(++id);
        }
        long served = 0;
        OperatingSystemMXBean os = (OperatingSystemMXBean) ManagementFactory.getOperatingSystemMXBean();
        long cpuStart = os.getProcessCpuTime();
        long start = System.nanoTime();
        long end = start + measureNanos;
        while (System.nanoTime() < end) {
            sink += service.handle(++id);
            served++;
        }
        double seconds = (System.nanoTime() - start) / 1e9;
        double cpuMicrosPerRequest = (os.getProcessCpuTime() - cpuStart) / 1e3 / served;
        if (!options.equals("none")) {
            AsyncProfiler.getInstance().execute("stop");
        }
        System.out.printf(Locale.ROOT, "%s %s %.1f requests/s (%d in %.1f s) %.2f us CPU/request sink %x%n", variant.id(),
                options, served / seconds, served, seconds, cpuMicrosPerRequest, sink);
    }
}
