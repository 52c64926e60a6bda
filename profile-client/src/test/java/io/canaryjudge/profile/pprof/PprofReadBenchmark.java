package io.canaryjudge.profile.pprof;

import io.canaryjudge.profile.Profile;
import io.canaryjudge.profile.ProfileFiles;
import io.canaryjudge.profile.ProfileType;
import io.canaryjudge.profile.ReadOptions;
import io.canaryjudge.profile.collapsed.CollapsedReader;
import io.canaryjudge.profile.collapsed.CollapsedWriter;
import java.io.StringWriter;
import java.lang.management.ManagementFactory;
import java.nio.ByteBuffer;
import java.nio.charset.StandardCharsets;
import java.util.Random;

/**
 * Not a test: a repeatable measurement of reading a large pprof and its collapsed form. Builds a
 * synthetic pprof (seeded: 200k distinct stacks of depth 8..40 over 20k functions, one label)
 * and reports the best of several runs in thread CPU time (wall time on a shared machine mostly
 * measures the neighbours), plus bytes allocated by the reading thread.
 *
 * <p>Run: {@code mvn -B -q -o -pl profile-client test-compile} then
 * {@code java -cp profile-client/target/classes:profile-client/target/test-classes
 * io.canaryjudge.profile.pprof.PprofReadBenchmark}.
 */
public final class PprofReadBenchmark {
    private PprofReadBenchmark() {
    }

    public static void main(String[] args) throws Exception {
        int functions = 20_000;
        int samples = args.length > 0 ? Integer.parseInt(args[0]) : 200_000;
        Random random = new Random(42);
        TestPprof pprof = new TestPprof().sampleType("samples", "count").sampleType("cpu", "nanoseconds");
        for (int f = 1; f <= functions; f++) {
            pprof.function(f, "com/example/pkg" + (f % 50) + "/Class" + (f % 700) + ".method" + f);
            pprof.location(f, f);
        }
        for (int s = 0; s < samples; s++) {
            long[] stack = new long[8 + random.nextInt(33)];
            for (int d = 0; d < stack.length; d++) {
                stack[d] = 1 + random.nextInt(functions);
            }
            pprof.sample(stack, new long[] {1, 10_000_000}, TestPprof.Label.str("thread", "worker-" + (s % 16)));
        }
        byte[] bytes = pprof.bytes();
        System.out.printf("synthetic pprof: %d samples, %.1f MB%n", samples, bytes.length / 1e6);

        ReadOptions options = ReadOptions.defaults().withCollapsedType(ProfileType.CPU);
        Profile profile = null;
        long best = Long.MAX_VALUE;
        long allocated = 0;
        for (int run = 0; run < 7; run++) {
            long before = allocatedBytes();
            long start = cpuNanos();
            profile = ProfileFiles.read(bytes, "synthetic", options).get(0);
            long elapsed = cpuNanos() - start;
            allocated = allocatedBytes() - before;
            best = Math.min(best, elapsed);
        }
        System.out.printf("pprof read: best %.0f ms CPU (%.0f MB/s), %.0f MB allocated per read, %d stacks%n",
                best / 1e6, bytes.length / 1e6 / (best / 1e9), allocated / 1e6, profile.stackCount());

        StringWriter text = new StringWriter();
        long start = cpuNanos();
        CollapsedWriter.write(profile, profile.sampleTypeIndex(ProfileType.CPU), text);
        System.out.printf("collapsed write: %.0f ms CPU, %.1f MB%n", (cpuNanos() - start) / 1e6,
                text.toString().length() / 1e6);
        byte[] collapsed = text.toString().getBytes(StandardCharsets.UTF_8);
        best = Long.MAX_VALUE;
        for (int run = 0; run < 7; run++) {
            start = cpuNanos();
            new CollapsedReader().read(ByteBuffer.wrap(collapsed), "collapsed", options);
            best = Math.min(best, cpuNanos() - start);
        }
        System.out.printf("collapsed read: best %.0f ms CPU (%.0f MB/s)%n", best / 1e6, collapsed.length / 1e6 / (best / 1e9));
    }

    private static long cpuNanos() {
        return ManagementFactory.getThreadMXBean().getCurrentThreadCpuTime();
    }

    private static long allocatedBytes() {
        return ((com.sun.management.ThreadMXBean) ManagementFactory.getThreadMXBean()).getCurrentThreadAllocatedBytes();
    }
}
