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
 * Micrometer's {@code jvm_gc_live_data_size_bytes} on the saw-tooth recording (real G1 JVMs marking their old generation
 * every 2–3.3 minutes), from a real Prometheus holding the pods' scrapes, judged as the service judges that query (the
 * live set: {@code HeapQueries.liveSet()}). The series changes only when a collection shrinks the old generation: the
 * baseline pods' values in a 15-minute window are often 3, and were "not judged" while every pod needed 4, although the
 * leaking canary's live set rose ~0.9 MiB/min point after point (docs/EVALUATION.md "Saw-tooth heaps in 15 minutes (qa49)").
 */
class LiveDataSawToothTest {
    static final long MINUTE = 60_000;

    @TempDir
    static Path scratch;

    private static Map<String, RecordedPod> pods;
    private static RecordedPrometheus prometheus;
    private static Map<String, HeapSeries> liveData;

    @BeforeAll
    static void backfill() throws Exception {
        Map<String, RecordedPod> all = RecordedPod.loadAll(RecordedPod.sawToothFolder());
        pods = new LinkedHashMap<>();
        for (String name : List.of("baseline-1", "baseline-2", "baseline-3", "leak-sessions-1", "leak-sessions-2",
                "leak-sessions-3", "aa-1", "aa-2", "aa-3", "bigger-flat-1", "bigger-flat-2", "bigger-flat-3")) {
            pods.put(name, all.get(name));
        }
        prometheus = RecordedPrometheus.start(RecordedPod.sawToothFolder(), pods, scratch);
        long first = pods.values().stream().mapToLong(RecordedPod::jvmStartMillis).min().orElseThrow();
        long last = pods.values().stream().mapToLong(p -> p.heap().timestampMillis(p.heap().size() - 1)).max().orElseThrow();
        liveData = prometheus.heapSeries(HeapQueries.of(HeapQueries.Exporter.MICROMETER_LIVE_DATA),
                Instant.ofEpochMilli(first), Instant.ofEpochMilli(last + MINUTE));
    }

    @AfterAll
    static void stop() {
        if (prometheus != null) {
            prometheus.close();
        }
    }

    private static MemoryGrowthResult judge(String scenario, int ageMinutes) {
        MemoryEvaluation evaluation = new MemoryEvaluation(pods,
                p -> liveData.getOrDefault(p.name(), HeapSeries.empty(p.name())), MemoryGrowthConfig.DEFAULTS,
                HeapQueries.of(HeapQueries.Exporter.MICROMETER_LIVE_DATA).liveSet());
        List<RecordedPod> baseline = List.of(pods.get("baseline-1"), pods.get("baseline-2"), pods.get("baseline-3"));
        List<RecordedPod> canary = evaluation.group(scenario);
        long from = canary.get(0).jvmStartMillis() + ageMinutes * MINUTE;
        return evaluation.analyse(baseline, canary, from, from + 15 * MINUTE, false);
    }

    @Test
    void aFifteenMinuteWindowOfThreeLiveSetPointsPerBaselinePodFindsTheLeakAndPassesTheAa() {
        MemoryGrowthResult leak = judge("leak-sessions", 30);
        MemoryGrowthResult aa = judge("aa", 30);

        assertThat(leak.outcome()).as(leak.quality().notes().toString()).isEqualTo(MemoryOutcome.GROWTH);
        assertThat(leak.site().function()).isEqualTo("io.canaryjudge.memory.app.SessionRegistry.register");
        assertThat(leak.quality().pods()).filteredOn(p -> p.group().equals("baseline"))
                .anySatisfy(p -> assertThat(p.points()).hasSize(3));
        assertThat(aa.outcome()).as(aa.quality().notes().toString()).isEqualTo(MemoryOutcome.NO_GROWTH);
    }

    @Test
    void healthyCanariesAreNeverFailedFromTheLiveDataSize() {
        for (String scenario : List.of("aa", "bigger-flat")) {
            for (int age = 0; age <= 40; age++) {
                assertThat(judge(scenario, age).outcome()).as(scenario + " at age " + age).isNotEqualTo(MemoryOutcome.GROWTH);
            }
        }
    }
}
