package io.canaryjudge.qa44;

import static org.assertj.core.api.Assertions.assertThat;

import io.canaryjudge.profile.ProfileFiles;
import io.canaryjudge.profile.ReadOptions;
import io.canaryjudge.profile.heap.HeapSeries;
import io.canaryjudge.profile.heap.MemoryAreaSeries;
import java.io.ByteArrayOutputStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import java.util.zip.GZIPInputStream;
import java.util.zip.GZIPOutputStream;
import jdk.jfr.consumer.RecordedEvent;
import jdk.jfr.consumer.RecordedObject;
import jdk.jfr.consumer.RecordingFile;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The project's own JFR decoder reads memory outside the heap exactly as the JDK's reader ({@code jdk.jfr.consumer})
 * does, on a recording of a real JVM (the qa44 direct-buffer leak pod under the JDK's JFR, bench/qa44-nonheap-jfr.sh):
 * every after-GC metaspace summary, every direct-buffer and thread statistic, with its time; async-profiler's
 * recording with jfrsync carries them too; its recording of the same pod without jfrsync holds none.
 */
class RecordedAreasReaderTest {
    static final Path DIR = Path.of("src/test/resources/qa44");

    @TempDir
    Path scratch;

    @Test
    void decoderAgreesWithTheJdkReaderOnEveryEvent() throws Exception {
        Path jfr = DIR.resolve("jfr/leak-direct-1/jdk.jfr");
        MemoryAreaSeries read = agreesWithTheJdk(jfr, 20);
        // the leak this pod ran: a 4 KiB direct buffer every 8 requests, kept
        long[] used = read.area(MemoryAreaSeries.DIRECT_BUFFERS).heapAfterGcBytes();
        assertThat(used[used.length - 1] - used[0]).isGreaterThan(4L << 20);

        // gzipped and held in memory (an upload) it reads the same
        ByteArrayOutputStream gz = new ByteArrayOutputStream();
        try (GZIPOutputStream out = new GZIPOutputStream(gz)) {
            out.write(Files.readAllBytes(jfr));
        }
        assertSamePoints(ProfileFiles.readAreas(gz.toByteArray(), "upload", ReadOptions.defaults()), read);
    }

    /** async-profiler with jfrsync merges the JDK's events into its own recording (two chunks): read as the JDK's. */
    @Test
    void asyncProfilerWithJfrsyncCarriesTheAreas() throws Exception {
        Path plain = scratch.resolve("jfrsync.jfr");
        try (GZIPInputStream in = new GZIPInputStream(Files.newInputStream(DIR.resolve("jfr/jfrsync.jfr.gz")))) {
            Files.write(plain, in.readAllBytes());
        }
        MemoryAreaSeries read = agreesWithTheJdk(plain, 0);
        assertThat(read.area(MemoryAreaSeries.METASPACE).size()).isGreaterThan(20);
        assertThat(read.area(MemoryAreaSeries.THREADS).size()).isPositive();
        assertSamePoints(ProfileFiles.readAreas(DIR.resolve("jfr/jfrsync.jfr.gz"), ReadOptions.defaults()), read);
    }

    /** Our reader's areas of {@code jfr}, checked point by point against jdk.jfr.consumer's; each area over {@code min} points. */
    private static MemoryAreaSeries agreesWithTheJdk(Path jfr, int min) throws Exception {
        MemoryAreaSeries read = ProfileFiles.readAreas(jfr, ReadOptions.defaults());

        List<long[]> metaspace = new ArrayList<>();
        List<long[]> direct = new ArrayList<>();
        List<long[]> threads = new ArrayList<>();
        long jvmStart = -1;
        for (RecordedEvent e : RecordingFile.readAllEvents(jfr)) {
            long t = e.getStartTime().toEpochMilli();
            switch (e.getEventType().getName()) {
                case "jdk.MetaspaceSummary" -> {
                    if ("After GC".equals(e.getString("when"))) {
                        metaspace.add(new long[] {t, ((RecordedObject) e.getValue("metaspace")).getLong("used")});
                    }
                }
                case "jdk.DirectBufferStatistics" -> direct.add(new long[] {t, e.getLong("memoryUsed")});
                case "jdk.JavaThreadStatistics" -> threads.add(new long[] {t, e.getLong("activeCount")});
                case "jdk.JVMInformation" -> jvmStart = e.getInstant("jvmStartTime").toEpochMilli();
                default -> {
                }
            }
        }
        // metaspace has a point per collection: 15 in this pod's 13 minutes
        assertThat(metaspace).hasSizeGreaterThan(min / 2);
        assertThat(direct).hasSizeGreaterThan(min);
        assertThat(threads).hasSizeGreaterThan(min);
        assertSame(read.area(MemoryAreaSeries.METASPACE), metaspace, jvmStart);
        assertSame(read.area(MemoryAreaSeries.DIRECT_BUFFERS), direct, jvmStart);
        assertSame(read.area(MemoryAreaSeries.THREADS), threads, jvmStart);
        return read;
    }

    @Test
    void asyncProfilersOwnRecordingHoldsNoArea() throws Exception {
        Path live = DIR.resolve("jfr/leak-direct-1/live-minute-011.jfr");
        assertThat(ProfileFiles.readAreas(live, ReadOptions.defaults()).isEmpty()).isTrue();
        // but its heap summaries are read as before
        assertThat(ProfileFiles.readHeap(live, ReadOptions.defaults()).isEmpty()).isFalse();
    }

    private static void assertSamePoints(MemoryAreaSeries actual, MemoryAreaSeries expected) {
        assertThat(actual.areas().keySet()).containsExactlyElementsOf(expected.areas().keySet());
        expected.areas().forEach((area, series) -> {
            assertThat(actual.area(area).timestampsMillis()).as(area).containsExactly(series.timestampsMillis());
            assertThat(actual.area(area).heapAfterGcBytes()).as(area).containsExactly(series.heapAfterGcBytes());
            assertThat(actual.area(area).jvmStartMillis()).as(area).isEqualTo(series.jvmStartMillis());
        });
    }

    private static void assertSame(HeapSeries series, List<long[]> expected, long jvmStart) {
        expected.sort(Comparator.comparingLong(p -> p[0]));
        assertThat(series.size()).isEqualTo(expected.size());
        for (int i = 0; i < expected.size(); i++) {
            assertThat(series.timestampMillis(i)).isEqualTo(expected.get(i)[0]);
            assertThat(series.heapAfterGcBytes(i)).isEqualTo(expected.get(i)[1]);
        }
        assertThat(series.jvmStartMillis()).isEqualTo(jvmStart);
    }
}
