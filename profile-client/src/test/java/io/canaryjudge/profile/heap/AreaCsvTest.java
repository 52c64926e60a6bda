package io.canaryjudge.profile.heap;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.util.List;
import org.junit.jupiter.api.Test;

/** {@code areas.csv}: memory outside the heap beside recordings that do not carry it (docs/CLI.md). */
class AreaCsvTest {
    @Test
    void rowsBecomeOneSeriesPerAreaWithTheJvmStart() throws Exception {
        MemoryAreaSeries areas = parse("# jvm_start_ms=1764583100000", "Timestamp_ms, area ,VALUE",
                "1764583200000,metaspace,52428800", "1764583200000,threads,41", "1764583200000,direct-buffers,1048576",
                "# a comment", "", "1764583210000,metaspace,52500000", "1764583210000,threads,42");

        HeapSeries metaspace = areas.area(MemoryAreaSeries.METASPACE);
        assertThat(metaspace.jvmStartMillis()).isEqualTo(1764583100000L);
        assertThat(metaspace.timestampsMillis()).containsExactly(1764583200000L, 1764583210000L);
        assertThat(metaspace.heapAfterGcBytes()).containsExactly(52428800L, 52500000L);
        assertThat(areas.area(MemoryAreaSeries.THREADS).heapAfterGcBytes()).containsExactly(41L, 42L);
        assertThat(areas.area(MemoryAreaSeries.DIRECT_BUFFERS).size()).isEqualTo(1);
        assertThat(areas.areas().keySet()).containsExactly("metaspace", "direct-buffers", "threads");
    }

    @Test
    void badLinesNameTheFileAndLine() {
        assertThatThrownBy(() -> parse("timestamp_ms,heap_after_gc_bytes", "1764583200000,5"))
                .isInstanceOf(InvalidHeapCsvException.class)
                .hasMessage("pod-1/areas.csv line 1: expected the header \"timestamp_ms,area,value\", was"
                        + " \"timestamp_ms,heap_after_gc_bytes\"");
        assertThatThrownBy(() -> parse("timestamp_ms,area,value", "1764583200000,codecache,5"))
                .hasMessage("pod-1/areas.csv line 2: area \"codecache\" is not one of metaspace, direct-buffers, threads, native, goroutines");
        assertThatThrownBy(() -> parse("timestamp_ms,area,value", "1764583200000,threads,-1"))
                .hasMessage("pod-1/areas.csv line 2: value \"-1\" must be a whole number >= 0");
        assertThatThrownBy(() -> parse("timestamp_ms,area,value", "1764583200,threads,3"))
                .hasMessageContaining("looks like seconds");
        // areas may interleave, but each area's rows keep time order
        assertThatThrownBy(() -> parse("timestamp_ms,area,value", "1764583210000,threads,3",
                "1764583200000,metaspace,5", "1764583200000,threads,3"))
                .hasMessageStartingWith("pod-1/areas.csv line 4: timestamp_ms 1764583200000 is earlier than the threads"
                        + " row before");
        assertThatThrownBy(() -> parse("# jvm_start_ms=1764583300000", "timestamp_ms,area,value",
                "1764583200000,threads,3"))
                .hasMessageStartingWith("pod-1/areas.csv line 1: jvm_start_ms 1764583300000 is after the first row's");
        assertThatThrownBy(() -> parse()).hasMessage("pod-1/areas.csv line 1: expected the header"
                + " \"timestamp_ms,area,value\", the file is empty");
    }

    private static MemoryAreaSeries parse(String... lines) throws InvalidHeapCsvException {
        return AreaCsv.parse(List.of(lines), "pod-1/areas.csv");
    }
}
