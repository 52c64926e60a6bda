package io.canaryjudge.ci;

import io.canaryjudge.scenario.ShopPod;
import one.profiler.AsyncProfiler;

import java.lang.management.ManagementFactory;
import java.lang.management.ThreadMXBean;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.HashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.function.LongUnaryOperator;

/**
 * A small JMH-like benchmark a team would run in CI on the main branch's build and on a pull
 * request's: warm-up iterations, then measured iterations while async-profiler records. Three
 * benchmark bodies share one thread each iteration: {@link Orders#parse}, {@link Orders#checksum}
 * (through a lambda) and {@link Orders#aggregate}.
 *
 * <p>Arguments: {@code VARIANT OUTPUT SECONDS [EVENT] [FORMAT] [INTERVAL]}; warm-up {@code -Dci.warmupMillis} (3000).
 * Warm-up and measurement last that much of the benchmark thread's CPU time, not of the clock: a CI runner gives a
 * benchmark a core, and on a machine busy with other work (the tests' own forks) a run timed by the clock got a
 * fraction of a core, fewer samples than the judge's floor and a colder JIT. The clock caps each phase at
 * {@link #WALL_CAP_FACTOR} times its length, so a starved run ends (with fewer samples) rather than hangs.
 * Beside OUTPUT it writes {@code requests.csv}: the operations measured, for compare's cost per request. VARIANT is {@code A} (main),
 * {@code B} ({@code checksum} does 30 % more rounds), {@code S} ({@code checksum} does 5 times the rounds: the
 * benchmark completes about 40 % of A's operations per second), {@code C} (a new hot path,
 * {@code Orders.audit}, about 10 % of the work) or {@code A2} (the same code as A).
 * EVENT is {@code cpu} (default) or {@code itimer}; FORMAT {@code jfr} (cpu and alloc in one
 * file) or {@code collapsed} (cpu only); INTERVAL async-profiler's sampling interval ({@code 1ms}, the default).
 * EVENT {@code jdk}: no async-profiler; the JVM records itself with the JDK's Flight Recorder
 * ({@code -XX:StartFlightRecording=...,filename=OUTPUT}, {@link CiBenchRun#startWithJdkRecorder}).
 */
public final class CiBench {
    /** A phase ends after this many times its CPU length of wall time, whatever CPU it got. */
    static final int WALL_CAP_FACTOR = 10;

    private CiBench() {
    }

    /**
     * Ends a phase after {@code nanos} of this thread's CPU time, or {@link #WALL_CAP_FACTOR} × that of wall time. The
     * thread's CPU time is a system call (about 1 µs): asked every {@link #CHECK_EVERY} iterations (each tens of µs),
     * so that it stays out of the profiles.
     */
    private static final class CpuBudget {
        static final int CHECK_EVERY = 16;
        private static final ThreadMXBean THREADS = ManagementFactory.getThreadMXBean();
        private final long cpuEnd;
        private final long wallEnd;
        private int calls;

        CpuBudget(long nanos) {
            cpuEnd = THREADS.getCurrentThreadCpuTime() + nanos;
            wallEnd = System.nanoTime() + WALL_CAP_FACTOR * nanos;
        }

        boolean spent() {
            if (++calls % CHECK_EVERY != 0) {
                return false;
            }
            return THREADS.getCurrentThreadCpuTime() >= cpuEnd || System.nanoTime() >= wallEnd;
        }
    }

    public static void main(String[] args) throws Exception {
        String variant = args[0];
        Path output = Path.of(args[1]);
        double seconds = Double.parseDouble(args[2]);
        String event = args.length > 3 ? args[3] : "cpu";
        String format = args.length > 4 ? args[4] : "jfr";
        String interval = args.length > 5 ? args[5] : "1ms";
        Orders orders = new Orders(variant);
        long sink = 0;
        CpuBudget warmup = new CpuBudget(Long.getLong("ci.warmupMillis", 3000) * 1_000_000L);
        while (!warmup.spent()) {
            sink += orders.iteration();
        }
        boolean jdkRecorder = event.equals("jdk");
        AsyncProfiler profiler = jdkRecorder ? null : ShopPod.loadProfiler();
        Files.createDirectories(output.toAbsolutePath().getParent());
        String start = format.equals("jfr")
                ? "start,event=" + event + ",interval=" + interval + ",alloc=512k,jfr,file=" + output
                : "start,event=" + event + ",interval=" + interval;
        if (!jdkRecorder) {
            profiler.execute(start);
        }
        CpuBudget measured = new CpuBudget((long) (seconds * 1e9));
        long iterations = 0;
        // With the JDK's recorder, a cache that keeps a 64 KiB block every 100 ms (at most 64): objects still live when
        // the recording ends, which its old-object sampler (jdk.OldObjectSample) reports in every run.
        List<byte[]> kept = new ArrayList<>();
        long nextKept = System.nanoTime();
        while (!measured.spent()) {
            sink += orders.iteration();
            iterations++;
            if (jdkRecorder && kept.size() < 64 && System.nanoTime() >= nextKept) {
                kept.add(new byte[64 * 1024]);
                nextKept += 100_000_000L;
            }
        }
        sink += kept.size();
        if (jdkRecorder) {
            // The JDK writes OUTPUT when the JVM exits.
        } else if (format.equals("jfr")) {
            profiler.execute("stop");
        } else {
            profiler.execute("stop");
            Files.writeString(output, profiler.execute("collapsed"));
        }
        if (output.getParent() != null && !jdkRecorder) {
            // (The JDK's recording covers the warm-up too: no count of the operations it holds.)
            // The benchmark's operations during the recording, as compare's requests.csv: CPU per operation.
            Files.writeString(output.resolveSibling("requests.csv"),
                    "profile,requests\n" + output.getFileName() + "," + iterations + "\n");
        }
        System.err.printf(Locale.ROOT, "%s: %d iterations, sink %x%n", variant, iterations, sink);
    }

    /** The code under benchmark. */
    public static final class Orders {
        private final int checksumRounds;
        private final boolean audit;
        private final String[] lines = new String[64];
        private final LongUnaryOperator mixer;

        public Orders(String variant) {
            checksumRounds = switch (variant) {
                case "B" -> 78;
                case "S" -> 300;
                default -> 60;
            };
            audit = variant.equals("C");
            for (int i = 0; i < lines.length; i++) {
                lines[i] = "order-" + i + ",sku-" + (i * 7919 % 1000) + "," + (i * 13 % 97) + "," + (i * 31 % 1009) + ".50";
            }
            mixer = x -> checksum(x);
        }

        public long iteration() {
            long sum = 0;
            List<String[]> parsed = parse();
            for (int i = 0; i < parsed.size(); i++) {
                sum += mixer.applyAsLong(parsed.get(i)[1].hashCode() + i);
            }
            sum += aggregate(parsed);
            if (audit) {
                sum += audit(parsed);
            }
            return sum;
        }

        List<String[]> parse() {
            List<String[]> out = new ArrayList<>(lines.length);
            for (String line : lines) {
                out.add(line.split(","));
            }
            return out;
        }

        long checksum(long x) {
            long h = x;
            for (int r = 0; r < checksumRounds; r++) {
                h ^= h >>> 33;
                h *= 0xff51afd7ed558ccdL;
                h ^= h >>> 29;
                h += r;
            }
            return h;
        }

        long aggregate(List<String[]> parsed) {
            Map<String, Long> bySku = new HashMap<>();
            for (String[] fields : parsed) {
                bySku.merge(fields[1], Long.parseLong(fields[2]), Long::sum);
            }
            long[] values = bySku.values().stream().mapToLong(Long::longValue).toArray();
            Arrays.sort(values);
            return values.length == 0 ? 0 : values[values.length / 2];
        }

        long audit(List<String[]> parsed) {
            StringBuilder log = new StringBuilder();
            for (String[] fields : parsed) {
                log.append(fields[0]).append('=').append(fields[3]).append(';');
            }
            return log.toString().hashCode();
        }
    }
}
