package io.canaryjudge.judge.memory;

import io.canaryjudge.profile.ProfileType;
import io.canaryjudge.verdict.Finding;
import io.canaryjudge.verdict.FindingKind;
import io.canaryjudge.verdict.Measure;
import io.canaryjudge.verdict.MemoryQuality;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;

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

    private MemoryAreas() {
    }

    /**
     * What one area's check concluded.
     *
     * @param area    its name
     * @param outcome GROWTH, NO_GROWTH, or NOT_JUDGED (also for growth a window could not resolve)
     * @param finding the MEMORY_GROWTH finding (function {@code <area>}) when the canary grows; null otherwise
     * @param note    one line for {@code dataQuality.memory.notes}: the slopes, or why not judged
     */
    public record AreaResult(String area, MemoryOutcome outcome, Finding finding, String note) {
    }

    /** Each area's result, in the areas' order; none without areas or with the check off. */
    public static List<AreaResult> analyse(List<AreaWindows> areas, MemoryGrowthConfig config) {
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
            MemoryGrowthResult result = MemoryGrowthAnalysis.analyse(area.windows(), areaConfig,
                    MemoryGrowthAnalysis.SiteFinder.NONE);
            MemoryQuality quality = result.quality();
            String name = words(area);
            if (result.outcome() == MemoryOutcome.GROWTH && result.finding() != null) {
                Finding finding = finding(area, result.finding(), config);
                results.add(new AreaResult(area.area(), MemoryOutcome.GROWTH, finding,
                        name + ": " + growthPhrase(finding)));
            } else if (result.outcome() == MemoryOutcome.NO_GROWTH && quality != null && quality.canarySlope() != null
                    && quality.baselineSlope() != null) {
                results.add(new AreaResult(area.area(), MemoryOutcome.NO_GROWTH, null, String.format(Locale.ROOT,
                        "%s: no abnormal growth (canary %s per 10 min, baseline %s)", name,
                        amount(area, quality.canarySlope() / 6), amount(area, quality.baselineSlope() / 6))));
            } else {
                String why = quality == null || quality.notes().isEmpty() ? "too little data" : quality.notes().get(0);
                results.add(new AreaResult(area.area(), MemoryOutcome.NOT_JUDGED, null, name + ": not judged (" + why + ")"));
            }
        }
        return results;
    }

    /** The area's finding from the analysis's (bytes per hour, threads scaled to bytes): in the area's own unit. */
    private static Finding finding(AreaWindows area, Finding heap, MemoryGrowthConfig config) {
        double scale = area.threads() ? THREAD_STACK_BYTES : 1;
        double canary = heap.canary() / scale;
        double baseline = heap.baseline() / scale;
        String growth = String.format(Locale.ROOT, "canary's %s %s %s per 10 min (baseline %s, %s)", words(area),
                words(area).endsWith("s") ? "grow" : "grows", amount(area, canary * scale / 6), amount(area, baseline * scale / 6),
                heap.pValue() < 0.001 ? String.format(Locale.ROOT, "p = %.1e", heap.pValue())
                        : String.format(Locale.ROOT, "p = %.3f", heap.pValue()));
        String where = area.threads() ? ", each holding its stack outside the Java heap" : ", outside the Java heap";
        String text = Character.toUpperCase(growth.charAt(0)) + growth.substring(1) + where + "."
                + (config.fail() ? "" : " Reported only: memoryGrowth.fail is false for this application.");
        return new Finding(ProfileType.LIVE_BYTES, "<" + area.area() + ">", FindingKind.MEMORY_GROWTH,
                Measure.MEMORY_AREA_GROWTH, baseline, canary, heap.relativeChange(), canary - baseline, heap.pValue(),
                heap.qValue(), heap.ciLow() == null ? null : heap.ciLow() / scale,
                heap.ciHigh() == null ? null : heap.ciHigh() / scale, config.fail(), false, List.of(), text, false,
                area.threads() ? "threads" : "bytes");
    }

    /** The finding's headline as a clause: "canary's metaspace grows …". */
    private static String growthPhrase(Finding finding) {
        String headline = MemoryFindings.headline(finding);
        return Character.toLowerCase(headline.charAt(0)) + headline.substring(1);
    }

    /** "metaspace", "direct buffers", "live threads". */
    static String words(AreaWindows area) {
        return area.threads() ? "live threads" : area.area().replace('-', ' ');
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
