package io.canaryjudge.memory;

import io.canaryjudge.judge.FrameClassifier;
import io.canaryjudge.judge.Observation;
import io.canaryjudge.judge.memory.HeapWindows;
import io.canaryjudge.judge.memory.LeakSites;
import io.canaryjudge.judge.memory.MemoryGrowthAnalysis;
import io.canaryjudge.judge.memory.MemoryGrowthConfig;
import io.canaryjudge.judge.memory.MemoryGrowthResult;
import io.canaryjudge.judge.memory.MemoryOutcome;
import io.canaryjudge.judge.memory.PodHeap;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.TreeMap;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.condition.EnabledIfSystemProperty;

/**
 * qa56: the memory check on canaries at another load than their baseline pods (a weighted router's 10 % or 25 %, or
 * uneven balancing's 200 %), over the recording {@code bench/qa56-record.sh} made (committed under
 * {@code src/test/resources/qa56}, see its README): 3 baseline pods at 25 requests/s and canary pods of the stable
 * version ({@code aa}), of {@code leak-sessions} and of {@code slow-cache} at 10 %, 25 % and 200 % of it, all started
 * together. Every 15- and 30-minute window one minute apart, each canary pod alone against the 3 baseline pods
 * (1v3) and the pods of a scenario together, with the pods' request rates (bytes per 1,000 requests, as
 * {@code compare} with {@code requests.csv} and the service with Prometheus' request counter judge) and without (bytes
 * per hour). Two baselines: the baseline pods over the same minutes (as young as the canary: compared at the same
 * age), and the baseline pods' last minutes (older than the canary, as in a rollout).
 *
 * <pre>
 * nice mvn -B -q -o -pl canary-judge -am test -Dtest=LoadShiftMemoryEvaluation -Dqa56.eval=true \
 *     -Dsurefire.failIfNoSpecifiedTests=false
 * </pre>
 * Writes {@code target/evaluation/qa56-memory.md}.
 */
@EnabledIfSystemProperty(named = "qa56.eval", matches = "true")
class LoadShiftMemoryEvaluation {
    static final long MINUTE = 60_000;
    static final String LEAK_SITE = "io.canaryjudge.memory.app.SessionRegistry.register";

    /** The same outside Maven, e.g. with an earlier build's main classes first on the class path (before and after). */
    public static void main(String[] args) throws Exception {
        new LoadShiftMemoryEvaluation().evaluate();
    }

    @Test
    void evaluate() throws Exception {
        Path folder = Path.of(System.getProperty("qa56.dir", RecordedPod.folder().resolveSibling("qa56").toString()));
        Map<String, RecordedPod> pods = RecordedPod.loadAll(folder);
        MemoryGrowthConfig config = FullMemoryEvaluation.config();
        // qa66: another recording's leak site (its leak is in a cache the baseline has: IdempotencyKeys.remember)
        String site = System.getProperty("qa56.site", LEAK_SITE);
        StringBuilder report = new StringBuilder("# qa56: memory growth of canaries at another load\n\n");
        report.append("| canary | layout | window | baseline | counts | cases | FAIL | INCONCLUSIVE | not judged | PASS |"
                + " site first | canary / baseline slope (median) |\n|---|---|---|---|---|---|---|---|---|---|---|---|\n");
        List<RecordedPod> baseline = pods.values().stream().filter(p -> p.track().equals("baseline")).toList();
        Map<String, List<RecordedPod>> scenarios = new TreeMap<>();
        for (RecordedPod pod : pods.values()) {
            if (pod.track().equals("canary")) {
                scenarios.computeIfAbsent(pod.scenario(), k -> new ArrayList<>()).add(pod);
            }
        }
        long start = pods.values().stream().mapToLong(RecordedPod::jvmStartMillis).max().orElseThrow();
        // the end of the last live-object block every pod has (a light pod's last collection may be minutes earlier)
        long end = pods.values().stream().mapToLong(p -> p.blocks().get(p.blocks().size() - 1).endMillis()).min().orElseThrow();
        int recorded = (int) ((end - start) / MINUTE);
        for (int window : new int[] {15, 30}) {
            for (Map.Entry<String, List<RecordedPod>> scenario : scenarios.entrySet()) {
                List<List<RecordedPod>> layouts = new ArrayList<>();
                for (RecordedPod pod : scenario.getValue()) {
                    layouts.add(List.of(pod));
                }
                if (scenario.getValue().size() > 1) {
                    layouts.add(scenario.getValue());
                }
                for (List<RecordedPod> canary : layouts) {
                    for (boolean old : new boolean[] {false, true}) {
                        for (boolean counts : new boolean[] {true, false}) {
                            int[] c = new int[5];
                            List<String> slopes = new ArrayList<>();
                            for (int offset = 0; offset + window <= recorded; offset++) {
                                long from = start + offset * MINUTE;
                                long to = from + window * MINUTE;
                                long bFrom = old ? end - window * MINUTE : from;
                                MemoryGrowthResult r = analyse(baseline, canary, bFrom, bFrom + window * MINUTE, from, to,
                                        counts, config);
                                c[0]++;
                                switch (r.outcome()) {
                                    case GROWTH -> {
                                        c[1]++;
                                        c[4] += r.site() != null && site.equals(r.site().function()) ? 1 : 0;
                                    }
                                    case UNRESOLVED -> c[2]++;
                                    case NOT_JUDGED -> c[3]++;
                                    default -> {
                                    }
                                }
                                if (r.quality() != null && r.quality().canarySlope() != null) {
                                    slopes.add(String.format(Locale.ROOT, "%.0f/%.0f", r.quality().canarySlope() / (counts ? 1024 : 1048576),
                                            r.quality().baselineSlope() / (counts ? 1024 : 1048576)));
                                }
                                if (Boolean.getBoolean("qa56.verbose")) {
                                    System.out.printf(Locale.ROOT, "%s %s w%d %s %s off%d: %s %s%n", scenario.getKey(),
                                            names(canary), window, old ? "old" : "same", counts ? "per1000" : "perHour", offset,
                                            r.outcome() + (r.site() == null ? "" : " site " + r.site().function()),
                                            r.quality() == null ? "" : r.quality().notes());
                                }
                            }
                            int pass = c[0] - c[1] - c[2] - c[3];
                            String median = slopes.isEmpty() ? "–" : slopes.get(slopes.size() / 2)
                                    + (counts ? " KiB/1000 req" : " MiB/h");
                            report.append(String.format(Locale.ROOT, "| %s | %s | %d min | %s | %s | %d | %d | %d | %d | %d | %s | %s |%n",
                                    scenario.getKey(), names(canary), window, old ? "older (last minutes)" : "same minutes",
                                    counts ? "yes" : "no", c[0], c[1], c[2], c[3], pass,
                                    c[1] == 0 ? "–" : c[4] + "/" + c[1], median));
                        }
                    }
                }
            }
        }
        Path out = Path.of(System.getProperty("qa56.report", "target/evaluation/qa56-memory.md"));
        Files.createDirectories(out.getParent());
        Files.writeString(out, report, StandardCharsets.UTF_8);
        System.out.println(report);
    }

    private static String names(List<RecordedPod> pods) {
        return pods.size() == 1 ? pods.get(0).name() + " (1v3)" : pods.size() + "v3";
    }

    /** The baseline pods over [bFrom, bTo] and the canary pods over [from, to], as {@link MemoryEvaluation} judges them. */
    static MemoryGrowthResult analyse(List<RecordedPod> baseline, List<RecordedPod> canary, long bFrom, long bTo, long from,
                                      long to, boolean counts, MemoryGrowthConfig config) {
        List<PodHeap> baselineHeap = new ArrayList<>();
        List<PodHeap> canaryHeap = new ArrayList<>();
        List<Observation> baselineLive = new ArrayList<>();
        List<Observation> canaryLive = new ArrayList<>();
        for (RecordedPod pod : baseline) {
            baselineHeap.add(new PodHeap(pod.name(), RecordedPod.slice(pod.heap(), bFrom, bTo),
                    counts ? pod.requestsPerSecond(bFrom, bTo) : null));
            baselineLive.addAll(pod.liveBetween(bFrom, bTo));
        }
        for (RecordedPod pod : canary) {
            canaryHeap.add(new PodHeap(pod.name(), RecordedPod.slice(pod.heap(), from, to),
                    counts ? pod.requestsPerSecond(from, to) : null));
            canaryLive.addAll(pod.liveBetween(from, to));
        }
        return MemoryGrowthAnalysis.analyse(new HeapWindows(baselineHeap, canaryHeap, List.of()), config,
                (sameAge, keepAfter) -> LeakSites.find(baselineLive, LeakSites.after(canaryLive, keepAfter),
                        FrameClassifier.defaults()));
    }
}
