package io.canaryjudge.judge.memory;

import io.canaryjudge.judge.FrameClassifier;
import io.canaryjudge.judge.Observation;
import io.canaryjudge.verdict.DataQuality;
import io.canaryjudge.verdict.Finding;
import io.canaryjudge.verdict.Incident;
import io.canaryjudge.verdict.MemoryQuality;
import io.canaryjudge.verdict.Result;
import io.canaryjudge.verdict.Verdict;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;

/**
 * Adds the memory-growth check to a verdict the profile comparison made: a MEMORY_GROWTH finding and
 * incident first when the canary leaks (a FAIL whatever the profiles said, unless
 * {@code memoryGrowth.fail} is false), a clause in the summary when it grew, did not grow, or the verdict is a
 * PASS, and
 * {@code dataQuality.memory} — with a warning when there was heap data but too little to judge, so a
 * pass is never silently a pass of the memory check too. When the heaps could not have shown growth of
 * {@code maxDetectableGrowthMiBPerHour} (UNRESOLVED: a saw-tooth heap with too few old-generation
 * collections in the window, or slopes too noisy), a pass becomes INCONCLUSIVE with the reason.
 */
public final class MemoryVerdicts {
    private MemoryVerdicts() {
    }

    /**
     * @param verdict  the profile comparison's verdict
     * @param heap     the pods' heap after GC; empty when none was given
     * @param baseline the baseline's observations (their live-object profiles name the site)
     * @param canary   the canary's observations
     * @param history  earlier observations of the baseline version: the site of a young canary compared
     *                 with the baseline at its age is named against these
     * @param frames   whose code a frame is (the judge's {@code frames}): the site is an application frame
     */
    public static Verdict apply(Verdict verdict, HeapWindows heap, MemoryGrowthConfig config, List<Observation> baseline,
                                List<Observation> canary, List<Observation> history, FrameClassifier frames) {
        return apply(verdict, heap, config, baseline, canary, history, frames, List.of());
    }

    /**
     * As {@link #apply(Verdict, HeapWindows, MemoryGrowthConfig, List, List, List, FrameClassifier)}, the open
     * connections of a failing Go heap judged from {@code canaryOverHeapWindow}: the canary's goroutine and live-bytes
     * profiles over the heap's window; empty to judge them from {@code canary}.
     */
    public static Verdict apply(Verdict verdict, HeapWindows heap, MemoryGrowthConfig config, List<Observation> baseline,
                                List<Observation> canary, List<Observation> history, FrameClassifier frames,
                                List<Observation> canaryOverHeapWindow) {
        return apply(verdict, HeapMeasure.AS_GIVEN, config, baseline, canary, history, frames,
                canaryOverHeapWindow, List.of(), analyseHeap(heap, config, baseline, canary, history, frames));
    }

    /**
     * As {@link #apply(Verdict, HeapWindows, MemoryGrowthConfig, List, List, List, FrameClassifier, List)}, the heap
     * after GC as {@link #analyseHeap} analysed it from the same observations, frames and {@code config} (the service
     * analyses it before judging: its {@link AnalysedHeap#failsForConnections} says whether {@code canaryOverHeapWindow}
     * is worth fetching), so the analysis runs once and judges the heap it was analysed from
     * ({@link AnalysedHeap#heap}), and the heap series being {@code measure}: client_golang's heap in use that FAILs is judged
     * from Go's heap profiles when every pod has them ({@link GoLiveHeap}: the baseline's from
     * {@code baselineOverHeapWindow} when fetched, else from {@code baseline}), before its open connections are taken
     * off.
     */
    public static Verdict apply(Verdict verdict, HeapMeasure measure, MemoryGrowthConfig config,
                                List<Observation> baseline, List<Observation> canary, List<Observation> history,
                                FrameClassifier frames, List<Observation> canaryOverHeapWindow,
                                List<Observation> baselineOverHeapWindow, AnalysedHeap analysed) {
        HeapWindows heap = analysed.heap();
        MemoryGrowthAnalysis.SiteFinder sites = sites(baseline, canary, history, frames);
        // client_golang's lowest heap in use holds garbage that grows with the heap goal: a FAIL is judged again from the
        // live set Go's heap profiles give, the same profiles the connections' bytes are counted in. The result used
        // (the given heap's, or the profiles') carries its own canary warm-up left out (judgedAfter).
        GoLiveHeap.Judged live = GoLiveHeap.judged(analysed.result(), heap, measure,
                baselineOverHeapWindow.isEmpty() ? baseline : baselineOverHeapWindow,
                canaryOverHeapWindow.isEmpty() ? canary : canaryOverHeapWindow, config, sites, analysed.load());
        // a Go server's heap rising with its open connections (HTTP/2's HPACK tables, TLS and frame buffers) is judged
        // again without their rise: docs/EVALUATION.md "(qa87)"
        MemoryGrowthResult result = ConnectionHeap.judged(live.result(), live.heap(), config, sites, analysed.load(),
                canary, canaryOverHeapWindow, frames);
        result = live.noted(result);
        // native memory's site: against every baseline window (the highest share any gave a frame, as for live objects),
        // the canary's warm-up left out as its area's analysis left it out
        List<Observation> before = new ArrayList<>(baseline);
        before.addAll(history);
        return withAreas(apply(verdict, result), MemoryAreas.analyse(heap.areas(), config,
                (sameAge, keepAfter) -> LeakSites.findNative(before, LeakSites.after(canary, keepAfter), frames),
                (sameAge, keepAfter) -> LeakSites.findGoroutines(before, LeakSites.after(canary, keepAfter), frames),
                keepAfter -> ConnectionGoroutines.connectionsInsteadOfGrowth(LeakSites.after(baseline, keepAfter),
                        LeakSites.after(canary, keepAfter),
                        config, frames)));
    }

    /**
     * The pods' heap after GC judged as {@link #apply} judges it before a failing client_golang heap is judged again from
     * Go's heap profiles and the open connections of a Go server are taken off: the growth, its finding and the site its
     * live-object profiles name. The service calls it before the judge,
     * so that only an analysis whose heap {@link AnalysedHeap#failsForConnections fails so} asks the source for the
     * canary's goroutine and live-bytes profiles over the heap's window, and hands the result to the judge.
     */
    public static AnalysedHeap analyseHeap(HeapWindows heap, MemoryGrowthConfig config, List<Observation> baseline,
                                           List<Observation> canary, List<Observation> history,
                                           FrameClassifier frames) {
        LoadEstimate load = LoadEstimate.fromAllocation(baseline, canary, frames);
        return new AnalysedHeap(heap, MemoryGrowthAnalysis.analyse(heap, config,
                sites(baseline, canary, history, frames), load), load);
    }

    /**
     * Where the canary's extra live objects were allocated: its live-object profiles from the time each pod's warm-up
     * was left out, against the history's when the canary was compared with the baseline at its age, else the baseline's.
     */
    private static MemoryGrowthAnalysis.SiteFinder sites(List<Observation> baseline, List<Observation> canary,
                                                         List<Observation> history, FrameClassifier frames) {
        return (sameAge, keepAfter) -> LeakSites.find(sameAge && !history.isEmpty() ? history : baseline,
                LeakSites.after(canary, keepAfter), frames);
    }

    /**
     * Adds the areas outside the heap ({@link MemoryAreas}): a growing area's MEMORY_GROWTH finding and incident (a
     * FAIL unless {@code memoryGrowth.fail} is false, whatever the heap or the profiles said), and one note per judged
     * area in {@code dataQuality.memory}. An area never turns a verdict INCONCLUSIVE.
     */
    public static Verdict withAreas(Verdict verdict, List<MemoryAreas.AreaResult> areas) {
        Verdict out = verdict;
        List<String> notes = new ArrayList<>();
        for (MemoryAreas.AreaResult area : areas) {
            notes.add("outside the heap, " + area.note());
            if (area.finding() != null) {
                out = withFinding(out, area.finding(), area.site(), "growth outside the heap reported, not failed: ");
            }
        }
        DataQuality quality = out.dataQuality();
        if (notes.isEmpty() || quality == null) {
            return out;
        }
        if (quality.memory() == null) {
            // the heap was not judged (no heap series): the areas' notes go with the warnings, not nowhere
            List<String> warnings = new ArrayList<>(quality.warnings());
            warnings.addAll(notes);
            return new Verdict(out.id(), out.result(), out.pass(), out.score(), out.summary(), out.findings(),
                    out.metrics(), new DataQuality(quality.types(), warnings, quality.skipped(), null, quality.requestMix()), out.reportUrl(),
                    out.hottest(), out.incidents());
        }
        MemoryQuality memory = quality.memory();
        List<String> all = new ArrayList<>(memory.notes());
        all.addAll(notes);
        MemoryQuality withNotes = new MemoryQuality(memory.judged(), memory.unit(), memory.baselinePods(),
                memory.canaryPods(), memory.referenceSlopes(), memory.baselineSlope(), memory.canarySlope(),
                memory.slopeSpread(), memory.minimumDetectableGrowth(), memory.reference(), memory.pods(), all);
        return new Verdict(out.id(), out.result(), out.pass(), out.score(), out.summary(), out.findings(), out.metrics(),
                new DataQuality(quality.types(), quality.warnings(), quality.skipped(), withNotes,
                        quality.requestMix()), out.reportUrl(),
                out.hottest(), out.incidents());
    }

    /**
     * The verdict with a MEMORY_GROWTH finding: failing, it comes first with its incident and makes the verdict a FAIL
     * (its phrase first in the summary); reported only, after the failing findings with a clause starting
     * {@code reportedClause}.
     */
    private static Verdict withFinding(Verdict verdict, Finding finding, LeakSite site, String reportedClause) {
        List<Finding> findings = new ArrayList<>();
        List<Incident> incidents = new ArrayList<>();
        Result outcome = verdict.result();
        String summary = verdict.summary();
        int score = verdict.score();
        String phrase = MemoryFindings.headline(finding);
        if (finding.failing()) {
            findings.add(finding);
            findings.addAll(verdict.findings());
            incidents.add(MemoryFindings.incident(finding, site, phrase));
            incidents.addAll(verdict.incidents());
            String rest = verdict.result() == Result.FAIL ? "; " + stripResult(summary) : ".";
            summary = "FAIL: " + lowerFirst(phrase) + rest;
            double rise = finding.relativeChange() == null ? 1 : Math.min(1, Math.max(0, finding.relativeChange()));
            int memoryScore = (int) Math.floor(49 * (1 - rise));
            score = verdict.result() == Result.FAIL ? Math.min(verdict.score(), memoryScore) : memoryScore;
            outcome = Result.FAIL;
        } else {
            findings.addAll(verdict.findings());
            int at = (int) findings.stream().filter(Finding::failing).count();
            findings.add(at, finding);
            incidents.addAll(verdict.incidents());
            incidents.add(MemoryFindings.incident(finding, site, phrase));
            summary = appendClause(summary, reportedClause + lowerFirst(phrase));
        }
        return new Verdict(verdict.id(), outcome, outcome == Result.PASS, score, summary, findings, verdict.metrics(),
                verdict.dataQuality(), verdict.reportUrl(), verdict.hottest(), incidents);
    }

    /** Adds an analysis result the caller ran itself (the service, with heap series from Prometheus). */
    public static Verdict apply(Verdict verdict, MemoryGrowthResult result) {
        if (result.quality() == null) {
            return verdict;
        }
        DataQuality quality = verdict.dataQuality() == null
                ? new DataQuality(List.of(), List.of(), List.of()) : verdict.dataQuality();
        List<String> warnings = new ArrayList<>(quality.warnings());
        if ((result.outcome() == MemoryOutcome.NOT_JUDGED || result.outcome() == MemoryOutcome.UNRESOLVED)
                && !result.quality().notes().isEmpty()) {
            warnings.add(result.quality().notes().get(0));
        }
        quality = new DataQuality(quality.types(), warnings, quality.skipped(), result.quality(), quality.requestMix());

        Finding finding = result.finding();
        List<Finding> findings = new ArrayList<>();
        List<Incident> incidents = new ArrayList<>();
        Result outcome = verdict.result();
        String summary = verdict.summary();
        int score = verdict.score();
        if (finding != null) {
            Verdict withQuality = new Verdict(verdict.id(), outcome, verdict.pass(), score, summary, verdict.findings(),
                    verdict.metrics(), quality, verdict.reportUrl(), verdict.hottest(), verdict.incidents());
            return withFinding(withQuality, finding, result.site(), "heap growth reported, not failed: ");
        } else {
            findings.addAll(verdict.findings());
            incidents.addAll(verdict.incidents());
            if (result.outcome() == MemoryOutcome.NO_GROWTH) {
                summary = appendClause(summary, String.format(Locale.ROOT,
                        result.liveData() ? "no abnormal growth of the live data size (the heap after GC could not"
                                + " resolve it; canary %s, baseline %s per %s)"
                                : "no abnormal heap growth after GC (canary %s, baseline %s per %s)",
                        amount(result.quality().canarySlope(), result.quality().unit()),
                        amount(result.quality().baselineSlope(), result.quality().unit()),
                        result.quality().unit().endsWith("requests") ? "1,000 requests" : "hour"));
            } else if (result.outcome() == MemoryOutcome.UNRESOLVED && verdict.result() == Result.PASS) {
                // As a profile comparison too weak to see maxDetectableChange answers INCONCLUSIVE, so does a
                // heap check too weak to see maxDetectableGrowthMiBPerHour: it says why and what would resolve it.
                outcome = Result.INCONCLUSIVE;
                score = 50;
                summary = "INCONCLUSIVE: " + result.quality().notes().get(0) + "; " + stripResult(summary);
            } else if (result.outcome() != MemoryOutcome.NOT_JUDGED || verdict.result() == Result.PASS) {
                // A PASS says the memory check did not run, so that it is not read as a pass of the heap too. A FAIL
                // or an INCONCLUSIVE does not: the check took no part in it, and the clause ended every JFR verdict
                // of short windows with a heap remark unrelated to its answer (it stays in dataQuality.warnings).
                summary = appendClause(summary, result.quality().notes().isEmpty() ? "memory growth not judged"
                        : result.quality().notes().get(0));
            }
        }
        return new Verdict(verdict.id(), outcome, outcome == Result.PASS, score, summary, findings, verdict.metrics(),
                quality, verdict.reportUrl(), verdict.hottest(), incidents);
    }

    private static String amount(Double bytes, String unit) {
        return bytes == null ? "n/a" : MemoryFindings.signed(bytes);
    }

    private static String stripResult(String summary) {
        String text = summary == null ? "" : summary.strip();
        for (Result r : Result.values()) {
            if (text.startsWith(r.name() + ": ")) {
                return text.substring(r.name().length() + 2);
            }
        }
        return text;
    }

    private static String appendClause(String summary, String clause) {
        String text = summary == null ? "" : summary.strip();
        if (text.endsWith(".")) {
            text = text.substring(0, text.length() - 1);
        }
        return text + "; " + clause + ".";
    }

    private static String lowerFirst(String text) {
        return text.isEmpty() ? text : Character.toLowerCase(text.charAt(0)) + text.substring(1);
    }
}
