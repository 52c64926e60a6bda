package io.canaryjudge.memory;

import io.canaryjudge.judge.memory.HeapWindows;
import io.canaryjudge.judge.memory.MemoryGrowthAnalysis;
import io.canaryjudge.judge.memory.MemoryGrowthConfig;
import io.canaryjudge.judge.memory.MemoryOutcome;
import io.canaryjudge.judge.memory.PodHeap;
import io.canaryjudge.profile.heap.HeapSeries;
import java.util.ArrayList;
import java.util.List;
import java.util.SplittableRandom;

/**
 * A held-out check of the memory-growth check: a second heap simulator, designed apart from
 * {@link HeapSimulator} (which the defaults and the saw-tooth handling were tuned on) and never used to
 * choose anything. Where {@link HeapSimulator} adds a fitted residual and an instant saw-tooth to a
 * line, this one plays a G1 JVM collection by collection:
 * <ul>
 *   <li>the <b>live set</b>: a base level per pod, a bounded cache that warms after JVM start and is
 *       refreshed every 12–30 minutes (half of it dropped, refilled within minutes), a small random
 *       walk, and the leak — per request, so a pod under more load leaks faster;</li>
 *   <li><b>young collections</b> at exponential intervals that shorten with the pod's load (each pod's
 *       load is its own, log-normal around 25 requests/s); every one promotes garbage in proportion to
 *       the load, and survivors add noise;</li>
 *   <li><b>marking cycles</b>: once the promoted garbage passes a threshold (jittered per cycle), a
 *       concurrent mark runs for one or two young collections and 2–6 <b>mixed collections</b> then
 *       remove it step by step, leaving up to 30 % behind — not one instant drop;</li>
 *   <li>occasional <b>humongous</b> objects alive at one collection only (3 % of collections, 4–32 MiB);</li>
 *   <li>what reaches the judge: every collection (a GC log) or one point a minute (a scrape of the
 *       lowest non-eden heap); in some pods the mixed collections' points are missing (only young ones
 *       logged); scrape gaps of 1–4 minutes; request rates known in half the cases.</li>
 * </ul>
 * Regimes: old generation never marked (like the recordings), marking every ~20 minutes, and marking
 * every ~5 minutes. Scenarios: A/A, a larger but flat canary (+50 MiB), young canaries of the same
 * version (their cache warming), and leaks of 0.35, 0.7 and 1.4 MiB per minute at the mean load.
 */
final class HeldOutHeapSimulator {
    static final double MIB = 1024.0 * 1024.0;
    private static final double MINUTE_MILLIS = 60_000;
    /** Baseline pods in every case. */
    static final int BASELINE_PODS = 3;
    /** Minutes judged ({@code -Dmemory.heldoutWindow}, default 15; the service judges 30 by default). */
    static final double WINDOW_MINUTES = Double.parseDouble(System.getProperty("memory.heldoutWindow", "15"));

    /**
     * How the old generation behaves.
     *
     * @param promotedMiBPerMin garbage promoted per minute at the mean load
     * @param markingAtMiB      promoted garbage that starts a marking cycle (infinite: never)
     * @param youngEveryMinutes mean interval between young collections at the mean load
     */
    record Regime(String name, double promotedMiBPerMin, double markingAtMiB, double youngEveryMinutes) {
    }

    static final List<Regime> REGIMES = List.of(
            new Regime("no marking cycles", 0.05, Double.POSITIVE_INFINITY, 1.0),
            new Regime("marking every ~20 min (0.6 MiB/min promoted)", 0.6, 12, 0.8),
            new Regime("marking every ~5 min (2 MiB/min promoted)", 2.0, 10, 0.5));

    /** What the canary is. */
    enum Scenario {
        AA("A/A", 0, 0, false),
        BIGGER_FLAT("larger but flat", 0, 50, false),
        WARMUP("young canaries (cache warming)", 0, 0, true),
        LEAK_035("leak 0.35 MiB/min", 0.35, 0, false),
        LEAK_07("leak 0.7 MiB/min", 0.7, 0, false),
        LEAK_14("leak 1.4 MiB/min", 1.4, 0, false);

        final String label;
        final double leakMiBPerMin;
        final double extraMiB;
        final boolean young;

        Scenario(String label, double leakMiBPerMin, double extraMiB, boolean young) {
            this.label = label;
            this.leakMiBPerMin = leakMiBPerMin;
            this.extraMiB = extraMiB;
            this.young = young;
        }

        boolean leak() {
            return leakMiBPerMin > 0;
        }
    }

    /** One collection's outcome. */
    private record Gc(double minute, double mib, boolean mixed) {
    }

    private final Regime regime;
    private final SplittableRandom random;
    private final double cacheMiB;
    private final double cacheMinutes;
    private final double refreshEveryMinutes;
    private final boolean perMinuteScrape;
    private final boolean requestsKnown;

    HeldOutHeapSimulator(Regime regime, long seed) {
        this.regime = regime;
        this.random = new SplittableRandom(seed);
        this.cacheMiB = 15 + 25 * random.nextDouble();
        this.cacheMinutes = 4 + 8 * random.nextDouble();
        this.refreshEveryMinutes = 12 + 18 * random.nextDouble();
        this.perMinuteScrape = random.nextBoolean();
        this.requestsKnown = random.nextBoolean();
    }

    /**
     * One case: the canary pods of {@code scenario} beside {@value #BASELINE_PODS} baseline pods, the
     * baseline pods' two previous windows as history when asked (and their own window at the canary's
     * age when the canary is young, as the service fetches it).
     */
    MemoryOutcome judge(Scenario scenario, int canaryPods, boolean history, MemoryGrowthConfig config) {
        double canaryAge = scenario.young ? 20 * random.nextDouble() : 25 + 15 * random.nextDouble();
        List<PodHeap> baseline = new ArrayList<>();
        List<PodHeap> earlier = new ArrayList<>();
        for (int i = 0; i < BASELINE_PODS; i++) {
            double age = 60 + 60 * random.nextDouble();
            Pod pod = new Pod("baseline-" + i, 0, 0, age + WINDOW_MINUTES);
            baseline.add(pod.window(age, age + WINDOW_MINUTES));
            if (history) {
                for (int back = 1; back <= 2; back++) {
                    double from = age - back * WINDOW_MINUTES;
                    earlier.add(pod.window(from, from + WINDOW_MINUTES));
                }
                if (scenario.young) {
                    earlier.add(pod.window(canaryAge, canaryAge + WINDOW_MINUTES));
                }
            }
        }
        List<PodHeap> canary = new ArrayList<>();
        for (int i = 0; i < canaryPods; i++) {
            Pod pod = new Pod("canary-" + i, scenario.leakMiBPerMin, scenario.extraMiB, canaryAge + WINDOW_MINUTES);
            canary.add(pod.window(canaryAge, canaryAge + WINDOW_MINUTES));
        }
        return MemoryGrowthAnalysis.analyse(new HeapWindows(baseline, canary, earlier), config,
                MemoryGrowthAnalysis.SiteFinder.NONE).outcome();
    }

    /** One JVM from its start to {@code untilMinute}: every collection. */
    private final class Pod {
        final String name;
        final double load;
        final boolean mixedLogged;
        final List<Gc> collections = new ArrayList<>();

        Pod(String name, double leakMiBPerMin, double extraMiB, double untilMinute) {
            this.name = name;
            this.load = Math.exp(0.2 * random.nextGaussian());
            this.mixedLogged = random.nextDouble() < 0.7;
            double base = 70 + 3 * random.nextGaussian() + extraMiB;
            double refreshPhase = random.nextDouble() * refreshEveryMinutes;
            double walk = 0;
            double garbage = 0;
            double cycleAt = nextCycle();
            int marking = -1; // young collections until the mixed ones start; -1: no cycle under way
            int mixedLeft = 0;
            double removePerMixed = 0;
            double t = 0.2;
            while (t <= untilMinute) {
                double interval = Math.max(0.05, -Math.log(1 - random.nextDouble()) * regime.youngEveryMinutes() / load);
                t += interval;
                garbage += regime.promotedMiBPerMin() * load * interval * Math.exp(0.3 * random.nextGaussian());
                walk = 0.95 * walk + 0.1 * random.nextGaussian();
                boolean mixed = false;
                if (mixedLeft > 0) {
                    garbage = Math.max(0, garbage - removePerMixed);
                    mixedLeft--;
                    mixed = true;
                    if (mixedLeft == 0) {
                        cycleAt = nextCycle();
                    }
                } else if (marking > 0) {
                    marking--;
                    if (marking == 0) {
                        mixedLeft = 2 + random.nextInt(5);
                        removePerMixed = garbage * (1 - 0.3 * random.nextDouble()) / mixedLeft;
                        marking = -1;
                    }
                } else if (marking < 0 && garbage > cycleAt) {
                    marking = 1 + random.nextInt(2);
                }
                double live = base + cache(t, refreshPhase) + leakMiBPerMin * load * t + walk;
                double survivors = Math.abs(0.4 * Math.sqrt(load) * random.nextGaussian());
                double humongous = random.nextDouble() < 0.03 ? 4 + 28 * random.nextDouble() : 0;
                collections.add(new Gc(t, live + garbage + survivors + humongous, mixed));
            }
        }

        private double nextCycle() {
            return regime.markingAtMiB() * (0.7 + 0.6 * random.nextDouble());
        }

        /** The bounded cache: warming after JVM start, half dropped at each refresh and refilled within minutes. */
        private double cache(double minute, double refreshPhase) {
            double warm = cacheMiB * (1 - Math.exp(-minute / cacheMinutes));
            double sinceRefresh = (minute + refreshPhase) % refreshEveryMinutes;
            double dropped = minute + refreshPhase < refreshEveryMinutes ? 0 : 0.5 * Math.exp(-sinceRefresh / 1.5);
            return warm * (1 - dropped);
        }

        /** What the judge gets of ages [from, to] minutes: the GC log or one scraped point a minute, with a gap perhaps. */
        PodHeap window(double from, double to) {
            double gapFrom = Double.NaN;
            double gapTo = Double.NaN;
            if (random.nextDouble() < 0.3) {
                gapFrom = from + random.nextDouble() * (to - from);
                gapTo = gapFrom + 1 + 3 * random.nextDouble();
            }
            List<double[]> points = new ArrayList<>();
            if (perMinuteScrape) {
                // min_over_time over each minute of the non-eden heap: the lowest after-GC value in the minute,
                // or the last one before it when no collection ran in it.
                double last = Double.NaN;
                int k = 0;
                for (double m = Math.floor(from); m < to; m++) {
                    double lowest = Double.NaN;
                    while (k < collections.size() && collections.get(k).minute() < m + 1) {
                        Gc gc = collections.get(k++);
                        if (!gc.mixed() || mixedLogged) {
                            last = gc.mib();
                            if (gc.minute() >= m) {
                                lowest = Double.isNaN(lowest) ? gc.mib() : Math.min(lowest, gc.mib());
                            }
                        }
                    }
                    double value = Double.isNaN(lowest) ? last : lowest;
                    if (m + 1 <= to && !Double.isNaN(value) && !(m >= gapFrom && m < gapTo)) {
                        points.add(new double[] {m + 1, value});
                    }
                }
            } else {
                for (Gc gc : collections) {
                    if (gc.minute() >= from && gc.minute() <= to && (!gc.mixed() || mixedLogged)
                            && !(gc.minute() >= gapFrom && gc.minute() < gapTo)) {
                        points.add(new double[] {gc.minute(), gc.mib()});
                    }
                }
            }
            long start = 1_800_000_000_000L;
            long[] times = new long[points.size()];
            long[] bytes = new long[points.size()];
            for (int i = 0; i < times.length; i++) {
                times[i] = start + (long) (points.get(i)[0] * MINUTE_MILLIS);
                bytes[i] = (long) (Math.max(0, points.get(i)[1]) * MIB);
            }
            Double rate = requestsKnown ? 25 * load * Math.exp(0.02 * random.nextGaussian()) : null;
            return new PodHeap(name, new HeapSeries(name, start, times, bytes), rate);
        }
    }
}
