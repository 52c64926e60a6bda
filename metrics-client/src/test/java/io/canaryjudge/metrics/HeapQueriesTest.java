package io.canaryjudge.metrics;

import static org.assertj.core.api.Assertions.assertThat;

import org.junit.jupiter.api.Test;

/** Which heap queries already give the live set (their drops are the live set shrinking, not a saw-tooth). */
class HeapQueriesTest {

    @Test
    void onlyMicrometersLiveDataSizeIsTheLiveSet() {
        assertThat(HeapQueries.of(HeapQueries.Exporter.MICROMETER_LIVE_DATA).liveSet()).isTrue();
        for (HeapQueries.Exporter exporter : new HeapQueries.Exporter[] {HeapQueries.Exporter.MICROMETER,
                HeapQueries.Exporter.OPENTELEMETRY, HeapQueries.Exporter.JMX_EXPORTER}) {
            assertThat(HeapQueries.of(exporter).liveSet()).as(exporter.name()).isFalse();
        }
    }

    @Test
    void aReplacedHeapQueryIsTakenAsTheHeapAfterAnyCollection() {
        HeapQueries live = HeapQueries.of(HeapQueries.Exporter.MICROMETER_LIVE_DATA);
        assertThat(live.withOverrides(null, HeapQueries.PROCESS_START).liveSet()).isTrue();
        assertThat(live.withOverrides(HeapQueries.MICROMETER_LIVE_DATA, null).liveSet()).isFalse();
    }
}
