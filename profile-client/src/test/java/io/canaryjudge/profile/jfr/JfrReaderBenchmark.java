package io.canaryjudge.profile.jfr;

import io.canaryjudge.profile.Profile;
import io.canaryjudge.profile.ProfileType;
import io.canaryjudge.profile.ReadOptions;
import java.lang.management.ManagementFactory;
import java.lang.management.MemoryPoolMXBean;
import java.lang.management.MemoryType;
import java.nio.ByteBuffer;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Arrays;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import jdk.jfr.consumer.RecordedEvent;
import jdk.jfr.consumer.RecordedFrame;
import jdk.jfr.consumer.RecordedStackTrace;
import jdk.jfr.consumer.RecordingFile;

/**
 * Measures (not a test) read-and-aggregate time and peak heap of {@link JfrProfileReader} against a
 * minimal {@code jdk.jfr.consumer.RecordingFile} loop that only tallies the leaf frame of every
 * {@code jdk.ExecutionSample}. Run one reader and file per JVM (see docs/BENCHMARKS.md):
 * <pre>java -cp ... io.canaryjudge.profile.jfr.JfrReaderBenchmark ours|jdk FILE [RUNS]</pre>
 * Prints: reader, file, size, execution samples seen, median / min wall milliseconds per read over
 * RUNS reads after two warm-up reads, the reading thread's median CPU milliseconds (less disturbed
 * by other processes on a shared machine), the bytes allocated per read (median, MiB; the file's bytes
 * included for our reader, which reads the whole file into memory first) and the peak heap in MiB
 * over all reads (includes garbage not yet collected; the process's max RSS is the figure to quote).
 */
public final class JfrReaderBenchmark {
    private JfrReaderBenchmark() {
    }

    public static void main(String[] args) throws Exception {
        String reader = args[0];
        Path file = Path.of(args[1]);
        int runs = args.length > 2 ? Integer.parseInt(args[2]) : 5;
        for (MemoryPoolMXBean pool : ManagementFactory.getMemoryPoolMXBeans()) {
            pool.resetPeakUsage();
        }
        long samples = 0;
        long[] millis = new long[runs];
        long[] allocated = new long[runs];
        long[] cpuMillis = new long[runs];
        com.sun.management.ThreadMXBean threads = (com.sun.management.ThreadMXBean) ManagementFactory.getThreadMXBean();
        for (int run = -2; run < runs; run++) {
            long bytesBefore = threads.getCurrentThreadAllocatedBytes();
            long cpuBefore = threads.getCurrentThreadCpuTime();
            long start = System.nanoTime();
            samples = reader.equals("ours") ? ours(file) : jdk(file);
            if (run >= 0) {
                millis[run] = (System.nanoTime() - start) / 1_000_000;
                allocated[run] = threads.getCurrentThreadAllocatedBytes() - bytesBefore;
                cpuMillis[run] = (threads.getCurrentThreadCpuTime() - cpuBefore) / 1_000_000;
            }
        }
        long peakHeap = 0;
        for (MemoryPoolMXBean pool : ManagementFactory.getMemoryPoolMXBeans()) {
            if (pool.getType() == MemoryType.HEAP) {
                peakHeap += pool.getPeakUsage().getUsed();
            }
        }
        Arrays.sort(millis);
        Arrays.sort(allocated);
        Arrays.sort(cpuMillis);
        System.out.printf("%s %s %.1f MB samples=%d wall median=%d ms min=%d ms, thread cpu median=%d ms, "
                        + "allocated=%d MiB/read, peakHeap=%d MiB%n",
                reader, file.getFileName(), Files.size(file) / 1e6, samples, millis[runs / 2], millis[0],
                cpuMillis[runs / 2], allocated[runs / 2] >> 20, peakHeap >> 20);
    }

    /** Reads the whole file into memory (as the project's file reading does), then decodes and aggregates. */
    private static long ours(Path file) throws Exception {
        ByteBuffer bytes = ByteBuffer.wrap(Files.readAllBytes(file));
        List<Profile> profiles = new JfrProfileReader().read(bytes, file.toString(), ReadOptions.defaults());
        Profile profile = profiles.get(0);
        int cpu = profile.sampleTypeIndex(ProfileType.CPU);
        return cpu < 0 ? 0 : profile.sampleCount(cpu);
    }

    /** The minimal JDK consumer loop: leaf frame tally of execution samples. */
    private static long jdk(Path file) throws Exception {
        Map<String, Long> leaves = new HashMap<>();
        long samples = 0;
        try (RecordingFile recording = new RecordingFile(file)) {
            while (recording.hasMoreEvents()) {
                RecordedEvent event = recording.readEvent();
                if (!event.getEventType().getName().equals("jdk.ExecutionSample")) {
                    continue;
                }
                samples++;
                RecordedStackTrace stack = event.getStackTrace();
                if (stack != null && !stack.getFrames().isEmpty()) {
                    RecordedFrame leaf = stack.getFrames().get(0);
                    leaves.merge(leaf.getMethod().getType().getName() + "." + leaf.getMethod().getName(), 1L, Long::sum);
                }
            }
        }
        return samples;
    }
}
