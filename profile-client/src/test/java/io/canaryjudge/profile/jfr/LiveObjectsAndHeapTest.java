package io.canaryjudge.profile.jfr;

import static org.assertj.core.api.Assertions.assertThat;

import io.canaryjudge.profile.FrameNames;
import io.canaryjudge.profile.Profile;
import io.canaryjudge.profile.ProfileFiles;
import io.canaryjudge.profile.ProfileType;
import io.canaryjudge.profile.ReadOptions;
import io.canaryjudge.profile.heap.HeapSeries;
import java.io.IOException;
import java.io.OutputStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Collections;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import java.util.function.ToLongFunction;
import java.util.zip.GZIPOutputStream;
import jdk.jfr.Recording;
import jdk.jfr.consumer.RecordedEvent;
import jdk.jfr.consumer.RecordedFrame;
import jdk.jfr.consumer.RecordingFile;
import one.profiler.AsyncProfiler;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * Live-object profiles and the after-GC heap, from recordings made here by the two real producers:
 * async-profiler 4.2 with {@code alloc=…,live} (its {@code profiler.LiveObject} events, and the
 * {@code jdk.GCHeapSummary} events it writes at collections) and the JDK's own Flight Recorder
 * ({@code jdk.OldObjectSample} as {@code profile.jfc}'s {@code old-objects} setting enables it,
 * {@code jdk.GCHeapSummary}, {@code jdk.JVMInformation}). The oracle is the JDK's
 * {@code jdk.jfr.consumer.RecordingFile} reading the same files.
 */
class LiveObjectsAndHeapTest {
    /** async-profiler's allocation sampling interval in these recordings, bytes. */
    private static final long ALLOC_INTERVAL = 16 * 1024;

    @TempDir
    static Path tmp;

    private static Path asyncProfilerRecording;

    /** Objects the workload keeps: the leak every live profile here must find. */
    private static final List<Object> RETAINED = new ArrayList<>();
    private static volatile Object sink;

    @BeforeAll
    static void recordWithAsyncProfiler() throws Exception {
        asyncProfilerRecording = tmp.resolve("live.jfr");
        AsyncProfiler profiler = AsyncProfiler.getInstance();
        profiler.execute("start,alloc=" + ALLOC_INTERVAL + ",live,jfr,file=" + asyncProfilerRecording.toAbsolutePath());
        try {
            runWorkload(Duration.ofMillis(1500));
        } finally {
            profiler.execute("stop");
        }
    }

    /** A leak (arrays kept in a list, from {@link #retainSessions}) beside garbage (from {@link #renderPages}). */
    private static void runWorkload(Duration duration) {
        long end = System.nanoTime() + duration.toNanos();
        int round = 0;
        while (System.nanoTime() < end) {
            retainSessions(20);
            renderPages(200);
            if (++round % 50 == 0) {
                System.gc(); // collections, so that garbage is gone and heap summaries are written
            }
        }
    }

    private static void retainSessions(int count) {
        for (int i = 0; i < count; i++) {
            RETAINED.add(new long[64]);
        }
    }

    private static void renderPages(int count) {
        for (int i = 0; i < count; i++) {
            sink = new StringBuilder(512).append(i).append("page").toString().getBytes();
        }
    }

    @Test
    void liveObjectsFromAsyncProfilerAreRead() throws Exception {
        Profile profile = readOne(asyncProfilerRecording);

        assertThat(profile.profileTypes()).contains(ProfileType.LIVE_BYTES, ProfileType.LIVE_OBJECTS);
        Map<String, Long> objects = oracle(asyncProfilerRecording, "profiler.LiveObject", e -> 1L);
        Map<String, Long> bytes = oracle(asyncProfilerRecording, "profiler.LiveObject",
                e -> Math.max(e.getLong("allocationSize"), ALLOC_INTERVAL));
        assertThat(objects).as("live objects in the recording").isNotEmpty();
        assertThat(stacks(profile, ProfileType.LIVE_OBJECTS)).isEqualTo(objects);
        assertThat(stacks(profile, ProfileType.LIVE_BYTES)).isEqualTo(bytes);
        assertThat(profile.sampleCount(profile.sampleTypeIndex(ProfileType.LIVE_OBJECTS)))
                .isEqualTo(objects.values().stream().mapToLong(Long::longValue).sum());

        // The retained arrays dominate what is still live; the garbage does not.
        double retained = share(profile, ProfileType.LIVE_BYTES, "retainSessions");
        assertThat(retained).as("share of live bytes allocated under retainSessions").isGreaterThan(0.5);
    }

    @Test
    void liveObjectsAreReadFromGzippedRecordingsAndOnlyWhenAsked() throws Exception {
        Path gz = tmp.resolve("live.jfr.gz");
        try (OutputStream out = new GZIPOutputStream(Files.newOutputStream(gz))) {
            Files.copy(asyncProfilerRecording, out);
        }
        Profile whole = readOne(asyncProfilerRecording);
        Profile gzipped = readOne(gz);
        assertThat(stacks(gzipped, ProfileType.LIVE_BYTES)).isEqualTo(stacks(whole, ProfileType.LIVE_BYTES));

        List<Profile> onlyCpu = ProfileFiles.read(asyncProfilerRecording,
                ReadOptions.defaults().withTypes(java.util.EnumSet.of(ProfileType.ALLOC_BYTES)));
        assertThat(onlyCpu.get(0).sampleTypeIndex(ProfileType.LIVE_BYTES)).isNegative();
    }

    @Test
    void heapAfterGcFromAsyncProfilerRecordingIsRead() throws Exception {
        HeapSeries heap = ProfileFiles.readHeap(asyncProfilerRecording, ReadOptions.defaults());

        List<long[]> expected = afterGc(asyncProfilerRecording);
        assertThat(expected).as("async-profiler's heap summaries").isNotEmpty();
        assertThat(points(heap)).containsExactlyElementsOf(expected);
        // async-profiler records no JVM information event with a start time
        assertThat(heap.jvmStartMillis()).isEqualTo(jvmStart(asyncProfilerRecording));
    }

    @Test
    void oldObjectSampleFromJdkRecordingIsRead() throws Exception {
        Path file = tmp.resolve("old-objects.jfr");
        try (Recording recording = new Recording()) {
            // What profile.jfc's "old-objects" setting enables, with the allocation stack.
            recording.enable("jdk.OldObjectSample").withStackTrace().with("cutoff", "0 ns");
            recording.enable("jdk.GCHeapSummary");
            recording.enable("jdk.JVMInformation");
            recording.start();
            runWorkload(Duration.ofMillis(800));
            recording.stop();
            recording.dump(file);
        }
        Profile profile = readOne(file);

        Map<String, Long> objects = oracle(file, "jdk.OldObjectSample", e -> 1L);
        assertThat(objects).as("old-object samples in the recording").isNotEmpty();
        assertThat(stacks(profile, ProfileType.LIVE_OBJECTS)).isEqualTo(objects);
        boolean sizes = jdk.jfr.EventType.getEventType(OldObjectProbe.class) != null
                && RecordingFile.readAllEvents(file).stream()
                .filter(e -> e.getEventType().getName().equals("jdk.OldObjectSample"))
                .anyMatch(e -> e.hasField("objectSize"));
        if (sizes) {
            assertThat(stacks(profile, ProfileType.LIVE_BYTES))
                    .isEqualTo(oracle(file, "jdk.OldObjectSample", e -> e.getLong("objectSize")));
        } else {
            // JDK 17 writes no object size: live objects only, never a live_bytes column of counts.
            assertThat(profile.sampleTypeIndex(ProfileType.LIVE_BYTES)).isNegative();
        }
        assertThat(share(profile, ProfileType.LIVE_OBJECTS, "retainSessions")).isGreaterThan(0.5);

        HeapSeries heap = ProfileFiles.readHeap(file, ReadOptions.defaults());
        assertThat(points(heap)).containsExactlyElementsOf(afterGc(file));
        assertThat(heap.size()).as("after-GC summaries of the System.gc() calls").isPositive();
        assertThat(heap.jvmStartMillis()).isEqualTo(jvmStart(file)).isPositive();
    }

    /** Only a handle for {@code EventType.getEventType}; never committed. */
    @jdk.jfr.Name("canaryjudge.OldObjectProbe")
    static final class OldObjectProbe extends jdk.jfr.Event {
    }

    @Test
    void recordingWithoutHeapSummariesGivesAnEmptySeriesAndOtherFormatsAreNotRead() throws Exception {
        Path file = tmp.resolve("cpu-only.jfr");
        try (Recording recording = new Recording()) {
            recording.enable("jdk.ExecutionSample").withPeriod(Duration.ofMillis(10));
            recording.start();
            renderPages(20_000);
            recording.stop();
            recording.dump(file);
        }
        assertThat(ProfileFiles.readHeap(file, ReadOptions.defaults()).isEmpty()).isTrue();
        Path text = tmp.resolve("stacks.txt");
        Files.writeString(text, "a;b 3\na;c 4\n");
        assertThat(ProfileFiles.readHeap(text, ReadOptions.defaults()).isEmpty()).isTrue();
    }

    private static Profile readOne(Path file) throws Exception {
        List<Profile> profiles = ProfileFiles.read(file, ReadOptions.defaults());
        assertThat(profiles).hasSize(1);
        return profiles.get(0);
    }

    /** The JDK reader's per-stack totals of one event type: frames root first, names normalised. */
    private static Map<String, Long> oracle(Path file, String eventName, ToLongFunction<RecordedEvent> weight)
            throws IOException {
        Map<String, Long> stacks = new TreeMap<>();
        for (RecordedEvent event : RecordingFile.readAllEvents(file)) {
            if (!event.getEventType().getName().equals(eventName) || event.getStackTrace() == null) {
                continue;
            }
            List<String> names = new ArrayList<>();
            for (RecordedFrame frame : event.getStackTrace().getFrames()) {
                names.add(FrameNames.normalize(frame.getMethod().getType().getName() + "." + frame.getMethod().getName()));
            }
            Collections.reverse(names);
            stacks.merge(String.join(";", names), weight.applyAsLong(event), Long::sum);
        }
        return stacks;
    }

    private static Map<String, Long> stacks(Profile profile, ProfileType type) {
        int column = profile.sampleTypeIndex(type);
        assertThat(column).as("%s column", type).isNotNegative();
        Map<String, Long> stacks = new TreeMap<>();
        for (int s = 0; s < profile.stackCount(); s++) {
            if (profile.value(s, column) == 0) {
                continue;
            }
            List<String> names = new ArrayList<>();
            for (int d = profile.stackDepth(s) - 1; d >= 0; d--) {
                names.add(profile.functionName(profile.stackFunction(s, d)));
            }
            stacks.merge(String.join(";", names), profile.value(s, column), Long::sum);
        }
        return stacks;
    }

    /** Share of a column in stacks through a method whose name ends with {@code method}. */
    private static double share(Profile profile, ProfileType type, String method) {
        int column = profile.sampleTypeIndex(type);
        long through = 0;
        for (int s = 0; s < profile.stackCount(); s++) {
            for (int d = 0; d < profile.stackDepth(s); d++) {
                if (profile.functionName(profile.stackFunction(s, d)).endsWith("." + method)) {
                    through += profile.value(s, column);
                    break;
                }
            }
        }
        return (double) through / profile.total(column);
    }

    /** (time in ms, heap used) of every "After GC" heap summary, by the JDK's reader, in time order. */
    private static List<long[]> afterGc(Path file) throws IOException {
        List<long[]> points = new ArrayList<>();
        for (RecordedEvent event : RecordingFile.readAllEvents(file)) {
            if (event.getEventType().getName().equals("jdk.GCHeapSummary") && "After GC".equals(event.getString("when"))) {
                Instant time = event.getStartTime();
                points.add(new long[] {time.toEpochMilli(), event.getLong("heapUsed")});
            }
        }
        points.sort((a, b) -> Long.compare(a[0], b[0]));
        return points;
    }

    private static long jvmStart(Path file) throws IOException {
        for (RecordedEvent event : RecordingFile.readAllEvents(file)) {
            if (event.getEventType().getName().equals("jdk.JVMInformation")) {
                return event.getLong("jvmStartTime");
            }
        }
        return -1;
    }

    private static List<long[]> points(HeapSeries heap) {
        List<long[]> points = new ArrayList<>();
        for (int i = 0; i < heap.size(); i++) {
            points.add(new long[] {heap.timestampMillis(i), heap.heapAfterGcBytes(i)});
        }
        return points;
    }
}
