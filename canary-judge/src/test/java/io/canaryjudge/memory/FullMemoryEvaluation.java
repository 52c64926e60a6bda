package io.canaryjudge.memory;

import io.canaryjudge.judge.memory.MemoryGrowthConfig;
import io.canaryjudge.metrics.HeapQueries;
import io.canaryjudge.profile.heap.HeapSeries;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.condition.EnabledIfSystemProperty;
import org.junit.jupiter.api.io.TempDir;

/**
 * The memory-growth evaluation of docs/EVALUATION.md ("Memory growth"); skipped unless
 * {@code -Dmemory.eval=true}. Judges every resampled case ({@link MemoryEvaluation}) of every recorded
 * scenario twice: with each pod's heap from its GC log ({@code heap.csv}) and from a real Prometheus
 * running the default heap query over the backfilled scrapes. Writes
 * {@code canary-judge/target/evaluation/memory.md}. Settings other than the defaults, for the
 * measurements behind them: {@code -Dmemory.minSlope=12 -Dmemory.warmup=15 -Dmemory.prior=4
 * -Dmemory.maxP=0.01 -Dmemory.dir=…}.
 */
@EnabledIfSystemProperty(named = "memory.eval", matches = "true")
class FullMemoryEvaluation {
    static final List<String> SCENARIOS = List.of("aa", "bigger-flat", "leak-sessions", "leak-listeners", "leak-audit",
            "slow-cache");

    @TempDir
    Path scratch;

    @Test
    void evaluate() throws Exception {
        Path folder = Path.of(System.getProperty("memory.dir", RecordedPod.folder().toString()));
        Map<String, RecordedPod> pods = RecordedPod.loadAll(folder);
        MemoryGrowthConfig config = config();
        StringBuilder report = new StringBuilder("# Memory growth evaluation\n\n")
                .append(String.format(Locale.ROOT, "minSlopeMiBPerHour %.1f, maxPValue %.3f, warmup %d min, prior spread %.1f MiB/h%n%n",
                        config.minSlopeMiBPerHour(), config.maxPValue(), config.warmup().toMinutes(),
                        config.priorSlopeSpreadMiBPerHour()));
        int warmup = (int) config.warmup().toMinutes();
        report.append("## Heap after GC from the GC log (heap.csv)\n\n");
        table(report, new MemoryEvaluation(pods, p -> p.heap(), config), warmup);

        if (!Boolean.getBoolean("memory.skipPrometheus")) {
            long first = pods.values().stream().mapToLong(RecordedPod::jvmStartMillis).min().orElseThrow();
            long last = pods.values().stream().mapToLong(p -> p.heap().timestampMillis(p.heap().size() - 1)).max().orElseThrow();
            try (RecordedPrometheus prometheus = RecordedPrometheus.start(folder, pods, scratch)) {
                for (HeapQueries.Exporter exporter : List.of(HeapQueries.Exporter.MICROMETER,
                        HeapQueries.Exporter.MICROMETER_LIVE_DATA)) {
                    Map<String, HeapSeries> series = prometheus.heapSeries(HeapQueries.of(exporter),
                            Instant.ofEpochMilli(first), Instant.ofEpochMilli(last + 60_000));
                    report.append("\n## Heap after GC from Prometheus: ").append(exporter).append(" default query\n\n");
                    table(report, new MemoryEvaluation(pods, p -> series.getOrDefault(p.name(), HeapSeries.empty(p.name())),
                            config), warmup);
                }
            }
        }
        Path out = Path.of("target/evaluation/memory.md");
        Files.createDirectories(out.getParent());
        Files.writeString(out, report, StandardCharsets.UTF_8);
        System.out.println(report);
    }

    /** {@code -Dmemory.detail=SCENARIO}: every 3v3 case of one scenario with its slopes, for diagnosis. */
    @Test
    @EnabledIfSystemProperty(named = "memory.detail", matches = ".+")
    void detail() {
        Map<String, RecordedPod> pods = RecordedPod.loadAll(Path.of(System.getProperty("memory.dir", RecordedPod.folder().toString())));
        MemoryEvaluation evaluation = new MemoryEvaluation(pods, p -> p.heap(), config());
        String scenario = System.getProperty("memory.detail");
        List<RecordedPod> canary = evaluation.group(scenario);
        List<RecordedPod> baseline = evaluation.group("baseline").subList(0, 3);
        long start = canary.get(0).jvmStartMillis();
        for (boolean history : new boolean[] {false, true}) {
            for (int offset = 0; offset <= MemoryEvaluation.LAST_OFFSET_MINUTES; offset++) {
                long from = start + offset * MemoryEvaluation.MINUTE;
                var r = evaluation.analyse(baseline, canary, from, from + 15 * MemoryEvaluation.MINUTE, history);
                var q = r.quality();
                System.out.printf(Locale.ROOT, "%s history=%s age %2d: %-10s canary %7.1f baseline %7.1f spread %5.1f MiB/h site %s | %s%n",
                        scenario, history, offset, r.outcome(), q == null || q.canarySlope() == null ? Double.NaN : q.canarySlope() / 1048576,
                        q == null || q.baselineSlope() == null ? Double.NaN : q.baselineSlope() / 1048576,
                        q == null || q.slopeSpread() == null ? Double.NaN : q.slopeSpread() / 1048576,
                        r.site() == null ? "-" : r.site().function().replace("io.canaryjudge.memory.app.", ""),
                        q == null ? "" : String.join(" / ", q.notes()));
            }
        }
    }

    private static void table(StringBuilder report, MemoryEvaluation evaluation, int warmup) {
        report.append("| scenario | layout | history | canary age at window start | cases | not judged | MEMORY_GROWTH of judged | leak site named first |\n")
                .append("|---|---|---|---|---:|---:|---:|---:|\n");
        for (String scenario : SCENARIOS) {
            List<MemoryEvaluation.Outcome> outcomes = evaluation.run(scenario);
            for (MemoryEvaluation.Cell cell : MemoryEvaluation.cells(outcomes, warmup)) {
                report.append(cell.row(MemoryEvaluation.LEAK_SITES.containsKey(scenario))).append('\n');
            }
        }
    }

    static MemoryGrowthConfig config() {
        MemoryGrowthConfig config = MemoryGrowthConfig.DEFAULTS;
        if (System.getProperty("memory.minSlope") != null) {
            config = config.withMinSlopeMiBPerHour(Double.parseDouble(System.getProperty("memory.minSlope")));
        }
        if (System.getProperty("memory.warmup") != null) {
            config = config.withWarmup(Duration.ofMinutes(Long.parseLong(System.getProperty("memory.warmup"))));
        }
        if (System.getProperty("memory.prior") != null) {
            config = config.withPriorSlopeSpreadMiBPerHour(Double.parseDouble(System.getProperty("memory.prior")));
        }
        if (System.getProperty("memory.maxP") != null) {
            config = config.withMaxPValue(Double.parseDouble(System.getProperty("memory.maxP")));
        }
        return config;
    }
}
