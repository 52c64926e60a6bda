package io.canaryjudge.memory;

import io.canaryjudge.judge.FrameClassifier;
import io.canaryjudge.judge.Observation;
import io.canaryjudge.judge.memory.LeakSite;
import io.canaryjudge.judge.memory.LeakSites;
import io.canaryjudge.profile.FunctionTotals;
import io.canaryjudge.profile.ProfileType;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.TreeMap;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.condition.EnabledIfSystemProperty;

/**
 * Could live-object profiles alone carry a MEMORY_GROWTH FAIL where a 15-minute window of a saw-tooth heap leaves the
 * slope unresolved (qa49, docs/EVALUATION.md "Saw-tooth heaps in 15 minutes (qa49)")? For every 15-minute window of
 * both committed recordings (window starts 0 to the last, one minute apart; 3v3 with every 3 of the 4 baseline pods,
 * and 1v3), the frame {@link LeakSites} names and how far its share of the canary's live set rose above the highest
 * share any baseline observation gave it; and that frame's share in the canary's first and last five-minute block of
 * the window (a leak's share of a one-minute live recording stays; a warming cache's falls as it fills). Prints, per
 * scenario, how many cases a rule "rise ≥ X" would fail. A measurement, not a test:
 * <pre>
 * mvn -B -q -pl canary-judge -am test -Dtest=LiveShareEvidenceEvaluation -Dsurefire.failIfNoSpecifiedTests=false -Dmemory.liveEvidence=true
 * </pre>
 */
@EnabledIfSystemProperty(named = "memory.liveEvidence", matches = "true")
class LiveShareEvidenceEvaluation {
    private static final long MINUTE = 60_000;
    private static final int WINDOW = 15;
    private static final double[] RISES = {0.02, 0.05, 0.10, 0.15, 0.20, 0.30};

    @Test
    void evaluate() {
        evaluate("plain", RecordedPod.folder(), 50);
        evaluate("saw-tooth", RecordedPod.sawToothFolder(), 55);
    }

    private static void evaluate(String recording, Path folder, int canaryMinutes) {
        Map<String, RecordedPod> pods = RecordedPod.loadAll(folder);
        List<RecordedPod> baseline = pods.values().stream().filter(p -> p.scenario().equals("baseline")).toList();
        Map<String, List<RecordedPod>> scenarios = new TreeMap<>();
        for (RecordedPod pod : pods.values()) {
            if (!pod.scenario().equals("baseline")) {
                scenarios.computeIfAbsent(pod.scenario(), k -> new ArrayList<>()).add(pod);
            }
        }
        System.out.printf(Locale.ROOT, "%n## %s recording: live-share rise of the named frame, 15-minute windows%n", recording);
        System.out.println("| scenario | layout | ages | cases | named frames (most often) | rise median / max | "
                + "first→last block share (median) | cases with rise ≥ 2 / 5 / 10 / 15 / 20 / 30 % |");
        for (Map.Entry<String, List<RecordedPod>> scenario : scenarios.entrySet()) {
            for (String layout : List.of("3v3", "1v3")) {
                for (boolean young : new boolean[] {true, false}) {
                    row(scenario.getKey(), layout, young, baseline, scenario.getValue(), canaryMinutes);
                }
            }
        }
    }

    private static void row(String scenario, String layout, boolean young, List<RecordedPod> allBaseline,
                            List<RecordedPod> canaryPods, int canaryMinutes) {
        long start = canaryPods.stream().mapToLong(RecordedPod::jvmStartMillis).min().orElseThrow();
        List<Double> rises = new ArrayList<>();
        List<Double> firstShares = new ArrayList<>();
        List<Double> lastShares = new ArrayList<>();
        Map<String, Integer> named = new TreeMap<>();
        int[] above = new int[RISES.length];
        int cases = 0;
        List<List<RecordedPod>> canaries = layout.equals("3v3") ? List.of(canaryPods) : canaryPods.stream().map(List::of).toList();
        for (int offset = young ? 0 : 20; offset <= (young ? 19 : canaryMinutes - WINDOW); offset++) {
            long from = start + offset * MINUTE;
            long to = from + WINDOW * MINUTE;
            for (List<RecordedPod> baseline : MemoryEvaluation.choices(allBaseline, 3)) {
                List<Observation> before = new ArrayList<>();
                baseline.forEach(p -> before.addAll(p.liveBetween(from, to)));
                for (List<RecordedPod> canary : canaries) {
                    List<Observation> after = new ArrayList<>();
                    canary.forEach(p -> after.addAll(p.liveBetween(from, to)));
                    cases++;
                    LeakSite site = LeakSites.find(before, after, FrameClassifier.defaults());
                    double rise = site == null ? 0 : site.canaryShare() - site.baselineShare();
                    rises.add(rise);
                    if (site != null) {
                        named.merge(site.function().replace("io.canaryjudge.memory.app.", ""), 1, Integer::sum);
                        firstShares.add(share(after, site.function(), true));
                        lastShares.add(share(after, site.function(), false));
                    }
                    for (int i = 0; i < RISES.length; i++) {
                        above[i] += rise >= RISES[i] ? 1 : 0;
                    }
                }
            }
        }
        String top = named.entrySet().stream().sorted(Map.Entry.<String, Integer>comparingByValue().reversed()).limit(2)
                .map(e -> e.getKey() + " " + e.getValue()).reduce((a, b) -> a + ", " + b).orElse("-");
        StringBuilder counts = new StringBuilder();
        for (int a : above) {
            counts.append(counts.isEmpty() ? "" : " / ").append(a);
        }
        System.out.printf(Locale.ROOT, "| %s | %s | %s | %d | %s | %.1f / %.1f %% | %.1f → %.1f %% | %s |%n", scenario, layout,
                young ? "young (0–19 min)" : "past warm-up (20+ min)", cases, top, 100 * median(rises), 100 * max(rises),
                100 * median(firstShares), 100 * median(lastShares), counts);
    }

    /** The frame's inclusive share of the live bytes in each canary pod's first (or last) block of the window, averaged. */
    private static double share(List<Observation> observations, String function, boolean first) {
        Map<String, Observation> chosen = new TreeMap<>();
        for (Observation o : observations) {
            Observation held = chosen.get(o.instance());
            long start = o.profile().startEpochNanos();
            if (held == null || (first ? start < held.profile().startEpochNanos() : start > held.profile().startEpochNanos())) {
                chosen.put(o.instance(), o);
            }
        }
        double sum = 0;
        for (Observation o : chosen.values()) {
            FunctionTotals totals = o.profile().functionTotals(ProfileType.LIVE_BYTES);
            for (int f = 0; totals != null && f < totals.functionCount(); f++) {
                if (totals.functionName(f).equals(function) && totals.total() > 0) {
                    sum += (double) totals.inclusive(f) / totals.total();
                }
            }
        }
        return chosen.isEmpty() ? 0 : sum / chosen.size();
    }

    private static double median(List<Double> values) {
        if (values.isEmpty()) {
            return Double.NaN;
        }
        List<Double> sorted = values.stream().sorted().toList();
        return sorted.get(sorted.size() / 2);
    }

    private static double max(List<Double> values) {
        return values.stream().mapToDouble(Double::doubleValue).max().orElse(Double.NaN);
    }
}
