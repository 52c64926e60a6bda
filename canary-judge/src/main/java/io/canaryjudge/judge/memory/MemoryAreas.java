package io.canaryjudge.judge.memory;

import io.canaryjudge.profile.ProfileType;
import io.canaryjudge.profile.heap.HeapSeries;
import io.canaryjudge.verdict.Finding;
import io.canaryjudge.verdict.FindingKind;
import io.canaryjudge.verdict.Measure;
import io.canaryjudge.verdict.MemoryQuality;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.function.Function;

/**
 * Memory outside the Java heap, judged as the heap is: a canary that defines classes per request (metaspace), keeps
 * direct buffers or starts threads that never end is OOM-killed while its heap after GC stays flat, and passed
 * unnoticed when only the heap was judged. Each area's pods go through {@link MemoryGrowthAnalysis} (robust slope per
 * pod, the baseline's between-pod spread moderated towards the prior, warm-up and same-age comparison of young
 * canaries, the same thresholds), as usage (no saw-tooth to look through). An area only ever adds a MEMORY_GROWTH
 * finding: one that could not be judged, or could not have resolved growth, says so in {@code dataQuality.memory}'s
 * notes but never holds back a pass (the heap's own check decides that), so pods whose exporter lacks an area pass
 * as before.
 */
public final class MemoryAreas {
    /**
     * Bytes one live thread counts as: the default thread stack on 64-bit Linux ({@code -Xss}, 1 MiB), reserved outside
     * the heap. The heap's thresholds then read as threads per hour (at least 20 more an hour, 4 the prior spread).
     */
    public static final long THREAD_STACK_BYTES = 1L << 20;
    /**
     * A Go process's goroutines ({@code goroutines}), counted as threads are: each as {@link #THREAD_STACK_BYTES}, so
     * the same thresholds read as goroutines per hour (at least 20 more an hour). A goroutine's stack starts at 2 KiB,
     * but a leaked one also keeps what it references, and a healthy service's goroutine count (its workers, listeners and
     * pools, at its lowest per step) is as flat as a JVM's thread count: measured in docs/EVALUATION.md "(qa74)".
     */
    static final String GOROUTINES = "goroutines";
    /**
     * The area of resident memory no JVM pool accounts for (the service's default: resident size minus the committed
     * pools and direct buffers), worded "native memory".
     */
    static final String NATIVE = "native";

    private MemoryAreas() {
    }

    /**
     * What one area's check concluded.
     *
     * @param area    its name
     * @param outcome GROWTH, NO_GROWTH, or NOT_JUDGED (also for growth a window could not resolve)
     * @param finding the MEMORY_GROWTH finding (function {@code <area>}) when the canary grows; null otherwise
     * @param note    one line for {@code dataQuality.memory.notes}: the slopes, or why not judged
     * @param site    where a growing {@code native} area's memory is malloc'ed ({@link LeakSites#findNative}); null
     *                for other areas, without {@code malloc_leak_bytes} profiles or when no application site rose
     */
    public record AreaResult(String area, MemoryOutcome outcome, Finding finding, String note, LeakSite site) {
        public AreaResult(String area, MemoryOutcome outcome, Finding finding, String note) {
            this(area, outcome, finding, note, null);
        }
    }

    /** Each area's result, in the areas' order; none without areas or with the check off. */
    public static List<AreaResult> analyse(List<AreaWindows> areas, MemoryGrowthConfig config) {
        return analyse(areas, config, MemoryGrowthAnalysis.SiteFinder.NONE);
    }

    /**
     * As {@link #analyse(List, MemoryGrowthConfig)}, a growing {@code native} area's finding naming where its memory is
     * malloc'ed.
     *
     * @param nativeSite the site of native memory not freed, asked for only when the {@code native} area grows, with
     *                   the canary pods' warm-up its analysis left out (a young JVM's first minutes malloc for class
     *                   loading and static initialisers under application frames: qa51)
     */
    public static List<AreaResult> analyse(List<AreaWindows> areas, MemoryGrowthConfig config,
                                           MemoryGrowthAnalysis.SiteFinder nativeSite) {
        return analyse(areas, config, nativeSite, MemoryGrowthAnalysis.SiteFinder.NONE);
    }

    /**
     * As {@link #analyse(List, MemoryGrowthConfig, MemoryGrowthAnalysis.SiteFinder)}, a growing {@code goroutines}
     * area's finding naming where the extra goroutines wait.
     *
     * @param goroutineSite where the canary's goroutines beyond the baseline's are parked, from goroutine profiles, asked
     *                      for only when the {@code goroutines} area grows, the canary's warm-up left out
     */
    public static List<AreaResult> analyse(List<AreaWindows> areas, MemoryGrowthConfig config,
                                           MemoryGrowthAnalysis.SiteFinder nativeSite,
                                           MemoryGrowthAnalysis.SiteFinder goroutineSite) {
        return analyse(areas, config, nativeSite, goroutineSite, keepAfter -> null);
    }

    /**
     * As {@link #analyse(List, MemoryGrowthConfig, MemoryGrowthAnalysis.SiteFinder, MemoryGrowthAnalysis.SiteFinder)},
     * a growing {@code goroutines} area reported, not failed, when the canary's goroutine profiles show the rise is
     * net/http's or gRPC's goroutines serving more open connections ({@link ConnectionGoroutines}).
     *
     * @param connections given the canary pods' warm-up left out (as {@code goroutineSite}'s) and the baseline pods'
     *                    ({@link #withBaselineWarmUp}), why the goroutines' rise is connections rather than a leak, or
     *                    null
     */
    public static List<AreaResult> analyse(List<AreaWindows> areas, MemoryGrowthConfig config,
                                           MemoryGrowthAnalysis.SiteFinder nativeSite,
                                           MemoryGrowthAnalysis.SiteFinder goroutineSite,
                                           Function<Map<String, Long>, String> connections) {
        List<AreaResult> results = new ArrayList<>();
        if (!config.enabled()) {
            return results;
        }
        // Never UNRESOLVED: an area the window cannot resolve must not turn a pass INCONCLUSIVE (the heap's check does).
        MemoryGrowthConfig areaConfig = config.withMaxDetectableGrowthMiBPerHour(0);
        for (AreaWindows area : areas) {
            if (area.windows().baseline().isEmpty() && area.windows().canary().isEmpty()) {
                continue; // the exporter has no such series: nothing to say
            }
            // the site is looked for only if the area grows, with the canary's warm-up its analysis left out
            MemoryGrowthResult result = MemoryGrowthAnalysis.analyse(area.windows(), areaConfig,
                    MemoryGrowthAnalysis.SiteFinder.NONE);
            Map<String, Long> warmUpLeftOut = result.judgedAfter();
            MemoryQuality quality = result.quality();
            String name = words(area);
            if (result.outcome() == MemoryOutcome.GROWTH && result.finding() != null) {
                // open connections first: a weight step's connections rise through the window as a leak does, so
                // neither the step test nor the baseline's level would excuse them
                String step = area.area().equals(GOROUTINES) ? connections.apply(withBaselineWarmUp(area, warmUpLeftOut,
                        config)) : null;
                step = step != null ? step : stepInsteadOfGrowth(area, config);
                step = step != null ? step : withinBaselineLevel(area);
                LeakSite site = area.area().equals(NATIVE) ? nativeSite.find(false, warmUpLeftOut)
                        : area.area().equals(GOROUTINES) ? goroutineSite.find(false, warmUpLeftOut) : null;
                Finding finding = finding(area, result.finding(), config, step, site);
                results.add(new AreaResult(area.area(), MemoryOutcome.GROWTH, finding,
                        name + ": " + growthPhrase(finding), site));
            } else if (result.outcome() == MemoryOutcome.NO_GROWTH && quality != null && quality.canarySlope() != null
                    && quality.baselineSlope() != null) {
                results.add(new AreaResult(area.area(), MemoryOutcome.NO_GROWTH, null, String.format(Locale.ROOT,
                        "%s: no abnormal growth (canary %s per 10 min, baseline %s)", name,
                        amount(area, quality.canarySlope() / 6), amount(area, quality.baselineSlope() / 6))));
            } else {
                String why = quality == null || quality.notes().isEmpty() ? "too little data" : quality.notes().get(0);
                // the heap's analysis words its reasons for the heap; here they are about this area's points
                why = why.replace("memory growth not judged: ", "").replace("heap points after GC", "points")
                        .replace("heap after GC", name);
                results.add(new AreaResult(area.area(), MemoryOutcome.NOT_JUDGED, null, name + ": not judged (" + why + ")"));
            }
        }
        return results;
    }

    /**
     * The canary pods' warm-up ends and, when those were left out, the baseline pods' too (their start plus {@code
     * warmup}, as the heap's reference slopes leave it out): a baseline pod's warm-up rise would raise the reference
     * the canary's goroutines outside connection serving are held to, and excuse more of them.
     */
    static Map<String, Long> withBaselineWarmUp(AreaWindows area, Map<String, Long> canaryWarmUp,
                                                MemoryGrowthConfig config) {
        Map<String, Long> out = new HashMap<>(canaryWarmUp);
        if (canaryWarmUp.isEmpty()) {
            return out; // the canary compared at its own age, warm-up and all: so are the baseline pods
        }
        for (PodHeap pod : area.windows().baseline()) {
            if (pod.heap().jvmStartMillis() >= 0) {
                out.putIfAbsent(pod.instance(), pod.heap().jvmStartMillis() + config.warmup().toMillis());
            }
        }
        return out;
    }

    /** The area's finding from the analysis's (bytes per hour, threads scaled to bytes): in the area's own unit. */
    private static Finding finding(AreaWindows area, Finding heap, MemoryGrowthConfig config, String step,
                                   LeakSite site) {
        double scale = area.threads() ? THREAD_STACK_BYTES : 1;
        double canary = heap.canary() / scale;
        double baseline = heap.baseline() / scale;
        String growth = String.format(Locale.ROOT, "canary's %s %s %s per 10 min (baseline %s, %s)", words(area),
                words(area).endsWith("s") ? "grow" : "grows", amount(area, canary * scale / 6), amount(area, baseline * scale / 6),
                heap.pValue() < 0.001 ? String.format(Locale.ROOT, "p = %.1e", heap.pValue())
                        : String.format(Locale.ROOT, "p = %.3f", heap.pValue()));
        String where = area.area().equals(GOROUTINES) ? ", each holding its stack and what it references"
                + (site == null ? "" : ": " + MemoryFindings.siteWords(site))
                : area.threads() ? ", each holding its stack outside the Java heap"
                : area.area().equals(NATIVE) ? ", resident outside the Java heap and every pool the JVM reports"
                + " (metaspace, code cache, direct buffers): "
                + (site == null ? "malloc'ed by native code" : MemoryFindings.siteWords(site))
                : ", outside the Java heap";
        boolean fails = config.fail() && step == null;
        String text = Character.toUpperCase(growth.charAt(0)) + growth.substring(1) + where + "."
                + (step != null ? " Reported only: " + step + "."
                : config.fail() ? "" : " Reported only: memoryGrowth.fail is false for this application.")
                + (site != null && site.callPath().size() > 1 ? " Hottest path: " + MemoryFindings.shortPath(site.callPath())
                + "." : "");
        return new Finding(ProfileType.LIVE_BYTES, "<" + area.area() + ">", FindingKind.MEMORY_GROWTH,
                Measure.MEMORY_AREA_GROWTH, baseline, canary, heap.relativeChange(), canary - baseline, heap.pValue(),
                heap.qValue(), heap.ciLow() == null ? null : heap.ciLow() / scale,
                heap.ciHigh() == null ? null : heap.ciHigh() / scale, fails, false,
                site == null ? List.of() : site.callPath(), text, false,
                area.area().equals(GOROUTINES) ? "goroutines" : area.threads() ? "threads" : "bytes");
    }

    /**
     * Why the canary's rise is a step rather than growth, or null when it grew through the window. A pool sized to its
     * load (threads, pooled direct buffers) or code loaded by a new endpoint's first calls (metaspace) rises once —
     * when Argo shifts more traffic to the canary, say — and stays: its slope over the window is as steep as a leak's,
     * but one half of the window holds all of the rise and the other none. A leak rises through both halves. So the
     * area fails only when most canary pods rose in each half by at least {@link #STEADY_HALF} of what their whole
     * window's slope gives a half (Theil–Sen slopes of each half's points; pods past warm-up where enough points are).
     * <p>
     * A young Go pod's {@code goroutines} (too few points past warm-up) are judged on the second half alone, over all
     * its points (other areas of a young pod count neither way, as before qa74): its start-up
     * rise fills the first half whatever it runs, so the first half says nothing, and a leak keeps rising in the second
     * by at least the lesser of {@link #STEADY_HALF} of the whole slope and the material growth
     * ({@code minSlopeMiBPerHour}, a thread or goroutine per MiB). A slow leak behind a large start-up rise still
     * fails once it is material on its own; a pool that fills in the pod's first minutes and stays is a step. Before
     * qa74 a young pod counted neither way, and a Go canary with a new 64-goroutine pool that filled over its first 5
     * minutes FAILed over minutes 1-16 (docs/EVALUATION.md "(qa74)").
     */
    static String stepInsteadOfGrowth(AreaWindows area, MemoryGrowthConfig config) {
        int pods = 0;
        int steady = 0;
        for (PodHeap pod : area.windows().canary()) {
            HeapSeries series = pod.heap();
            long[] t = series.timestampsMillis();
            int from = 0;
            if (series.jvmStartMillis() >= 0) {
                long warm = series.jvmStartMillis() + config.warmup().toMillis();
                while (from < t.length && t[from] < warm) {
                    from++;
                }
            }
            boolean young = t.length - from < 2 * MIN_HALF_POINTS;
            if (young && !area.area().equals(GOROUTINES)) {
                // a young JVM pod's start-up rise would read as a step and excuse a thread, metaspace or native leak
                // (qa46-alt's leak-native at 11 min did): it counts neither way, withinBaselineLevel guards its pools
                continue;
            }
            if (young) {
                // a young Go pod's goroutines: all its points, judged on the second half alone (above)
                from = 0;
                if (t.length < 2 * MIN_HALF_POINTS) {
                    continue;
                }
            }
            long middle = t[from] + (t[t.length - 1] - t[from]) / 2;
            int split = from;
            while (split < t.length && t[split] < middle) {
                split++;
            }
            if (split - from < MIN_HALF_POINTS || t.length - split < MIN_HALF_POINTS) {
                continue;
            }
            double whole = slope(series, from, t.length);
            if (!(whole > 0)) {
                continue;
            }
            pods++;
            double first = slope(series, from, split);
            double second = slope(series, split, t.length);
            // bytes per hour; threads and goroutines are scaled to bytes as the analysis scaled them
            double material = config.minSlopeMiBPerHour() * (1 << 20);
            if (young ? second >= Math.min(STEADY_HALF * whole, material)
                    : first >= STEADY_HALF * whole && second >= STEADY_HALF * whole) {
                steady++;
            }
        }
        if (pods == 0 || 2 * steady >= pods) {
            return null; // a tie fails: one leaking pod beside one noisy one is not excused
        }
        return String.format(Locale.ROOT, "%s rose in a step, not through the window (in %d of %d canary pod(s) one half"
                + " of the window holds the rise and the other hardly any: a pool or cache sized to the pod's load, or code"
                + " loaded once, rather than a leak; a leak keeps rising in the next analysis)", words(area), pods - steady,
                pods);
    }

    /**
     * Why the canary's rise is a pool or cache filling towards the baseline's size rather than growth, or null when the
     * canary pods went beyond it. A young canary's thread pool, its buffer pools and its loaded classes rise towards what
     * the older baseline pods already hold; a leak takes the canary past every baseline pod, and keeps going. So an area
     * fails only when the canary pods' median last level (their window's last point) exceeds the highest level any
     * baseline pod reached in the window. A leak still below it fails in a later analysis, once it has passed it.
     */
    static String withinBaselineLevel(AreaWindows area) {
        long highest = Long.MIN_VALUE;
        for (PodHeap pod : area.windows().baseline()) {
            for (long value : pod.heap().heapAfterGcBytes()) {
                highest = Math.max(highest, value);
            }
        }
        List<Long> last = new ArrayList<>();
        for (PodHeap pod : area.windows().canary()) {
            if (!pod.heap().isEmpty()) {
                last.add(pod.heap().heapAfterGcBytes(pod.heap().size() - 1));
            }
        }
        if (highest == Long.MIN_VALUE || last.isEmpty()) {
            return null;
        }
        last.sort(null);
        double median = last.size() % 2 == 1 ? last.get(last.size() / 2)
                : (last.get(last.size() / 2 - 1) + last.get(last.size() / 2)) / 2.0;
        if (median > highest) {
            return null;
        }
        return String.format(Locale.ROOT, "the canary's %s (%s at the window's end) %s within what the baseline pods"
                + " hold (up to %s): a pool or cache filling towards the baseline's size, not yet beyond it",
                words(area), level(area, median), words(area).endsWith("s") ? "stay" : "stays", level(area, highest));
    }

    /** A level in the area's unit: 48.0 MiB, 120 threads. */
    private static String level(AreaWindows area, double value) {
        return area.threads() ? String.format(Locale.ROOT, "%.0f %s", value / THREAD_STACK_BYTES,
                area.area().equals(GOROUTINES) ? "goroutines" : "threads")
                : MemoryFindings.signed(value).substring(1);
    }

    /** Each half's slope must reach this fraction of the whole window's for the rise to count as steady. */
    static final double STEADY_HALF = 0.25;

    /** Points each half of a pod's window needs for its own slope. */
    static final int MIN_HALF_POINTS = 3;

    /** Theil–Sen slope of the points {@code from} (inclusive) to {@code to} (exclusive), per hour. */
    private static double slope(HeapSeries series, int from, int to) {
        double[] x = new double[to - from];
        double[] y = new double[to - from];
        for (int i = from; i < to; i++) {
            x[i - from] = (series.timestampMillis(i) - series.timestampMillis(from)) / 3_600_000.0;
            y[i - from] = series.heapAfterGcBytes(i);
        }
        return TheilSen.fit(x, y, 0.95).slope();
    }

    /** The finding's headline as a clause: "canary's metaspace grows …". */
    private static String growthPhrase(Finding finding) {
        String headline = MemoryFindings.headline(finding);
        return Character.toLowerCase(headline.charAt(0)) + headline.substring(1);
    }

    /** "metaspace", "direct buffers", "live threads", "native memory", "goroutines". */
    static String words(AreaWindows area) {
        return words(area.area(), area.threads());
    }

    /** The area's name in findings and notes, from its configured name. */
    static String words(String area, boolean threads) {
        return area.equals(GOROUTINES) ? "goroutines" : threads ? "live threads" : area.equals(NATIVE) ? "native memory" : area.replace('-', ' ');
    }

    /** A growth in the area's unit with its sign: +4.2 MiB, +60 threads. {@code value} in bytes (threads scaled). */
    private static String amount(AreaWindows area, double value) {
        if (!area.threads()) {
            return MemoryFindings.signed(value);
        }
        double threads = value / THREAD_STACK_BYTES;
        return String.format(Locale.ROOT, "%s%.0f", threads < 0 ? "−" : "+", Math.abs(threads));
    }
}
