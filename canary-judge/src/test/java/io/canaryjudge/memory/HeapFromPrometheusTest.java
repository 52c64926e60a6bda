package io.canaryjudge.memory;

import static org.assertj.core.api.Assertions.assertThat;

import io.canaryjudge.judge.memory.MemoryGrowthConfig;
import io.canaryjudge.judge.memory.MemoryGrowthResult;
import io.canaryjudge.judge.memory.MemoryOutcome;
import io.canaryjudge.metrics.HeapQueries;
import io.canaryjudge.profile.heap.HeapSeries;
import java.nio.file.Path;
import java.time.Instant;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The default heap queries on a real Prometheus (the Debian package) holding the recorded pods'
 * scrapes (Micrometer's Prometheus endpoint, scraped every 10 s while the pods ran), backfilled: the
 * heap series the service would fetch, judged like the GC logs.
 */
class HeapFromPrometheusTest {
    static final long MINUTE = 60_000;

    @TempDir
    static Path scratch;

    private static Map<String, RecordedPod> pods;
    private static RecordedPrometheus prometheus;
    private static long first;
    private static long last;

    @BeforeAll
    static void backfill() throws Exception {
        Map<String, RecordedPod> all = RecordedPod.loadAll(RecordedPod.folder());
        pods = new LinkedHashMap<>();
        for (String name : List.of("baseline-1", "baseline-2", "baseline-3", "leak-sessions-1", "leak-sessions-2",
                "leak-sessions-3", "aa-1", "aa-2", "aa-3")) {
            pods.put(name, all.get(name));
        }
        prometheus = RecordedPrometheus.start(RecordedPod.folder(), pods, scratch);
        first = pods.values().stream().mapToLong(RecordedPod::jvmStartMillis).min().orElseThrow();
        last = pods.values().stream().mapToLong(p -> p.heap().timestampMillis(p.heap().size() - 1)).max().orElseThrow();
    }

    @AfterAll
    static void stop() {
        if (prometheus != null) {
            prometheus.close();
        }
    }

    private static MemoryGrowthResult judge(Map<String, HeapSeries> series, String scenario) {
        MemoryEvaluation evaluation = new MemoryEvaluation(pods,
                p -> series.getOrDefault(p.name(), HeapSeries.empty(p.name())), MemoryGrowthConfig.DEFAULTS);
        List<RecordedPod> baseline = List.of(pods.get("baseline-1"), pods.get("baseline-2"), pods.get("baseline-3"));
        List<RecordedPod> canary = evaluation.group(scenario);
        long from = canary.get(0).jvmStartMillis() + 20 * MINUTE;
        return evaluation.analyse(baseline, canary, from, from + 15 * MINUTE, false);
    }

    @Test
    void micrometerHeapUsedFindsTheLeakAndPassesTheAa() {
        Map<String, HeapSeries> series = prometheus.heapSeries(HeapQueries.defaults(), Instant.ofEpochMilli(first),
                Instant.ofEpochMilli(last + MINUTE));

        assertThat(series.keySet()).containsAll(pods.keySet());
        HeapSeries leak = series.get("leak-sessions-1");
        // about one point per collection (a value repeated by the next scrapes counts once), and the JVM's start from process_start_time_seconds (seconds: within a second)
        assertThat(leak.size()).isGreaterThan(30);
        assertThat(Math.abs(leak.jvmStartMillis() - pods.get("leak-sessions-1").jvmStartMillis())).isLessThan(1000);
        assertThat(judge(series, "leak-sessions").outcome()).isEqualTo(MemoryOutcome.GROWTH);
        assertThat(judge(series, "aa").outcome()).isEqualTo(MemoryOutcome.NO_GROWTH);
    }

    @Test
    void liveDataSizeThatNeverChangesIsTooLittleToJudge() {
        Map<String, HeapSeries> series = prometheus.heapSeries(HeapQueries.of(HeapQueries.Exporter.MICROMETER_LIVE_DATA),
                Instant.ofEpochMilli(first), Instant.ofEpochMilli(last + MINUTE));

        MemoryGrowthResult result = judge(series, "leak-sessions");
        // These G1 JVMs never collected their old generation: Micrometer's live data size kept one value.
        assertThat(result.outcome()).isEqualTo(MemoryOutcome.NOT_JUDGED);
        assertThat(result.quality().notes().get(0)).startsWith("memory growth not judged");
    }
}
