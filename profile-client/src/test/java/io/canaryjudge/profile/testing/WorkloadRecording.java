package io.canaryjudge.profile.testing;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.Objects;
import java.util.concurrent.locks.ReentrantLock;
import one.profiler.AsyncProfiler;

/**
 * Records a workload running in this JVM with the real async-profiler (the test dependency
 * {@code tools.profiler:async-profiler}, whose jar carries the native library) into a JFR file:
 * CPU samples from {@code itimer} (perf events are often not permitted in containers) and
 * allocation samples from the JVM's sampled allocation callbacks.
 *
 * <p>The profiler is one per JVM, so recordings are serialised by a lock; a recording profiles
 * every thread of the JVM (the workload, JIT compiler, GC), as in production.
 *
 * <p>Why these defaults: the {@code itimer} interval must not be shorter than the kernel tick
 * (4 ms at {@code CONFIG_HZ=250}, as here), or the timer fires at most once per tick and samples
 * times interval would under-count CPU time; 10 ms is async-profiler's default and what the
 * production fixtures used (100 Hz). {@code alloc=64k} samples about one allocation per 64 KiB.
 */
public final class WorkloadRecording {
    /** Default CPU sampling interval: async-profiler's default, 10 ms (100 Hz). */
    public static final Duration DEFAULT_CPU_INTERVAL = Duration.ofMillis(10);
    /** Default allocation sampling interval, bytes between samples. */
    public static final long DEFAULT_ALLOC_INTERVAL_BYTES = 64 * 1024;

    private static final ReentrantLock PROFILER = new ReentrantLock();
    private static Recording shared;

    private WorkloadRecording() {
    }

    /**
     * What a recording holds and how it was made; the intervals convert sample counts into the
     * judge's units ({@code cpu ns = samples * cpuInterval}).
     *
     * @param jfr                the JFR file async-profiler wrote
     * @param cpuInterval        CPU ({@code itimer}) sampling interval
     * @param allocIntervalBytes allocation sampling interval, bytes
     * @param duration           how long the workload ran
     */
    public record Recording(Path jfr, Duration cpuInterval, long allocIntervalBytes, Duration duration) {
        public Recording {
            Objects.requireNonNull(jfr, "jfr");
        }

        /** CPU sampling interval in nanoseconds: the factor between CPU sample counts and nanoseconds. */
        public long cpuIntervalNanos() {
            return cpuInterval.toNanos();
        }
    }

    /**
     * One recording of {@link SyntheticWorkload} (about 1.5 s), made the first time it is asked
     * for and shared by every test in this JVM. The file lives in a temporary directory deleted
     * when the JVM exits; callers must not modify it.
     */
    public static synchronized Recording shared() {
        if (shared == null) {
            try {
                Path dir = Files.createTempDirectory("canary-judge-recording");
                dir.toFile().deleteOnExit();
                shared = record(dir.resolve("synthetic-workload.jfr"), Duration.ofMillis(1500),
                        DEFAULT_CPU_INTERVAL, DEFAULT_ALLOC_INTERVAL_BYTES, SyntheticWorkload::step);
                shared.jfr().toFile().deleteOnExit();
            } catch (IOException e) {
                throw new UncheckedIOException("cannot make a temporary directory for the recording", e);
            }
        }
        return shared;
    }

    /**
     * Runs {@code step} repeatedly on the calling thread for {@code duration} while async-profiler
     * records CPU and allocation samples into {@code jfr}.
     *
     * @param jfr                where to write the recording (its directory must exist); no commas
     * @param duration           how long to run the workload; 1–2 s keeps tests fast
     * @param cpuInterval        {@code itimer} interval; keep it &ge; the kernel tick (see class doc)
     * @param allocIntervalBytes allocation sampling interval in bytes; 0 or less records no allocations
     * @param step               one unit of work, called until {@code duration} has passed
     */
    public static Recording record(Path jfr, Duration duration, Duration cpuInterval, long allocIntervalBytes,
                                   Runnable step) {
        String file = jfr.toAbsolutePath().toString();
        if (file.indexOf(',') >= 0) {
            throw new IllegalArgumentException("async-profiler cannot write to a path with a comma: " + file);
        }
        StringBuilder command = new StringBuilder("start,event=itimer,interval=").append(cpuInterval.toNanos());
        if (allocIntervalBytes > 0) {
            command.append(",alloc=").append(allocIntervalBytes);
        }
        command.append(",jfr,file=").append(file);

        AsyncProfiler profiler = AsyncProfiler.getInstance();
        PROFILER.lock();
        try {
            execute(profiler, command.toString());
            try {
                long end = System.nanoTime() + duration.toNanos();
                while (System.nanoTime() < end) {
                    step.run();
                }
            } finally {
                execute(profiler, "stop");
            }
        } finally {
            PROFILER.unlock();
        }
        if (!Files.isRegularFile(jfr)) {
            throw new IllegalStateException("async-profiler wrote no recording to " + file);
        }
        return new Recording(jfr, cpuInterval, allocIntervalBytes, duration);
    }

    private static void execute(AsyncProfiler profiler, String command) {
        try {
            profiler.execute(command);
        } catch (IOException e) {
            throw new UncheckedIOException("async-profiler failed: " + command, e);
        } catch (IllegalStateException | IllegalArgumentException e) {
            throw new IllegalStateException("async-profiler refused \"" + command + "\": " + e.getMessage(), e);
        }
    }
}
