package io.canaryjudge.memory;

import io.canaryjudge.judge.memory.HeapWindows;
import io.canaryjudge.judge.memory.MemoryGrowthAnalysis;
import io.canaryjudge.judge.memory.MemoryGrowthConfig;
import io.canaryjudge.judge.memory.MemoryGrowthResult;
import io.canaryjudge.judge.memory.MemoryOutcome;
import io.canaryjudge.judge.memory.PodHeap;
import io.canaryjudge.profile.heap.HeapSeries;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.SplittableRandom;

/**
 * Heap-after-GC series of independent pods past warm-up, with noise fitted to the recordings
 * ({@link #fit}), for case counts the recorded pods alone cannot give. Per pod: the baseline version's
 * slope, the pod's own slope offset (between-pod spread), collections at intervals resampled from the
 * recorded ones, and a residual per collection. Regimes beyond the recordings: residual noise × k, and
 * old-generation garbage that piles up and is collected every T minutes (a saw-tooth the recorded
 * JVMs, whose old generation never reached G1's marking threshold, did not have).
 */
final class HeapSimulator {
    static final double MIB = 1024.0 * 1024.0;

    /**
     * What the recordings say about old-enough pods (ages 20–50 min) of the stable version.
     *
     * @param slopeMiBPerMin     mean slope of the baseline version, MiB per minute
     * @param podSpreadMiBPerMin standard deviation of the pods' slopes around it
     * @param residualMiB        standard deviation of a collection's value around its pod's line
     * @param gcIntervalsMinutes every recorded interval between collections, minutes
     */
    record Fit(double slopeMiBPerMin, double podSpreadMiBPerMin, double residualMiB, double[] gcIntervalsMinutes) {
        String describe() {
            return String.format(Locale.ROOT, "slope %.3f MiB/min, between-pod spread %.4f MiB/min, residual %.3f MiB,"
                    + " collections every %.2f min (median of %d intervals)", slopeMiBPerMin, podSpreadMiBPerMin,
                    residualMiB, median(gcIntervalsMinutes), gcIntervalsMinutes.length);
        }
    }

    /** A noise regime. */
    record Regime(String name, double residualScale, double sawtoothMiBPerMin, double sawtoothPeriodMinutes,
                  double sawtoothResidueMiB) {
    }

    private final Fit fit;
    private final Regime regime;
    private final SplittableRandom random;

    private final double windowMinutes;

    HeapSimulator(Fit fit, Regime regime, long seed) {
        this(fit, regime, seed, 15);
    }

    /** @param windowMinutes length of each judged window, minutes */
    HeapSimulator(Fit fit, Regime regime, long seed, double windowMinutes) {
        this.windowMinutes = windowMinutes;
        this.fit = fit;
        this.regime = regime;
        this.random = new SplittableRandom(seed);
    }

    /** Fits the stable version's pods (baseline and A/A canaries) at ages 20 to 50 minutes. */
    static Fit fit(Map<String, RecordedPod> pods) {
        List<Double> slopes = new ArrayList<>();
        List<Double> residuals = new ArrayList<>();
        List<Double> intervals = new ArrayList<>();
        for (RecordedPod pod : pods.values()) {
            if (!pod.variant().equals("stable")) {
                continue;
            }
            long start = pod.jvmStartMillis();
            HeapSeries heap = RecordedPod.slice(pod.heap(), start + 20 * 60_000L, start + 50 * 60_000L);
            double[] x = new double[heap.size()];
            double[] y = new double[heap.size()];
            for (int i = 0; i < x.length; i++) {
                x[i] = (heap.timestampMillis(i) - start) / 60_000.0;
                y[i] = heap.heapAfterGcBytes(i) / MIB;
                if (i > 0) {
                    intervals.add(x[i] - x[i - 1]);
                }
            }
            double slope = theilSen(x, y);
            double[] r = new double[x.length];
            for (int i = 0; i < x.length; i++) {
                r[i] = y[i] - slope * x[i];
            }
            double centre = median(r.clone());
            for (double v : r) {
                residuals.add(v - centre);
            }
            slopes.add(slope);
        }
        double mean = slopes.stream().mapToDouble(Double::doubleValue).average().orElseThrow();
        double spread = Math.sqrt(slopes.stream().mapToDouble(s -> (s - mean) * (s - mean)).sum() / (slopes.size() - 1));
        double residual = Math.sqrt(residuals.stream().mapToDouble(v -> v * v).sum() / (residuals.size() - slopes.size()));
        return new Fit(mean, spread, residual, intervals.stream().mapToDouble(Double::doubleValue).toArray());
    }

    /** One simulated pod past warm-up: a window per {@code windows} entry, in time order. */
    List<PodHeap> pod(String name, double leakMiBPerMin, int windows) {
        return pod(name, leakMiBPerMin, windows, 30);
    }

    /**
     * One simulated pod whose first window starts at {@code firstAgeMinutes} of its JVM's life (a young canary
     * below the 20-minute warm-up: the judge leaves out its first 20 minutes, so fewer of its points remain than
     * of a baseline pod's). The heap has no warm-up growth of its own: same version, only the span differs.
     */
    List<PodHeap> pod(String name, double leakMiBPerMin, int windows, double firstAgeMinutes) {
        double slope = fit.slopeMiBPerMin() + fit.podSpreadMiBPerMin() * random.nextGaussian() + leakMiBPerMin;
        double level = 40;
        double phase = random.nextDouble() * Math.max(regime.sawtoothPeriodMinutes(), 1);
        // Garbage left after each old-generation collection, per cycle of the saw-tooth.
        java.util.Map<Integer, Double> residues = new java.util.HashMap<>();
        long jvmStart = 0;
        double age = firstAgeMinutes;
        List<PodHeap> out = new ArrayList<>();
        for (int w = 0; w < windows; w++) {
            double end = age + windowMinutes;
            List<long[]> points = new ArrayList<>();
            double t = age + random.nextDouble() * interval();
            while (t <= end) {
                double garbage = 0;
                if (regime.sawtoothMiBPerMin() > 0) {
                    double position = (t + phase) / regime.sawtoothPeriodMinutes();
                    int cycle = (int) Math.floor(position);
                    double residue = residues.computeIfAbsent(cycle, c -> random.nextDouble() * regime.sawtoothResidueMiB());
                    garbage = residue + regime.sawtoothMiBPerMin() * (position - cycle) * regime.sawtoothPeriodMinutes();
                }
                double value = level + slope * (t - 30) + garbage
                        + fit.residualMiB() * regime.residualScale() * random.nextGaussian();
                points.add(new long[] {(long) (t * 60_000), (long) (Math.max(0, value) * MIB)});
                t += interval();
            }
            long[] times = points.stream().mapToLong(p -> p[0]).toArray();
            long[] bytes = points.stream().mapToLong(p -> p[1]).toArray();
            out.add(new PodHeap(name, new HeapSeries(name, jvmStart, times, bytes)));
            age = end;
        }
        return out;
    }

    private double interval() {
        double[] all = fit.gcIntervalsMinutes();
        return Math.max(1e-3, all[random.nextInt(all.length)]);
    }

    /**
     * One case with young canary pods: their window starts {@code canaryAgeMinutes} after their JVMs started,
     * the baseline pods' past warm-up, and history (when asked) is the baseline pods' earlier windows, not of the
     * canaries' age, so the canaries' warm-up is left out.
     */
    MemoryOutcome judgeYoung(int canaryPods, double leakMiBPerMin, int historyWindows, double canaryAgeMinutes,
                             MemoryGrowthConfig config) {
        return judgeYoungResult(canaryPods, leakMiBPerMin, historyWindows, canaryAgeMinutes, config).outcome();
    }

    MemoryGrowthResult judgeYoungResult(int canaryPods, double leakMiBPerMin, int historyWindows,
                                        double canaryAgeMinutes, MemoryGrowthConfig config) {
        List<PodHeap> baseline = new ArrayList<>();
        List<PodHeap> history = new ArrayList<>();
        for (int i = 0; i < 3; i++) {
            List<PodHeap> windows = pod("baseline-" + i, 0, 1 + historyWindows, 30 + 2 * windowMinutes);
            baseline.add(windows.get(windows.size() - 1));
            history.addAll(windows.subList(0, windows.size() - 1));
        }
        List<PodHeap> canary = new ArrayList<>();
        for (int i = 0; i < canaryPods; i++) {
            canary.add(pod("canary-" + i, leakMiBPerMin, 1, canaryAgeMinutes).get(0));
        }
        return MemoryGrowthAnalysis.analyse(new HeapWindows(baseline, canary, history), config,
                MemoryGrowthAnalysis.SiteFinder.NONE);
    }

    /**
     * One case: {@code canaryPods} canary pods (leaking or not) beside 3 baseline pods, the last of
     * {@code 1 + historyWindows} windows judged, the earlier ones of the baseline pods as history.
     */
    MemoryOutcome judge(int canaryPods, double leakMiBPerMin, int historyWindows, MemoryGrowthConfig config) {
        List<PodHeap> baseline = new ArrayList<>();
        List<PodHeap> history = new ArrayList<>();
        for (int i = 0; i < 3; i++) {
            List<PodHeap> windows = pod("baseline-" + i, 0, 1 + historyWindows);
            baseline.add(windows.get(windows.size() - 1));
            history.addAll(windows.subList(0, windows.size() - 1));
        }
        List<PodHeap> canary = new ArrayList<>();
        for (int i = 0; i < canaryPods; i++) {
            List<PodHeap> windows = pod("canary-" + i, leakMiBPerMin, 1 + historyWindows);
            canary.add(windows.get(windows.size() - 1));
        }
        return MemoryGrowthAnalysis.analyse(new HeapWindows(baseline, canary, history), config,
                MemoryGrowthAnalysis.SiteFinder.NONE).outcome();
    }

    static double median(double[] values) {
        double[] sorted = values.clone();
        Arrays.sort(sorted);
        int n = sorted.length;
        return n % 2 == 1 ? sorted[n / 2] : (sorted[n / 2 - 1] + sorted[n / 2]) / 2;
    }

    private static double theilSen(double[] x, double[] y) {
        List<Double> slopes = new ArrayList<>();
        for (int i = 0; i < x.length; i++) {
            for (int j = i + 1; j < x.length; j++) {
                if (x[j] != x[i]) {
                    slopes.add((y[j] - y[i]) / (x[j] - x[i]));
                }
            }
        }
        return median(slopes.stream().mapToDouble(Double::doubleValue).toArray());
    }
}
