package io.canaryjudge.profile.jfr;

import static org.assertj.core.api.Assertions.assertThat;

import io.canaryjudge.profile.AsyncProfilerConversions;
import io.canaryjudge.profile.FrameNames;
import io.canaryjudge.profile.Profile;
import io.canaryjudge.profile.ProfileType;
import java.io.InputStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Collections;
import java.util.Comparator;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import java.util.zip.GZIPInputStream;
import jdk.jfr.consumer.RecordedEvent;
import jdk.jfr.consumer.RecordedFrame;
import jdk.jfr.consumer.RecordingFile;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * Native allocation sites from async-profiler 4.2's {@code nativemem} (qa48): {@code profiler.Malloc} (address, size,
 * stack) and {@code profiler.Free} (address) become malloc_bytes and malloc_leak_bytes. The recording
 * (resources/jfr/README.md, {@link NativeMemoryWorkload}) keeps one 64 KiB block per round, frees two and ends a
 * {@code Deflater}. Oracles: the JDK's own {@code RecordingFile} reading the same events, and async-profiler's converter
 * ({@code --nativemem --leak}) for which blocks are not freed.
 */
class NativeMemoryRecordingTest {
    /** The recording's {@code nativemem} interval, bytes. */
    private static final long INTERVAL = 16_384;
    private static final String LEAK_SITE = "io.canaryjudge.profile.jfr.NativeMemoryWorkload.keepBlock";

    @TempDir
    static Path tmp;
    private static Path file;
    private static Profile profile;

    @BeforeAll
    static void read() throws Exception {
        file = tmp.resolve("nativemem.jfr");
        try (InputStream in = new GZIPInputStream(NativeMemoryRecordingTest.class.getResourceAsStream("/jfr/nativemem.jfr.gz"))) {
            Files.copy(in, file);
        }
        profile = JfrFixtures.readOne(Files.readAllBytes(file), file.toString());
    }

    @Test
    void mallocBytesWeighEachSampleAsTheIntervalOrItsSizeWithoutTheProfilersHook() throws Exception {
        Map<String, Long> expected = new TreeMap<>();
        for (Sample s : samples()) {
            if (s.size > 0) {
                expected.merge(s.stack, Math.max(s.size, INTERVAL), Long::sum);
            }
        }
        JfrJdkRecordingTest.assertMatches(profile, ProfileType.MALLOC_BYTES, expected);
        assertThat(expected.keySet()).as("no stack ends in async-profiler's interposer")
                .noneMatch(stack -> stack.endsWith("_hook"));
    }

    @Test
    void mallocLeakBytesAreTheSampledBlocksNotFreedOutsideTheLastTenthAsTheConverterLeaves() throws Exception {
        List<Sample> samples = samples();
        long min = samples.stream().mapToLong(s -> s.ticks).min().orElseThrow();
        long max = samples.stream().mapToLong(s -> s.ticks).max().orElseThrow();
        Map<Long, Sample> live = new HashMap<>();
        for (Sample s : samples) { // in time order
            if (s.size > 0) {
                live.put(s.address, s);
            } else {
                live.remove(s.address);
            }
        }
        long cutoff = (long) (min * 0.1 + max * 0.9);
        Map<String, Long> expected = new TreeMap<>();
        long blocks = 0;
        for (Sample s : live.values()) {
            if (s.ticks <= cutoff) {
                expected.merge(s.stack, Math.max(s.size, INTERVAL), Long::sum);
                blocks++;
            }
        }
        JfrJdkRecordingTest.assertMatches(profile, ProfileType.MALLOC_LEAK_BYTES, expected);
        assertThat(profile.sampleCount(profile.sampleTypeIndex(ProfileType.MALLOC_LEAK_BYTES))).isEqualTo(blocks);

        // async-profiler's converter: the same blocks (sample counts), and at the leaking site, whose 64 KiB blocks
        // weigh their own size, the same bytes.
        String counts = AsyncProfilerConversions.collapsed(file, "--nativemem", "--leak");
        assertThat(total(counts, null)).isEqualTo(blocks);
        String bytes = AsyncProfilerConversions.collapsed(file, "--nativemem", "--leak", "--total");
        long leakSite = total(bytes, "NativeMemoryWorkload.keepBlock");
        // The workload kept 57 blocks (one per round, its output said); those of the last tenth are left out.
        assertThat(leakSite % NativeMemoryWorkload.BLOCK_BYTES).isZero();
        assertThat(leakSite / NativeMemoryWorkload.BLOCK_BYTES).isBetween(45L, 56L);
        assertThat(inclusive(ProfileType.MALLOC_LEAK_BYTES, LEAK_SITE)).isEqualTo(leakSite).isGreaterThan(0);
        assertThat(inclusive(ProfileType.MALLOC_LEAK_BYTES, "io.canaryjudge.profile.jfr.NativeMemoryWorkload.freeBlock"))
                .as("freed at once").isZero();
        assertThat(inclusive(ProfileType.MALLOC_BYTES, "io.canaryjudge.profile.jfr.NativeMemoryWorkload.freeBlock"))
                .as("yet allocated, twice as much as the leak").isGreaterThan(inclusive(ProfileType.MALLOC_BYTES, LEAK_SITE));
    }

    /** One profiler.Malloc (size > 0) or profiler.Free (size 0), as the JDK reads it. */
    private record Sample(long ticks, long address, long size, String stack) {
    }

    /** Every malloc and free of the recording in time order, each malloc's stack root first without the hook frame. */
    private static List<Sample> samples() throws Exception {
        List<Sample> samples = new ArrayList<>();
        for (RecordedEvent event : RecordingFile.readAllEvents(file)) {
            String name = event.getEventType().getName();
            if (name.equals("profiler.Malloc") && event.getStackTrace() != null) {
                List<String> names = new ArrayList<>();
                for (RecordedFrame frame : event.getStackTrace().getFrames()) {
                    names.add(FrameNames.normalize(frame.getMethod().getType().getName() + "." + frame.getMethod().getName()));
                }
                if (names.get(0).endsWith("_hook")) {
                    names.remove(0); // async-profiler's interposer: the reader leaves it out
                }
                Collections.reverse(names);
                samples.add(new Sample(ticks(event), event.getLong("address"), event.getLong("size"), String.join(";", names)));
            } else if (name.equals("profiler.Free")) {
                samples.add(new Sample(ticks(event), event.getLong("address"), 0, ""));
            }
        }
        samples.sort(Comparator.comparingLong(Sample::ticks)); // stable: events of one instant keep their order
        return samples;
    }

    private static long ticks(RecordedEvent event) {
        return event.getStartTime().getEpochSecond() * 1_000_000_000L + event.getStartTime().getNano();
    }

    /** The total of collapsed lines, or of those with {@code frame} in their stack. */
    private static long total(String collapsed, String frame) {
        long sum = 0;
        for (String line : collapsed.split("\n")) {
            if (!line.isBlank() && (frame == null || line.contains(frame))) {
                sum += Long.parseLong(line.substring(line.lastIndexOf(' ') + 1));
            }
        }
        return sum;
    }

    private long inclusive(ProfileType type, String function) {
        int column = profile.sampleTypeIndex(type);
        long sum = 0;
        for (int s = 0; s < profile.stackCount(); s++) {
            for (int d = 0; d < profile.stackDepth(s); d++) {
                if (profile.functionName(profile.stackFunction(s, d)).equals(function)) {
                    sum += profile.value(s, column);
                    break;
                }
            }
        }
        return sum;
    }
}
