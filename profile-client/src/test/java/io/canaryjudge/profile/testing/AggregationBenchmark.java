package io.canaryjudge.profile.testing;

import io.canaryjudge.profile.FunctionTotals;
import io.canaryjudge.profile.Profile;
import io.canaryjudge.profile.ProfileFiles;
import io.canaryjudge.profile.ProfileType;
import io.canaryjudge.profile.ReadOptions;
import java.io.OutputStream;
import java.lang.management.ManagementFactory;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import one.convert.Arguments;
import one.convert.JfrToFlame;
import one.jfr.JfrReader;

/**
 * In-process benchmark (a program, not a test) of what the judge does per observation: read a
 * profile file ({@link ProfileFiles#read}) and aggregate per-function self and inclusive values
 * ({@link Profile#functionTotals}). Beside it, async-profiler's converter doing its equivalent
 * (read and aggregate into a flame graph, {@code JfrToFlame}, output discarded) on the same file.
 *
 * <p>Usage: {@code AggregationBenchmark FILE...}. Each measure is repeated after a warm-up until
 * at least {@value #MIN_RUNS} runs and {@value #MIN_MILLIS} ms; prints medians in milliseconds and
 * the bytes allocated per run (this thread, {@code com.sun.management.ThreadMXBean}).
 * Run by {@code bench/collapse-vs-converter.sh}; figures in docs/BENCHMARKS.md.
 */
public final class AggregationBenchmark {
    private static final int MIN_RUNS = 5;
    private static final long MIN_MILLIS = 3_000;
    private static final int WARMUP_RUNS = 2;

    private AggregationBenchmark() {
    }

    /** One measured task; returns something derived from its result so the JIT cannot drop it. */
    @FunctionalInterface
    private interface Task {
        long run() throws Exception;
    }

    /** Median wall milliseconds and median allocated bytes of one task. */
    private record Figure(double millis, long allocatedBytes, int runs) {
    }

    public static void main(String[] args) throws Exception {
        if (args.length == 0) {
            System.err.println("usage: AggregationBenchmark FILE...");
            System.exit(64);
        }
        System.out.println("| input | MiB | type | stacks | functions | read ms | functionTotals ms |"
                + " read MiB allocated | converter flags | converter (read+aggregate) ms | converter MiB allocated |");
        System.out.println("|---|---:|---|---:|---:|---:|---:|---:|---|---:|---:|");
        for (String arg : args) {
            Path file = Path.of(arg);
            ReadOptions options = ReadOptions.defaults();
            List<Profile> profiles = ProfileFiles.read(file, options);
            Figure read = measure(() -> ProfileFiles.read(file, options).size());
            for (ProfileType type : List.of(ProfileType.CPU, ProfileType.ALLOC_BYTES)) {
                Profile profile = profiles.stream().filter(p -> p.sampleTypeIndex(type) >= 0).findFirst().orElse(null);
                if (profile == null) {
                    continue;
                }
                Figure totals = measure(() -> {
                    FunctionTotals t = profile.functionTotals(type);
                    return t.total() + t.functionCount();
                });
                String[] flags = converterFlags(file, type, stacksWithValue(profile, type));
                Figure converter = measure(() -> convert(file, flags));
                System.out.printf("| %s | %.1f | %s | %d | %d | %.1f | %.2f | %.1f | %s | %.1f | %.1f |%n",
                        file.getFileName(), Files.size(file) / 1048576.0, type, profile.stackCount(),
                        profile.functionCount(), read.millis(), totals.millis(), read.allocatedBytes() / 1048576.0,
                        flags.length == 2 ? "(none)" : String.join(" ", Arrays.copyOf(flags, flags.length - 2)), converter.millis(), converter.allocatedBytes() / 1048576.0);
            }
        }
    }

    /**
     * The converter's flags for the same job as reading {@code type}: {@code --alloc --total} for
     * allocations; for CPU, whichever of {@code --cpu} and none gives the number of stacks closest
     * to ours. Its {@code --cpu} keeps only samples in thread state STATE_DEFAULT (async-profiler's
     * CPU samples in a cpu+wall recording) and drops every sample of other recordings (JDK JFR,
     * the Pyroscope agent's), which would time a converter that aggregates nothing.
     */
    private static String[] converterFlags(Path file, ProfileType type, int ourStacks) throws Exception {
        if (type != ProfileType.CPU) {
            return new String[] {"--alloc", "--total", "-o", "collapsed"};
        }
        String[] best = null;
        int bestDistance = Integer.MAX_VALUE;
        for (String[] flags : List.of(new String[] {"--cpu", "-o", "collapsed"}, new String[] {"-o", "collapsed"})) {
            int distance = Math.abs(converterStacks(file, flags) - ourStacks);
            if (distance < bestDistance) {
                best = flags;
                bestDistance = distance;
            }
        }
        return best;
    }

    private static int stacksWithValue(Profile profile, ProfileType type) {
        int column = profile.sampleTypeIndex(type);
        int stacks = 0;
        for (int s = 0; s < profile.stackCount(); s++) {
            if (profile.value(s, column) != 0) {
                stacks++;
            }
        }
        return stacks;
    }

    /** Lines of the converter's collapsed output with these flags. */
    private static int converterStacks(Path file, String[] flags) throws Exception {
        java.io.ByteArrayOutputStream out = new java.io.ByteArrayOutputStream();
        try (JfrReader jfr = new JfrReader(file.toString())) {
            JfrToFlame converter = new JfrToFlame(jfr, new Arguments(flags));
            converter.convert();
            converter.dump(out);
        }
        int lines = 0;
        for (byte b : out.toByteArray()) {
            if (b == '\n') {
                lines++;
            }
        }
        return lines;
    }

    /** async-profiler's converter: read the recording and aggregate stacks (collapsed output discarded). */
    private static long convert(Path file, String[] flags) throws Exception {
        try (JfrReader jfr = new JfrReader(file.toString())) {
            JfrToFlame converter = new JfrToFlame(jfr, new Arguments(flags));
            converter.convert();
            converter.dump(OutputStream.nullOutputStream());
        }
        return 1;
    }

    private static Figure measure(Task task) throws Exception {
        com.sun.management.ThreadMXBean threads =
                (com.sun.management.ThreadMXBean) ManagementFactory.getThreadMXBean();
        long thread = Thread.currentThread().getId();
        long sink = 0;
        for (int i = 0; i < WARMUP_RUNS; i++) {
            sink += task.run();
        }
        List<Long> nanos = new ArrayList<>();
        List<Long> bytes = new ArrayList<>();
        long deadline = System.nanoTime() + MIN_MILLIS * 1_000_000;
        while (nanos.size() < MIN_RUNS || System.nanoTime() < deadline) {
            long allocatedBefore = threads.getThreadAllocatedBytes(thread);
            long start = System.nanoTime();
            sink += task.run();
            nanos.add(System.nanoTime() - start);
            bytes.add(threads.getThreadAllocatedBytes(thread) - allocatedBefore);
        }
        if (sink == Long.MIN_VALUE) {
            System.out.println(sink);
        }
        return new Figure(median(nanos) / 1e6, (long) median(bytes), nanos.size());
    }

    private static double median(List<Long> values) {
        long[] sorted = values.stream().mapToLong(Long::longValue).toArray();
        Arrays.sort(sorted);
        int n = sorted.length;
        return n % 2 == 1 ? sorted[n / 2] : (sorted[n / 2 - 1] + sorted[n / 2]) / 2.0;
    }
}
