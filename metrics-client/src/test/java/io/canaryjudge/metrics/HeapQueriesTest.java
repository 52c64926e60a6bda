package io.canaryjudge.metrics;

import static org.assertj.core.api.Assertions.assertThat;

import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.util.LinkedHashMap;
import java.util.Map;
import org.junit.jupiter.api.Test;

/** Which heap queries already give the live set (their drops are the live set shrinking, not a saw-tooth). */
class HeapQueriesTest {

    @Test
    void onlyMicrometersLiveDataSizeIsTheLiveSet() {
        assertThat(HeapQueries.of(HeapQueries.Exporter.MICROMETER_LIVE_DATA).liveSet()).isTrue();
        for (HeapQueries.Exporter exporter : new HeapQueries.Exporter[] {HeapQueries.Exporter.MICROMETER,
                HeapQueries.Exporter.OPENTELEMETRY, HeapQueries.Exporter.JMX_EXPORTER,
                HeapQueries.Exporter.CLIENT_GOLANG}) {
            assertThat(HeapQueries.of(exporter).liveSet()).as(exporter.name()).isFalse();
        }
    }

    @Test
    void aReplacedHeapQueryIsTakenAsTheHeapAfterAnyCollection() {
        HeapQueries live = HeapQueries.of(HeapQueries.Exporter.MICROMETER_LIVE_DATA);
        assertThat(live.withOverrides(null, HeapQueries.PROCESS_START).liveSet()).isTrue();
        assertThat(live.withOverrides(HeapQueries.MICROMETER_LIVE_DATA, null).liveSet()).isFalse();
    }

    @Test
    void everyJvmExporterJudgesMetaspaceDirectBuffersAndThreadsOutsideTheHeap() {
        for (HeapQueries.Exporter exporter : HeapQueries.Exporter.values()) {
            if (exporter == HeapQueries.Exporter.CLIENT_GOLANG) {
                continue; // a Go process: below
            }
            HeapQueries queries = HeapQueries.of(exporter);
            assertThat(queries.areas()).extracting(MemoryAreaQuery::area).as(exporter.name())
                    .containsExactly("metaspace", "direct-buffers", "threads", "native");
            assertThat(queries.areas().get(2).countsThreads()).isTrue();
            // a replaced heap query keeps the areas
            assertThat(queries.withOverrides(HeapQueries.MICROMETER_LIVE_DATA, null).areas()).hasSize(4);
        }
    }

    /**
     * A Go process has no JVM areas, its goroutines the one area outside the heap (counted as threads); its heap in use at its lowest per step is the live heap only when a collection
     * completes in every step: a service that collects every 30 s to 2 min has steps without one, a saw-tooth, so it is
     * judged with the saw-tooth handling, not as the live set.
     */
    @Test
    void goServicesHeapIsClientGolangsHeapInUseAtItsLowestAndItsGoroutinesTheOnlyArea() {
        HeapQueries go = HeapQueries.of(HeapQueries.Exporter.CLIENT_GOLANG);
        assertThat(go.heapAfterGc().text()).contains("min_over_time(go_memstats_heap_alloc_bytes{{{selector}}}[{{range}}])");
        assertThat(go.jvmStart().text()).isEqualTo(HeapQueries.PROCESS_START);
        assertThat(go.liveSet()).isFalse();
        assertThat(go.areas()).extracting(MemoryAreaQuery::area).containsExactly("goroutines");
        assertThat(go.areas().get(0).query().text()).contains("min_over_time(go_goroutines{{{selector}}}[{{range}}])");
        assertThat(go.areas().get(0).countsThreads()).isTrue();
        assertThat(go.liveSetFallback()).isNull();
    }

    @Test
    void areasAreReplacedAddedOrTurnedOffByName() {
        Map<String, String> overrides = new LinkedHashMap<>();
        overrides.put("threads", "");
        overrides.put("metaspace", "sum by ({{instance_label}}) (my_metaspace_bytes{{{selector}}})");
        overrides.put("native", "sum by ({{instance_label}}) (process_resident_memory_bytes{{{selector}}})");
        HeapQueries queries = HeapQueries.defaults().withAreaOverrides(overrides);

        assertThat(queries.areas()).extracting(MemoryAreaQuery::area).containsExactly("metaspace", "direct-buffers", "native");
        assertThat(queries.areas().get(0).query().text()).contains("my_metaspace_bytes");
        assertThat(queries.areas().get(2).countsThreads()).isFalse();
    }

    @Test
    void anAreaQueryWithoutTheSelectorOrWithABadNameIsRefused() {
        assertThatThrownBy(() -> HeapQueries.defaults().withAreaOverrides(Map.of("metaspace", "sum(jvm_memory_used_bytes)")))
                .isInstanceOf(InvalidQueryTemplateException.class).hasMessageContaining("metaspace");
        assertThatThrownBy(() -> HeapQueries.defaults().withAreaOverrides(Map.of("Code Cache",
                "sum by ({{instance_label}}) (x{{{selector}}})"))).hasMessageContaining("lower case");
    }

    /** A blank override of an area that does not exist turned nothing off without a word; a hyphen-less name is the area. */
    @Test
    void turningOffAnAreaThatDoesNotExistIsRefusedAndNamesWithoutHyphensMatch() {
        HeapQueries micrometer = HeapQueries.of(HeapQueries.Exporter.MICROMETER);
        assertThatThrownBy(() -> micrometer.withAreaOverrides(Map.of("metaspce", "")))
                .hasMessageContaining("no memory area \"metaspce\" to turn off; the areas are metaspace, direct-buffers,"
                        + " threads, native");
        assertThat(micrometer.withAreaOverrides(Map.of("directbuffers", "")).areas())
                .extracting(MemoryAreaQuery::area).containsExactly("metaspace", "threads", "native");
    }
}
