package io.canaryjudge.memory;

import io.canaryjudge.judge.memory.MemoryGrowthConfig;
import io.canaryjudge.judge.memory.MemoryOutcome;
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
 * -Dmemory.maxP=0.01 -Dmemory.maxDetectable=42 -Dmemory.dir=…}; only the simulated table:
 * {@code -Dmemory.simOnly=true}, its rows whose regime starts with a prefix: {@code -Dmemory.simRegimes=saw}.
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
                .append(String.format(Locale.ROOT, "minSlopeMiBPerHour %.1f, maxPValue %.3f, warmup %d min, prior spread %.1f MiB/h,"
                                + " maxDetectableGrowthMiBPerHour %.0f%n%n", config.minSlopeMiBPerHour(), config.maxPValue(),
                        config.warmup().toMinutes(), config.priorSlopeSpreadMiBPerHour(), config.maxDetectableGrowthMiBPerHour()));
        int warmup = (int) config.warmup().toMinutes();
        boolean simOnly = Boolean.getBoolean("memory.simOnly");
        if (!simOnly) {
            report.append("## Heap after GC from the GC log (heap.csv)\n\n");
            table(report, new MemoryEvaluation(pods, p -> p.heap(), config), warmup);
        }

        if (!simOnly && !Boolean.getBoolean("memory.skipPrometheus")) {
            try (RecordedPrometheus prometheus = RecordedPrometheus.start(folder, pods, scratch)) {
                for (HeapQueries.Exporter exporter : List.of(HeapQueries.Exporter.MICROMETER,
                        HeapQueries.Exporter.MICROMETER_LIVE_DATA)) {
                    Map<String, HeapSeries> series = scraped(prometheus, pods, exporter);
                    report.append("\n## Heap after GC from Prometheus: ").append(exporter).append(" default query\n\n");
                    table(report, new MemoryEvaluation(pods, p -> series.getOrDefault(p.name(), HeapSeries.empty(p.name())),
                            config, HeapQueries.of(exporter).liveSet()), warmup);
                }
                // The service's default: Micrometer's heap query, and its live data size where that cannot resolve growth
                Map<String, HeapSeries> heap = scraped(prometheus, pods, HeapQueries.Exporter.MICROMETER);
                Map<String, HeapSeries> live = scraped(prometheus, pods, HeapQueries.Exporter.MICROMETER_LIVE_DATA);
                report.append("\n## Heap after GC from Prometheus: MICROMETER default query, the live data size where it"
                        + " cannot resolve growth (the service's default)\n\n");
                table(report, new MemoryEvaluation(pods, p -> heap.getOrDefault(p.name(), HeapSeries.empty(p.name())),
                        config, false, p -> live.getOrDefault(p.name(), HeapSeries.empty(p.name()))), warmup);
            }
        }
        if (!Boolean.getBoolean("memory.skipSim")) {
            simulated(report, pods, config);
        }
        Path out = Path.of(System.getProperty("memory.report", "target/evaluation/memory.md"));
        Files.createDirectories(out.getParent());
        Files.writeString(out, report, StandardCharsets.UTF_8);
        System.out.println(report);
    }

    /** Independent simulated pods with noise fitted to the recordings ({@link HeapSimulator}), 1,000 cases per cell. */
    private static void simulated(StringBuilder report, Map<String, RecordedPod> pods, MemoryGrowthConfig config) {
        int cases = Integer.getInteger("memory.simCases", 1000);
        HeapSimulator.Fit fit = HeapSimulator.fit(pods);
        report.append("\n## Simulated pods past warm-up (noise fitted to the recordings)\n\n")
                .append("Fitted on the stable version's 7 pods at ages 20–50 min: ").append(fit.describe()).append(".\n")
                .append(cases).append(" cases per cell; a cell is MEMORY_GROWTH (FAIL) of all cases; in brackets the cases")
                .append(" neither PASS nor FAIL (not judged, or INCONCLUSIVE: unresolved).\n\n")
                .append("| regime | window | layout | history windows | A/A | leak 0.35 MiB/min | leak 0.7 MiB/min | leak 1.4 MiB/min |\n")
                .append("|---|---:|---|---:|---:|---:|---:|---:|\n");
        List<HeapSimulator.Regime> regimes = List.of(
                new HeapSimulator.Regime("as recorded", 1, 0, 1, 0),
                new HeapSimulator.Regime("residual × 5", 5, 0, 1, 0),
                new HeapSimulator.Regime("saw-tooth 0.5 MiB/min, old collection every 20 min", 1, 0.5, 20, 10),
                new HeapSimulator.Regime("saw-tooth 1 MiB/min, old collection every 8 min", 1, 1, 8, 10));
        String only = System.getProperty("memory.simRegimes", "");
        if (Boolean.getBoolean("memory.simYoung")) {
            simulatedYoung(report, fit, regimes.subList(0, 2), config, cases);
            return;
        }
        simulatedRegimes(report, fit, regimes, only, config, cases);
        if (only.isEmpty()) {
            simulatedYoung(report, fit, regimes.subList(0, 2), config, cases);
        }
    }

    private static void simulatedRegimes(StringBuilder report, HeapSimulator.Fit fit, List<HeapSimulator.Regime> regimes,
                                         String only, MemoryGrowthConfig config, int cases) {
        long seed = 1;
        for (HeapSimulator.Regime regime : regimes) {
          for (int window : regime.sawtoothMiBPerMin() > 0 ? new int[] {15, 45} : new int[] {15}) {
            if (!only.isEmpty() && !regime.name().startsWith(only)) {
                continue;
            }
            for (int canaryPods : new int[] {3, 1}) {
                for (int history : new int[] {0, 2}) {
                    StringBuilder row = new StringBuilder("| " + regime.name() + " | " + window + " min | " + canaryPods
                            + "v3 | " + history + " |");
                    for (double leak : new double[] {0, 0.35, 0.7, 1.4}) {
                        int growth = 0;
                        int notJudged = 0;
                        for (int c = 0; c < cases; c++) {
                            HeapSimulator simulator = new HeapSimulator(fit, regime, seed++, window);
                            MemoryOutcome outcome = simulator.judge(canaryPods, leak, history, config);
                            growth += outcome == MemoryOutcome.GROWTH ? 1 : 0;
                            notJudged += outcome != MemoryOutcome.GROWTH && outcome != MemoryOutcome.NO_GROWTH ? 1 : 0;
                        }
                        row.append(String.format(Locale.ROOT, " %.1f %% (%d) |", 100.0 * growth / cases, notJudged));
                    }
                    report.append(row).append('\n');
                }
            }
          }
        }
    }

    /**
     * Young canaries of the same version (no warm-up growth of their own) beside baseline pods past warm-up: the
     * judge leaves out each canary's first 20 minutes, so its slope rests on a shorter span than the baseline's.
     */
    private static void simulatedYoung(StringBuilder report, HeapSimulator.Fit fit, List<HeapSimulator.Regime> regimes,
                                       MemoryGrowthConfig config, int cases) {
        report.append("\n## Simulated young canaries (same version; warm-up left out)\n\n")
                .append("| regime | window | canary age at window start | layout | history windows | A/A | leak 0.7 MiB/min |\n")
                .append("|---|---:|---:|---|---:|---:|---:|\n");
        long seed = 1_000_000;
        for (HeapSimulator.Regime regime : regimes) {
            for (int[] windowAndAge : new int[][] {{30, 5}, {30, 10}, {30, 15}}) {
                for (int canaryPods : new int[] {3, 1}) {
                    for (int history : new int[] {0, 2}) {
                        StringBuilder row = new StringBuilder("| " + regime.name() + " | " + windowAndAge[0] + " min | "
                                + windowAndAge[1] + " min | " + canaryPods + "v3 | " + history + " |");
                        for (double leak : new double[] {0, 0.7}) {
                            int growth = 0;
                            int notJudged = 0;
                            for (int c = 0; c < cases; c++) {
                                HeapSimulator simulator = new HeapSimulator(fit, regime, seed++, windowAndAge[0]);
                                MemoryOutcome outcome = simulator.judgeYoung(canaryPods, leak, history, windowAndAge[1],
                                        config);
                                growth += outcome == MemoryOutcome.GROWTH ? 1 : 0;
                                notJudged += outcome != MemoryOutcome.GROWTH && outcome != MemoryOutcome.NO_GROWTH ? 1 : 0;
                            }
                            row.append(String.format(Locale.ROOT, " %.1f %% (%d) |", 100.0 * growth / cases, notJudged));
                        }
                        report.append(row).append('\n');
                    }
                }
            }
        }
    }

    /** Each pod's heap after GC by an exporter's default query over the whole recording, from its scrapes. */
    private static Map<String, HeapSeries> scraped(RecordedPrometheus prometheus, Map<String, RecordedPod> pods,
                                                   HeapQueries.Exporter exporter) {
        long first = pods.values().stream().mapToLong(RecordedPod::jvmStartMillis).min().orElseThrow();
        long last = pods.values().stream().mapToLong(p -> p.heap().timestampMillis(p.heap().size() - 1)).max().orElseThrow();
        return prometheus.heapSeries(HeapQueries.of(exporter), Instant.ofEpochMilli(first), Instant.ofEpochMilli(last + 60_000));
    }

    /** {@code -Dmemory.detail=SCENARIO}: every 3v3 case of one scenario with its slopes, for diagnosis. */
    @Test
    @EnabledIfSystemProperty(named = "memory.detail", matches = ".+")
    void detail() throws Exception {
        Path folder = Path.of(System.getProperty("memory.dir", RecordedPod.folder().toString()));
        Map<String, RecordedPod> pods = RecordedPod.loadAll(folder);
        if (!Boolean.getBoolean("memory.detailPrometheus")) {
            detail(new MemoryEvaluation(pods, p -> p.heap(), config()));
            return;
        }
        // -Dmemory.detailPrometheus=true: the heap from the recorded scrapes (Micrometer's default query; another
        // exporter's with -Dmemory.detailExporter=MICROMETER_LIVE_DATA)
        HeapQueries.Exporter exporter = HeapQueries.Exporter.valueOf(System.getProperty("memory.detailExporter", "MICROMETER"));
        try (RecordedPrometheus prometheus = RecordedPrometheus.start(folder, pods, scratch)) {
            Map<String, HeapSeries> series = scraped(prometheus, pods, exporter);
            String dump = System.getProperty("memory.dumpSeries");
            if (dump != null) {
                // -Dmemory.dumpSeries=DIR: each pod's series as DIR/pods/POD/heap.csv, to look at or judge with compare
                for (Map.Entry<String, HeapSeries> e : series.entrySet()) {
                    StringBuilder csv = new StringBuilder("# jvm_start_ms=" + pods.get(e.getKey()).jvmStartMillis()
                            + "\ntimestamp_ms,heap_after_gc_bytes\n");
                    for (int i = 0; i < e.getValue().size(); i++) {
                        csv.append(e.getValue().timestampMillis(i)).append(',').append(e.getValue().heapAfterGcBytes(i)).append('\n');
                    }
                    Path pod = Files.createDirectories(Path.of(dump, "pods", e.getKey()));
                    Files.writeString(pod.resolve("heap.csv"), csv, StandardCharsets.UTF_8);
                }
            }
            detail(new MemoryEvaluation(pods, p -> series.getOrDefault(p.name(), HeapSeries.empty(p.name())), config(),
                    HeapQueries.of(exporter).liveSet()));
        }
    }

    /** Each case of {@code -Dmemory.detail}: 3v3, or each canary pod alone with {@code -Dmemory.detailLayout=1v3}. */
    private static void detail(MemoryEvaluation evaluation) {
        String scenario = System.getProperty("memory.detail");
        List<RecordedPod> canaryPods = evaluation.group(scenario);
        List<List<RecordedPod>> canaries = "1v3".equals(System.getProperty("memory.detailLayout"))
                ? canaryPods.stream().map(List::of).toList() : List.of(canaryPods);
        List<RecordedPod> allBaseline = evaluation.group("baseline");
        long start = canaryPods.get(0).jvmStartMillis();
        // every baseline pod but one, as the evaluation does
        for (int skip = 0; skip < allBaseline.size(); skip++) {
            List<RecordedPod> baseline = new ArrayList<>(allBaseline);
            baseline.remove(skip);
            detail(evaluation, canaries, baseline, skip, start, scenario);
        }
    }

    private static void detail(MemoryEvaluation evaluation, List<List<RecordedPod>> canaries, List<RecordedPod> baseline,
                               int skip, long start, String scenario) {
        for (List<RecordedPod> canary : canaries) {
            for (boolean history : new boolean[] {false, true}) {
                for (int offset = 0; offset <= MemoryEvaluation.LAST_OFFSET_MINUTES; offset++) {
                    long from = start + offset * MemoryEvaluation.MINUTE;
                    var r = evaluation.analyse(baseline, canary, from, from + MemoryEvaluation.WINDOW_MINUTES * MemoryEvaluation.MINUTE,
                            history);
                    var q = r.quality();
                    // each pod's own slope with Sen's 95 % interval, MiB/h (* = not used)
                    String pods = q == null ? "" : q.pods().stream().map(p -> String.format(Locale.ROOT, "%s%s %.1f [%.1f, %.1f]",
                            p.used() ? "" : "*", p.instance(), mib(p.slopeBytesPerHour()), mib(p.ciLow()), mib(p.ciHigh())))
                            .collect(java.util.stream.Collectors.joining("; "));
                    System.out.printf(Locale.ROOT, "%s-%d history=%s age %2d: %-10s canary %7.1f baseline %7.1f spread %5.2f MiB %s site %s | pods %s | %s%n",
                            canary.size() == 1 ? canary.get(0).name() : scenario, skip, history, offset, r.outcome(),
                            q == null || q.canarySlope() == null ? Double.NaN : q.canarySlope() / 1048576,
                            q == null || q.baselineSlope() == null ? Double.NaN : q.baselineSlope() / 1048576,
                            q == null || q.slopeSpread() == null ? Double.NaN : q.slopeSpread() / 1048576,
                            q == null ? "" : q.unit().replace("bytes ", ""),
                            r.site() == null ? "-" : r.site().function().replace("io.canaryjudge.memory.app.", ""),
                            pods, q == null ? "" : String.join(" / ", q.notes()));
                }
            }
        }
    }

    private static double mib(Double bytes) {
        return bytes == null ? Double.NaN : bytes / 1048576;
    }

    private static void table(StringBuilder report, MemoryEvaluation evaluation, int warmup) {
        report.append("| scenario | layout | history | canary age at window start | cases | not judged or unresolved | MEMORY_GROWTH of judged | leak site named first |\n")
                .append("|---|---|---|---|---:|---:|---:|---:|\n");
        for (String scenario : SCENARIOS) {
            if (evaluation.group(scenario).isEmpty()) {
                continue; // a recording without this scenario (the saw-tooth recording has four)
            }
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
        if (System.getProperty("memory.minSpan") != null) {
            config = config.withMinSpan(Duration.ofMinutes(Long.parseLong(System.getProperty("memory.minSpan"))));
        }
        if (System.getProperty("memory.minPoints") != null) {
            config = config.withMinPoints(Integer.parseInt(System.getProperty("memory.minPoints")));
        }
        if (System.getProperty("memory.maxP") != null) {
            config = config.withMaxPValue(Double.parseDouble(System.getProperty("memory.maxP")));
        }
        if (System.getProperty("memory.maxDetectable") != null) {
            config = config.withMaxDetectableGrowthMiBPerHour(Double.parseDouble(System.getProperty("memory.maxDetectable")));
        }
        return config;
    }
}
