package io.canaryjudge.memory;

import io.canaryjudge.judge.Observation;
import io.canaryjudge.judge.FrameClassifier;
import io.canaryjudge.judge.memory.HeapWindows;
import io.canaryjudge.judge.memory.LeakSites;
import io.canaryjudge.judge.memory.MemoryGrowthAnalysis;
import io.canaryjudge.judge.memory.MemoryGrowthConfig;
import io.canaryjudge.judge.memory.MemoryGrowthResult;
import io.canaryjudge.judge.memory.MemoryOutcome;
import io.canaryjudge.judge.memory.PodHeap;
import io.canaryjudge.profile.heap.HeapSeries;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.function.Function;

/**
 * Evaluation cases drawn from the recorded pods by resampling: every 15-minute window of the canary
 * pods' life (starting 0 to 35 minutes after their JVMs started, one minute apart; other lengths:
 * {@code -Dmemory.window=30 -Dmemory.canaryMinutes=…}), every choice of 3
 * of the 4 baseline pods, 3 canary pods (3v3) or each canary pod alone (1v3) (other layouts:
 * {@link #LAYOUTS}), without and with
 * history (the chosen baseline pods' two previous 15-minute windows, and their own window at the
 * canary's age from their first minutes). Windows overlap and pods repeat, so cases are correlated:
 * the tables say how many distinct pods and minutes stand behind them.
 */
final class MemoryEvaluation {
    static final long MINUTE = 60_000;
    /** Minutes judged ({@code -Dmemory.window}, default 15). */
    static final int WINDOW_MINUTES = Integer.getInteger("memory.window", 15);
    /** The canary pods' recorded minutes ({@code -Dmemory.canaryMinutes}: 50 in the first recording). */
    static final int LAST_OFFSET_MINUTES = Integer.getInteger("memory.canaryMinutes", 50) - WINDOW_MINUTES;
    /** The allocation site each leaking variant's live objects come from. */
    static final Map<String, String> LEAK_SITES = Map.of(
            "leak-sessions", "io.canaryjudge.memory.app.SessionRegistry.register",
            "leak-listeners", "io.canaryjudge.memory.app.PriceListeners.subscribe",
            "leak-audit", "io.canaryjudge.memory.app.AuditLog.remember");

    /** How one case ended. */
    record Outcome(String scenario, String layout, boolean history, int offsetMinutes, MemoryOutcome outcome,
                   boolean siteNamed, String site, String reference) {
    }

    /** Where a pod's heap after GC comes from: its GC log (heap.csv), or the Prometheus query over its scrapes. */
    interface HeapSource extends Function<RecordedPod, HeapSeries> {
    }

    private final Map<String, RecordedPod> pods;
    private final HeapSource source;
    private final MemoryGrowthConfig config;
    /**
     * Whether the source's points already are the live set ({@link PodHeap#liveSet()}), as the service takes a query
     * whose {@code HeapQueries.liveSet()} says so (Micrometer's live data size): judged as the service judges it.
     */
    private final boolean liveSet;

    MemoryEvaluation(Map<String, RecordedPod> pods, HeapSource source, MemoryGrowthConfig config) {
        this(pods, source, config, false);
    }

    /**
     * The pods' live data size beside their heap ({@link HeapWindows#liveData()}), as the service fetches it beside
     * Micrometer's default heap query; null for none.
     */
    private final HeapSource liveData;

    MemoryEvaluation(Map<String, RecordedPod> pods, HeapSource source, MemoryGrowthConfig config, boolean liveSet) {
        this(pods, source, config, liveSet, null);
    }

    MemoryEvaluation(Map<String, RecordedPod> pods, HeapSource source, MemoryGrowthConfig config, boolean liveSet,
                     HeapSource liveData) {
        this.pods = pods;
        this.source = source;
        this.config = config;
        this.liveSet = liveSet;
        this.liveData = liveData;
    }

    List<RecordedPod> group(String scenario) {
        return pods.values().stream().filter(p -> p.scenario().equals(scenario)).toList();
    }

    /**
     * Layouts judged, canary pods v baseline pods ({@code -Dmemory.layouts}, default {@code 3v3,1v3}; e.g.
     * {@code 2v2,1v1} too): every choice of that many of the recorded pods on each side.
     */
    static final List<String> LAYOUTS = List.of(System.getProperty("memory.layouts", "3v3,1v3").split(","));

    /** Every case of one canary scenario. */
    List<Outcome> run(String scenario) {
        List<RecordedPod> baseline = group("baseline");
        List<RecordedPod> canary = group(scenario);
        long canaryStart = canary.stream().mapToLong(RecordedPod::jvmStartMillis).min().orElseThrow();
        List<Outcome> outcomes = new ArrayList<>();
        for (int offset = 0; offset <= LAST_OFFSET_MINUTES; offset++) {
            long from = canaryStart + offset * MINUTE;
            long to = from + WINDOW_MINUTES * MINUTE;
            for (boolean history : new boolean[] {false, true}) {
                for (String layout : LAYOUTS) {
                    String[] sizes = layout.split("v");
                    for (List<RecordedPod> chosen : choices(baseline, Integer.parseInt(sizes[1]))) {
                        for (List<RecordedPod> canaryPods : choices(canary, Integer.parseInt(sizes[0]))) {
                            outcomes.add(judge(scenario, layout, chosen, canaryPods, from, to, history, offset));
                        }
                    }
                }
            }
        }
        return outcomes;
    }

    /** Every choice of {@code k} of {@code pods}, in order. */
    static List<List<RecordedPod>> choices(List<RecordedPod> pods, int k) {
        List<List<RecordedPod>> out = new ArrayList<>();
        choose(pods, k, 0, new ArrayList<>(), out);
        return out;
    }

    private static void choose(List<RecordedPod> pods, int k, int from, List<RecordedPod> chosen, List<List<RecordedPod>> out) {
        if (chosen.size() == k) {
            out.add(List.copyOf(chosen));
            return;
        }
        for (int i = from; i < pods.size(); i++) {
            chosen.add(pods.get(i));
            choose(pods, k, i + 1, chosen, out);
            chosen.remove(chosen.size() - 1);
        }
    }

    Outcome judge(String scenario, String layout, List<RecordedPod> baseline, List<RecordedPod> canary, long from, long to,
                  boolean withHistory, int offset) {
        MemoryGrowthResult result = analyse(baseline, canary, from, to, withHistory);
        String expected = LEAK_SITES.get(scenario);
        String site = result.site() == null ? null : result.site().function();
        String reference = result.quality() == null ? "" : result.quality().reference();
        return new Outcome(scenario, layout, withHistory, offset, result.outcome(),
                expected != null && expected.equals(site), site, reference);
    }

    MemoryGrowthResult analyse(List<RecordedPod> baseline, List<RecordedPod> canary, long from, long to,
                               boolean withHistory) {
        List<PodHeap> baselineHeap = new ArrayList<>();
        List<PodHeap> canaryHeap = new ArrayList<>();
        List<PodHeap> history = new ArrayList<>();
        // the same pods' and windows' live data size, as the service fetches it beside the heap (liveData)
        List<PodHeap> baselineData = new ArrayList<>();
        List<PodHeap> canaryData = new ArrayList<>();
        List<PodHeap> historyData = new ArrayList<>();
        List<Observation> baselineLive = new ArrayList<>();
        // Every history window's live profiles: what the service and compare pass the site finder (MemoryVerdicts).
        List<Observation> historyLive = new ArrayList<>();
        List<Observation> canaryLive = new ArrayList<>();
        for (RecordedPod pod : baseline) {
            baselineHeap.add(new PodHeap(pod.name(), RecordedPod.slice(source.apply(pod), from, to),
                    pod.requestsPerSecond(from, to), liveSet));
            liveData(baselineData, pod, from, to);
            baselineLive.addAll(pod.liveBetween(from, to));
            if (withHistory) {
                for (int back = 1; back <= 2; back++) {
                    long hFrom = from - back * WINDOW_MINUTES * MINUTE;
                    history.add(new PodHeap(pod.name(), RecordedPod.slice(source.apply(pod), hFrom, hFrom + WINDOW_MINUTES * MINUTE),
                            pod.requestsPerSecond(hFrom, hFrom + WINDOW_MINUTES * MINUTE), liveSet));
                    liveData(historyData, pod, hFrom, hFrom + WINDOW_MINUTES * MINUTE);
                    historyLive.addAll(pod.liveBetween(hFrom, hFrom + WINDOW_MINUTES * MINUTE));
                }
                // The same pod at the canary's age: its own first minutes (as the service fetches them).
                long canaryAge = from - canary.get(0).jvmStartMillis();
                long sFrom = pod.jvmStartMillis() + canaryAge;
                history.add(new PodHeap(pod.name(), RecordedPod.slice(source.apply(pod), sFrom, sFrom + (to - from)),
                        pod.requestsPerSecond(sFrom, sFrom + (to - from)), liveSet));
                liveData(historyData, pod, sFrom, sFrom + (to - from));
                historyLive.addAll(pod.liveBetween(sFrom, sFrom + (to - from)));
            }
        }
        for (RecordedPod pod : canary) {
            canaryHeap.add(new PodHeap(pod.name(), RecordedPod.slice(source.apply(pod), from, to),
                    pod.requestsPerSecond(from, to), liveSet));
            liveData(canaryData, pod, from, to);
            canaryLive.addAll(pod.liveBetween(from, to));
        }
        HeapWindows windows = new HeapWindows(baselineHeap, canaryHeap, history);
        if (liveData != null) {
            windows = windows.withLiveData(new HeapWindows(baselineData, canaryData, historyData));
        }
        return MemoryGrowthAnalysis.analyse(windows, config,
                (sameAge, keepAfter) -> LeakSites.find(sameAge && !historyLive.isEmpty() ? historyLive : baselineLive,
                        LeakSites.after(canaryLive, keepAfter), FrameClassifier.defaults()));
    }

    /** Adds the pod's live data size over [from, to] to {@code to}, when the evaluation has one. */
    private void liveData(List<PodHeap> into, RecordedPod pod, long from, long to) {
        if (liveData != null) {
            into.add(new PodHeap(pod.name(), RecordedPod.slice(liveData.apply(pod), from, to),
                    pod.requestsPerSecond(from, to), true));
        }
    }

    /** One row of the results table: a scenario, a layout, with or without history, and which canary ages. */
    record Cell(String scenario, String layout, boolean history, String ages, int cases, int growth, int notJudged,
                int siteNamed) {
        String row(boolean leak) {
            int judged = cases - notJudged;
            String rate = judged == 0 ? "–" : String.format(Locale.ROOT, "%.1f %%", 100.0 * growth / judged);
            String named = !leak ? "" : growth == 0 ? "–" : String.format(Locale.ROOT, "%.1f %% (%d/%d)", 100.0 * siteNamed / growth, siteNamed, growth);
            return String.format(Locale.ROOT, "| %s | %s | %s | %s | %d | %d | %s | %s |", scenario, layout,
                    history ? "yes" : "no", ages, cases, notJudged, rate, named);
        }
    }

    static List<Cell> cells(List<Outcome> outcomes, int warmupMinutes) {
        Map<String, int[]> counts = new LinkedHashMap<>();
        Map<String, Outcome> keys = new LinkedHashMap<>();
        for (Outcome o : outcomes) {
            String ages = o.offsetMinutes() < warmupMinutes ? "young (0–" + (warmupMinutes - 1) + " min)"
                    : "past warm-up (" + warmupMinutes + "–" + LAST_OFFSET_MINUTES + " min)";
            String key = o.scenario() + "|" + o.layout() + "|" + o.history() + "|" + ages;
            int[] c = counts.computeIfAbsent(key, k -> new int[4]);
            keys.putIfAbsent(key, o);
            c[0]++;
            if (o.outcome() == MemoryOutcome.GROWTH) {
                c[1]++;
                if (o.siteNamed()) {
                    c[3]++;
                }
            } else if (o.outcome() == MemoryOutcome.NOT_JUDGED || o.outcome() == MemoryOutcome.UNRESOLVED) {
                c[2]++;
            }
        }
        List<Cell> cells = new ArrayList<>();
        for (Map.Entry<String, int[]> e : counts.entrySet()) {
            String[] parts = e.getKey().split("\\|");
            int[] c = e.getValue();
            cells.add(new Cell(parts[0], parts[1], Boolean.parseBoolean(parts[2]), parts[3], c[0], c[1], c[2], c[3]));
        }
        return cells;
    }
}
