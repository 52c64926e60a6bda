package io.canaryjudge.profile.heap;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class HeapCsvTest {
    @TempDir
    Path dir;

    @Test
    void rowsBecomePointsInTimeOrderWithTheJvmStart() throws Exception {
        Path csv = dir.resolve("heap.csv");
        Files.writeString(csv, "\uFEFF# jvm_start_ms=1764583100000\nTimestamp_ms, heap_after_gc_bytes\n\n"
                + "1764583200123,83886080\n# a comment\n1764583207871 , 84213760\n1764583207871,84000000\n");

        HeapSeries heap = HeapCsv.read(csv);

        assertThat(heap.source()).isEqualTo(csv.toString());
        assertThat(heap.jvmStartMillis()).isEqualTo(1764583100000L);
        assertThat(heap.timestampsMillis()).containsExactly(1764583200123L, 1764583207871L, 1764583207871L);
        assertThat(heap.heapAfterGcBytes()).containsExactly(83886080L, 84213760L, 84000000L);
    }

    /**
     * A 0-byte row is no measurement (generational ZGC's pause notifications report an empty heap) and is left out; a
     * file of only such rows (an exporter that writes zeros) is a pod without heap points, not a flat heap at 0 bytes
     * (which would read as "no growth") and not an error.
     */
    @Test
    void zeroByteRowsAreNoPointsAndAFileOfOnlyThemHasNone() throws Exception {
        HeapSeries mixed = parse("timestamp_ms,heap_after_gc_bytes", "1764583200123,0", "1764583207871,84213760",
                "1764583208000,0");
        assertThat(mixed.timestampsMillis()).containsExactly(1764583207871L);
        assertThat(mixed.heapAfterGcBytes()).containsExactly(84213760L);

        HeapSeries zeros = parse("timestamp_ms,heap_after_gc_bytes,whole_heap", "1764583200123,0,false",
                "1764583207871,0,true");
        assertThat(zeros.timestampsMillis()).isEmpty();
        assertThat(zeros.heapAfterGcBytes()).isEmpty();
        assertThat(zeros.wholeHeap()).isEmpty();
    }

    @Test
    void heapCsvWithBadRowNamesTheLine() {
        assertThatThrownBy(() -> parse("timestamp_ms,heap_after_gc_bytes", "1764583200123,83886080", "1764583207871,eighty"))
                .isInstanceOf(InvalidHeapCsvException.class)
                .hasMessage("pod-1/heap.csv line 3: heap_after_gc_bytes \"eighty\" must be a whole number >= 0");
        assertThatThrownBy(() -> parse("timestamp_ms,heap_after_gc_bytes", "1764583200123,-5"))
                .hasMessage("pod-1/heap.csv line 2: heap_after_gc_bytes \"-5\" must be a whole number >= 0");
        assertThatThrownBy(() -> parse("timestamp_ms,heap_after_gc_bytes", "1764583200123"))
                .hasMessage("pod-1/heap.csv line 2: expected 2 fields \"timestamp_ms,heap_after_gc_bytes\", was \"1764583200123\"");
        assertThatThrownBy(() -> parse("timestamp_ms,heap_after_gc_bytes", "1764583207871,1", "", "1764583200123,2"))
                .hasMessageStartingWith("pod-1/heap.csv line 4: timestamp_ms 1764583200123 is earlier than the row before");
        assertThatThrownBy(() -> parse("# jvm_start_ms=soon", "timestamp_ms,heap_after_gc_bytes"))
                .hasMessage("pod-1/heap.csv line 1: jvm_start_ms \"soon\" must be a whole number >= 0");
    }

    @Test
    void aMissingOrWrongHeaderIsAnError() {
        assertThatThrownBy(() -> parse("1764583200123,83886080"))
                .hasMessage("pod-1/heap.csv line 1: expected the header \"timestamp_ms,heap_after_gc_bytes\", was "
                        + "\"1764583200123,83886080\"");
        assertThatThrownBy(() -> parse("profile,requests", "slice-1.pb.gz,10"))
                .hasMessageStartingWith("pod-1/heap.csv line 1: expected the header");
        assertThatThrownBy(() -> parse("", "# nothing"))
                .hasMessage("pod-1/heap.csv line 1: expected the header \"timestamp_ms,heap_after_gc_bytes\", the file is empty");
    }

    @Test
    void timesThatCannotBeUnixMillisecondsAreErrorsNamingTheLine() {
        assertThatThrownBy(() -> parse("timestamp_ms,heap_after_gc_bytes", "1764583200,83886080"))
                .isInstanceOf(InvalidHeapCsvException.class)
                .hasMessage("pod-1/heap.csv line 2: timestamp_ms 1764583200 is before 2001-09-09 as Unix milliseconds;"
                        + " it looks like seconds (write milliseconds)");
        assertThatThrownBy(() -> parse("timestamp_ms,heap_after_gc_bytes", "1764583200123,1", "1764583200124,2", "12,3"))
                .hasMessage("pod-1/heap.csv line 4: timestamp_ms 12 is before 2001-09-09 as Unix milliseconds");
        assertThatThrownBy(() -> parse("# jvm_start_ms=1764583100", "timestamp_ms,heap_after_gc_bytes"))
                .hasMessage("pod-1/heap.csv line 1: jvm_start_ms 1764583100 is before 2001-09-09 as Unix milliseconds;"
                        + " it looks like seconds (write milliseconds)");
    }

    @Test
    void aJvmStartAfterTheFirstRowIsAnErrorNamingItsLine() {
        assertThatThrownBy(() -> parse("timestamp_ms,heap_after_gc_bytes", "1764583200123,1", "# jvm_start_ms=1764583200124"))
                .hasMessage("pod-1/heap.csv line 3: jvm_start_ms 1764583200124 is after the first row's timestamp_ms"
                        + " (1764583200123); the JVM must start before its first collection");
    }

    @Test
    void aHeapOverOnePebibyteIsAnError() throws Exception {
        assertThat(parse("timestamp_ms,heap_after_gc_bytes", "1764583200123," + (1L << 50)).heapAfterGcBytes())
                .containsExactly(1L << 50);
        assertThatThrownBy(() -> parse("timestamp_ms,heap_after_gc_bytes", "1764583200123," + (1L << 62)))
                .hasMessage("pod-1/heap.csv line 2: heap_after_gc_bytes 4611686018427387904 is over 1 PiB (2^50 bytes):"
                        + " not a plausible heap");
    }

    @Test
    void seriesOfOneJvmMergeInTimeOrder() throws Exception {
        long t = 1764583200000L;
        HeapSeries first = parse("# jvm_start_ms=" + (t + 100), "timestamp_ms,heap_after_gc_bytes", (t + 300) + ",30",
                (t + 500) + ",50");
        HeapSeries second = parse("timestamp_ms,heap_after_gc_bytes", (t + 200) + ",20", (t + 400) + ",40");

        HeapSeries merged = second.plus(first);

        assertThat(merged.timestampsMillis()).containsExactly(t + 200, t + 300, t + 400, t + 500);
        assertThat(merged.heapAfterGcBytes()).containsExactly(20L, 30L, 40L, 50L);
        assertThat(merged.jvmStartMillis()).isEqualTo(t + 100);
    }

    private static HeapSeries parse(String... lines) throws InvalidHeapCsvException {
        return HeapCsv.parse(List.of(lines), "pod-1/heap.csv");
    }
}
