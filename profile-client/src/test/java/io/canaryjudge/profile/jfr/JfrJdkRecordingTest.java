package io.canaryjudge.profile.jfr;

import static org.assertj.core.api.Assertions.assertThat;

import io.canaryjudge.profile.FrameNames;
import io.canaryjudge.profile.Profile;
import io.canaryjudge.profile.ProfileType;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Collections;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import java.util.concurrent.locks.LockSupport;
import jdk.jfr.Recording;
import jdk.jfr.consumer.RecordedEvent;
import jdk.jfr.consumer.RecordedFrame;
import jdk.jfr.consumer.RecordingFile;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * Recordings made by the JDK's own Flight Recorder in this test JVM, read by our reader and,
 * as the oracle, by the JDK's {@code jdk.jfr.consumer.RecordingFile}: per stack, the CPU time
 * (samples × the declared 20 ms period), allocation and lock values must agree. JDK 17.0.15 writes
 * JFR 2.1 chunks.
 */
class JfrJdkRecordingTest {
    private static final Duration PERIOD = Duration.ofMillis(20);

    @TempDir
    Path tmp;

    private static volatile Object sink;

    @Test
    void jdkRecordingWithSampledAllocationsMatchesTheJdkReader() throws Exception {
        Path file = record("sampled.jfr", false);
        Profile profile = JfrFixtures.readOne(Files.readAllBytes(file), file.toString());

        assertThat(profile.profileTypes()).contains(ProfileType.CPU, ProfileType.ALLOC_BYTES);
        assertMatches(profile, ProfileType.CPU, oracle(file, List.of("jdk.ExecutionSample"), e -> PERIOD.toNanos()));
        assertMatches(profile, ProfileType.ALLOC_BYTES, oracle(file, List.of("jdk.ObjectAllocationSample"), e -> e.getLong("weight")));
        // The samples are throttled (here 2,000 a second): their count is a number of samples, not of objects.
        assertThat(oracle(file, List.of("jdk.ObjectAllocationSample"), e -> 1L)).isNotEmpty();
        assertThat(profile.profileTypes()).doesNotContain(ProfileType.ALLOC_OBJECTS);
        assertThat(profile.leftOutTypes().get(ProfileType.ALLOC_OBJECTS))
                .contains("jdk.ObjectAllocationSample events are throttled samples").contains("not of objects");
    }

    @Test
    void jdkRecordingWithTlabEventsIgnoresTheSampledAllocationsAndReadsLocks() throws Exception {
        Path file = record("tlab.jfr", true);
        Profile profile = JfrFixtures.readOne(Files.readAllBytes(file), file.toString());
        // The recording holds all three allocation events; only the TLAB ones count (never both).
        assertThat(oracle(file, List.of("jdk.ObjectAllocationSample"), e -> 1L)).isNotEmpty();

        // Without jdk.ActiveSetting events the period is unknown: 10 ms per sample, Pyroscope's assumption.
        int cpu = profile.sampleTypeIndex(ProfileType.CPU);
        assertThat(profile.total(cpu)).isEqualTo(profile.sampleCount(cpu) * 10_000_000L);
        assertThat(profile.sampleCount(cpu)).isEqualTo(oracle(file, List.of("jdk.ExecutionSample"), e -> 1L)
                .values().stream().mapToLong(Long::longValue).sum());

        List<String> tlab = List.of("jdk.ObjectAllocationInNewTLAB", "jdk.ObjectAllocationOutsideTLAB");
        assertMatches(profile, ProfileType.ALLOC_BYTES, oracle(file, tlab,
                e -> e.getEventType().getName().endsWith("InNewTLAB") ? e.getLong("tlabSize") : e.getLong("allocationSize")));
        assertMatches(profile, ProfileType.ALLOC_OBJECTS, oracle(file, tlab, e -> 1L));

        List<String> locks = List.of("jdk.JavaMonitorEnter", "jdk.ThreadPark");
        Map<String, Long> counts = oracle(file, locks, e -> 1L);
        assertThat(counts).isNotEmpty();
        assertMatches(profile, ProfileType.LOCK_COUNT, counts);
        Map<String, Long> delay = oracle(file, locks, e -> e.getDuration().toNanos());
        Map<String, Long> ours = ourStacks(profile, ProfileType.LOCK_DELAY);
        assertThat(ours.keySet()).isEqualTo(delay.keySet());
        // Both readers floor ticks to nanoseconds per event: at most 1 ns apart per event.
        delay.forEach((stack, nanos) ->
                assertThat(ours.get(stack)).as(stack).isCloseTo(nanos, org.assertj.core.data.Offset.offset(counts.get(stack))));
    }

    /** An event named like dd-trace-java's native profiler's CPU sample (ddprof, an async-profiler fork). */
    @jdk.jfr.Name("datadog.ExecutionSample")
    @jdk.jfr.StackTrace(true)
    static final class DatadogExecutionSample extends jdk.jfr.Event {
        long spanId;
    }

    @Test
    void recordingWithOnlyDdprofSamplesIsRejectedByNameInsteadOfReadAsEmpty() throws Exception {
        Path file = tmp.resolve("ddprof.jfr");
        try (Recording recording = new Recording()) {
            recording.enable(DatadogExecutionSample.class);
            recording.start();
            for (int i = 0; i < 5; i++) {
                DatadogExecutionSample sample = new DatadogExecutionSample();
                sample.spanId = i;
                sample.commit();
            }
            recording.stop();
            recording.dump(file);
        }
        byte[] bytes = Files.readAllBytes(file);
        org.assertj.core.api.Assertions.assertThatThrownBy(() -> JfrFixtures.readOne(bytes, "ddprof.jfr"))
                .isInstanceOf(io.canaryjudge.profile.InvalidProfileException.class)
                .hasMessageContaining("5 samples")
                .hasMessageContaining("datadog.ExecutionSample");
    }

    static void assertMatches(Profile profile, ProfileType type, Map<String, Long> expected) {
        assertThat(expected).as("oracle for %s", type).isNotEmpty();
        Map<String, Long> ours = ourStacks(profile, type);
        List<String> differences = new ArrayList<>();
        for (String stack : new java.util.TreeSet<>(union(ours.keySet(), expected.keySet()))) {
            if (!java.util.Objects.equals(ours.get(stack), expected.get(stack))) {
                differences.add("ours " + ours.get(stack) + " / jdk " + expected.get(stack) + ": ..."
                        + stack.substring(Math.max(0, stack.length() - 300)));
            }
        }
        assertThat(differences).as("%s stacks that differ from the JDK reader", type.id()).isEmpty();
    }

    private static java.util.Set<String> union(java.util.Set<String> a, java.util.Set<String> b) {
        java.util.Set<String> all = new java.util.HashSet<>(a);
        all.addAll(b);
        return all;
    }

    private Path record(String name, boolean tlabAndLocks) throws Exception {
        Path file = tmp.resolve(name);
        try (Recording recording = new Recording()) {
            recording.enable("jdk.ExecutionSample").withPeriod(PERIOD);
            if (!tlabAndLocks) {
                recording.enable("jdk.ActiveSetting"); // declares the period, as default.jfc and profile.jfc do
            }
            recording.enable("jdk.ObjectAllocationSample").with("throttle", "2000/s");
            if (tlabAndLocks) {
                recording.enable("jdk.ObjectAllocationInNewTLAB").withStackTrace();
                recording.enable("jdk.ObjectAllocationOutsideTLAB").withStackTrace();
                recording.enable("jdk.JavaMonitorEnter").withThreshold(Duration.ZERO).withStackTrace();
                recording.enable("jdk.ThreadPark").withThreshold(Duration.ZERO).withStackTrace();
            }
            recording.start();
            workload(tlabAndLocks);
            recording.stop();
            recording.dump(file);
        }
        return file;
    }

    /** CPU and allocation for ~0.6 s; with locks, two threads contending on a monitor and some parking. */
    private static void workload(boolean locks) throws InterruptedException {
        Object monitor = new Object();
        Thread contender = new Thread(() -> {
            for (int i = 0; i < 20; i++) {
                synchronized (monitor) {
                    LockSupport.parkNanos(3_000_000);
                }
            }
        });
        if (locks) {
            contender.start();
        }
        long end = System.nanoTime() + 600_000_000L;
        long checksum = 0;
        while (System.nanoTime() < end) {
            List<String> strings = new ArrayList<>();
            for (int i = 0; i < 2_000; i++) {
                strings.add(Integer.toString(i * 31));
            }
            Collections.shuffle(strings);
            Collections.sort(strings);
            checksum += strings.get(0).hashCode();
            sink = new byte[64 * 1024 + (int) (checksum & 1023)];
            if (locks) {
                synchronized (monitor) {
                    checksum++;
                }
            }
        }
        sink = checksum;
        contender.join();
    }

    interface Weight {
        long of(RecordedEvent event);
    }

    /** The JDK reader's per-stack totals: frames root first, names normalised, events without stacks left out. */
    static Map<String, Long> oracle(Path file, List<String> eventNames, Weight weight) throws Exception {
        Map<String, Long> stacks = new TreeMap<>();
        for (RecordedEvent event : RecordingFile.readAllEvents(file)) {
            if (!eventNames.contains(event.getEventType().getName()) || event.getStackTrace() == null) {
                continue;
            }
            List<String> names = new ArrayList<>();
            for (RecordedFrame frame : event.getStackTrace().getFrames()) {
                names.add(FrameNames.normalize(frame.getMethod().getType().getName() + "." + frame.getMethod().getName()));
            }
            Collections.reverse(names);
            stacks.merge(String.join(";", names), weight.of(event), Long::sum);
        }
        stacks.values().removeIf(v -> v == 0);
        return stacks;
    }

    private static Map<String, Long> ourStacks(Profile profile, ProfileType type) {
        int column = profile.sampleTypeIndex(type);
        assertThat(column).as("%s column", type).isNotNegative();
        Map<String, Long> stacks = new TreeMap<>();
        for (int s = 0; s < profile.stackCount(); s++) {
            List<String> names = new ArrayList<>();
            for (int d = profile.stackDepth(s) - 1; d >= 0; d--) {
                names.add(profile.functionName(profile.stackFunction(s, d)));
            }
            stacks.merge(String.join(";", names), profile.value(s, column), Long::sum);
        }
        stacks.values().removeIf(v -> v == 0);
        return stacks;
    }
}
