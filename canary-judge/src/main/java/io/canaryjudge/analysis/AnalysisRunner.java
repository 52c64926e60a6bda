package io.canaryjudge.analysis;

import io.canaryjudge.analysis.ObservationFetcher.Fetched;
import io.canaryjudge.config.AnalysisProperties;
import io.canaryjudge.judge.Judge;
import io.canaryjudge.judge.JudgeConfig;
import io.canaryjudge.judge.LearnedNoise;
import io.canaryjudge.judge.Observation;
import io.canaryjudge.judge.memory.AnalysedHeap;
import io.canaryjudge.judge.memory.HeapMeasure;
import io.canaryjudge.judge.memory.MemoryVerdicts;
import io.canaryjudge.noise.NoiseLessons;
import io.canaryjudge.profile.ProfileType;
import io.canaryjudge.profile.source.LabelMatcher;
import io.canaryjudge.profile.source.ProfileSelector;
import io.canaryjudge.profile.source.ProfileSource;
import io.canaryjudge.profile.source.TimeWindow;
import io.canaryjudge.report.Report;
import io.canaryjudge.report.ReportBuilder;
import io.canaryjudge.source.SourceGuard;
import io.canaryjudge.store.SaveOutcome;
import io.canaryjudge.store.StoredAnalysis;
import io.canaryjudge.store.VerdictStore;
import io.canaryjudge.verdict.DataQuality;
import io.canaryjudge.verdict.Result;
import io.canaryjudge.verdict.Verdict;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.EnumSet;
import java.util.LinkedHashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.TreeSet;
import java.util.UUID;
import java.util.concurrent.atomic.AtomicReference;
import java.util.stream.Collectors;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import reactor.core.publisher.Mono;
import reactor.core.scheduler.Scheduler;

/**
 * Runs one analysis: fetch the groups' observations ({@link ObservationFetcher}), judge them, say what the
 * verdict stands on and what is missing, store it, and hand back the verdict with its id and report link.
 *
 * <p>Each function's noise is also learned from the baselines of the service's earlier analyses
 * ({@link LearnedNoise}, kept by the store per application and namespace): read before judging, and this
 * analysis's baseline added after it (a lesson never judges the JVMs that taught it; never from an analysis that
 * lacked data, nor from uploads).
 *
 * <p>Honest about partial data: when baseline or canary data is missing (a source failed, the deadline came
 * first) the answer is INCONCLUSIVE with the reason in {@code summary} and {@code dataQuality.warnings} —
 * never a PASS, never a time-out — and what the data that did arrive show is kept in the summary and findings.
 * Plain Java: no Spring, the clock and schedulers are given.
 */
public final class AnalysisRunner {
    /** Fewer slices than this in a window: say that more would give a firmer verdict. */
    static final int FEW_SLICES = 3;
    private static final Logger LOG = LoggerFactory.getLogger(AnalysisRunner.class);
    /** The name of the upload source ({@code POST /api/v1/analyses/upload}). */
    private static final String UPLOAD_SOURCE = "upload";

    /** How far past its deadline an answer may come when judging overran (ms; the deadline sits below the caller's timeout). */
    private static final Duration OVERRUN_GRACE = Duration.ofMillis(250);
    private final Judge judge;
    private final VerdictStore store;
    private final AnalysisProperties settings;
    private final ObservationFetcher fetcher;
    private final HeapFetcher heapFetcher;
    private final RequestMetrics metrics;
    private final ReportContexts reportContexts;
    private final ReportBuilder reports = new ReportBuilder();
    private final Scheduler judgeScheduler;
    private final JudgeMetrics judgeMetrics;
    private final Clock clock;
    /** Which types the sources hold of the groups, remembered for a few minutes ({@link HeldTypes}). */
    private final HeldTypes heldTypes;

    /** {@link #AnalysisRunner(Judge, VerdictStore, AnalysisProperties, RequestMetrics, Duration, ReportSettings,
     * Scheduler, JudgeMetrics, Clock)} with heap queries one point a minute. */
    public AnalysisRunner(Judge judge, VerdictStore store, AnalysisProperties settings, RequestMetrics requestMetrics,
                          ReportSettings reportSettings, Scheduler judgeScheduler, JudgeMetrics judgeMetrics,
                          Clock clock) {
        this(judge, store, settings, requestMetrics, Duration.ofMinutes(1), reportSettings, judgeScheduler,
                judgeMetrics, clock);
    }

    /**
     * @param requestMetrics request counts (when profiles lack them), metric gates and the pods' heap after GC
     *                       from Prometheus; null = none
     * @param heapStep       resolution of the heap queries (one point per pod and step)
     * @param reportSettings how reports describe the configured source
     * @param judgeScheduler where the CPU-bound judging runs (not an event-loop thread)
     */
    public AnalysisRunner(Judge judge, VerdictStore store, AnalysisProperties settings, RequestMetrics requestMetrics,
                          Duration heapStep, ReportSettings reportSettings, Scheduler judgeScheduler,
                          JudgeMetrics judgeMetrics, Clock clock) {
        this(judge, store, settings, requestMetrics, heapStep, reportSettings, judgeScheduler, judgeMetrics, clock,
                HeldTypes.ASK_AT_MOST);
    }

    /** @param typesHeldWait longest wait for which types the pods hold ({@link HeldTypes}) */
    public AnalysisRunner(Judge judge, VerdictStore store, AnalysisProperties settings, RequestMetrics requestMetrics,
                          Duration heapStep, ReportSettings reportSettings, Scheduler judgeScheduler,
                          JudgeMetrics judgeMetrics, Clock clock, Duration typesHeldWait) {
        this.judge = judge;
        this.store = store;
        this.settings = settings;
        this.fetcher = new ObservationFetcher(settings, requestMetrics);
        this.metrics = requestMetrics;
        this.heapFetcher = new HeapFetcher(requestMetrics, settings.instanceLabel(), heapStep, clock);
        this.reportContexts = new ReportContexts(reportSettings.applicationLabel(), reportSettings.pyroscopeUrl(),
                requestMetrics, settings.slice(), reportSettings.pyroscopeTypeIds());
        this.judgeScheduler = judgeScheduler;
        this.judgeMetrics = judgeMetrics;
        this.clock = clock;
        this.heldTypes = new HeldTypes(clock, typesHeldWait);
    }

    /**
     * The stored analysis: its verdict with id and report link; errors only on a bug (never for missing data). Types
     * left to the defaults are first chosen by what the source holds ({@link HeldTypes}: a Node service's wall time).
     */
    public Mono<StoredAnalysis> run(AnalysisRequest request, ProfileSource source) {
        return heldTypes.resolve(request, source, request.deadline().at().minus(settings.judgeTime()))
                .contextWrite(SourceGuard.forApplication(service(request)))
                .flatMap(choice -> run(choice.request(), choice.source(source), choice.warnings()));
    }

    /** {@link #run(AnalysisRequest, ProfileSource)} with its types chosen; {@code typeNotes} go to the warnings. */
    private Mono<StoredAnalysis> run(AnalysisRequest request, ProfileSource source, List<String> typeNotes) {
        Instant received = request.deadline().at().minus(request.deadline().allowed());
        // Time spent before this analysis could start (waiting for a slot, an upload's files arriving): the fetch
        // has only what is left, which a verdict missing data must say, or it blames the source for the queue.
        Duration waited = Duration.between(received, clock.instant());
        Instant fetchBy = request.deadline().at().minus(settings.judgeTime());
        boolean metricsQueried = metrics != null && source.timeAware();
        // Cost per request and the gates' request floor read one answer: the same query asked twice per analysis
        // doubled its load on Prometheus and could disagree with itself.
        Mono<Map<String, Map<Instant, Long>>> canaryRequests = metricsQueried
                ? metrics.requests(request.canary(), fetcher.slices(request), request.config().queries()).cache()
                : Mono.empty();
        Mono<MetricGateChecks.Checked> gates = metricsQueried
                ? new MetricGateChecks(metrics, settings.slice()).check(request, fetchBy, canaryRequests)
                : Mono.just(MetricGateChecks.Checked.NONE);
        // Each pod's heap after GC: an upload's own files (its pods are in no store Prometheus scrapes); else
        // Prometheus when it is configured, for the request's window whatever the profile source; else (or where
        // Prometheus has no heap series for the pods) the files beside the profiles: the local directory's heap.csv
        // or JFR heap summaries, as compare reads them.
        // The files are read once the profiles are (from the same pod directories, cached), and not when the source
        // failed: the analysis is INCONCLUSIVE then anyway, and more failing calls would only open its circuit sooner.
        Mono<Fetched> profiles = fetcher.fetch(request, source, canaryRequests).cache();
        boolean heapFromFilesOnly = UPLOAD_SOURCE.equals(source.name());
        Mono<HeapFetcher.Fetched> heap = heapFetcher.fetch(request, source, heapFromFilesOnly,
                profiles.map(fetched -> fetched.gaps().isEmpty()), fetchBy).cache();
        Mono<AnalysedHeapWindow> analysedHeap = Mono.zip(profiles, heap)
                .flatMap(read -> analysedHeap(request, source, read.getT1(), read.getT2(), fetchBy));
        String service = service(request);
        // Uploaded files name no pods a later analysis could recognise (and default to one application for every
        // service): they neither use nor teach learned noise.
        boolean learns = settings.learnNoise() && !UPLOAD_SOURCE.equals(source.name());
        Mono<LearnedLookup> learned = !learns ? Mono.just(new LearnedLookup(NoiseLessons.empty(), null))
                : store.noiseLessons(service)
                .map(lessons -> new LearnedLookup(lessons, null))
                .onErrorResume(e -> Mono.just(new LearnedLookup(NoiseLessons.empty(), "learned noise: not read ("
                        + e.getMessage() + "); each function's noise was learned from this analysis's pods only")))
                .defaultIfEmpty(new LearnedLookup(NoiseLessons.empty(), null));
        // The sources count this application's timeouts and unusable answers against its own circuit: one
        // application whose profiles are too large or too slow to fetch must not stop every other one's analyses.
        return Mono.zip(profiles, gates, heap, learned, analysedHeap)
                .contextWrite(SourceGuard.forApplication(service))
                .flatMap(both -> Mono.fromCallable(() -> {
                    Judged judged = judgeProfiles(request, source, both.getT1(), both.getT2(), both.getT3(),
                            both.getT4(), both.getT5(), waited, typeNotes);
                    Verdict verdict = withRestarts(withHeap(withGates(judged.verdict(), both.getT2(), request),
                            both.getT3()), both.getT1(), request);
                    Report report = reports.build(verdict, both.getT1().observations().get(Group.BASELINE),
                            both.getT1().observations().get(Group.CANARY), judgeConfig(request),
                            reportContexts.of(request, source, both.getT1().pods(), metricsQueried));
                    Instant completed = clock.instant();
                    return new Done(record(request, source, verdict, completed, Duration.between(received, completed),
                            report), learns ? judged.taught() : LearnedNoise.empty(), judged.teachers());
                }).subscribeOn(judgeScheduler))
                // The fetch stops at its own deadline, but judging and building the report take what they take: on a
                // saturated machine (or a judge pool busy with other analyses) that must still end in an answer
                // before the caller gives up, so past the deadline the caller gets an honest INCONCLUSIVE.
                .timeout(untilDeadline(request), Mono.fromCallable(() -> new Done(overrun(request, source, received),
                        LearnedNoise.empty(), Set.of())))
                .flatMap(done -> {
                    StoredAnalysis analysis = done.analysis();
                    judgeMetrics.verdict(request.application(), analysis.verdict().result(), source.name(),
                            analysis.elapsed());
                    // Saving and learning wait for the store together, never past the caller's deadline: what has
                    // not ended by then goes on without the caller (a save that fails is still logged and counted).
                    // A verdict that was not stored says so: its id and report link would otherwise 404 unexplained.
                    AtomicReference<SaveOutcome> saved = new AtomicReference<>(SaveOutcome.STILL_SAVING);
                    return Mono.when(store.save(analysis).doOnNext(saved::set), learn(service, done))
                            .timeout(untilDeadline(request), Mono.empty())
                            .then(Mono.fromSupplier(() -> unstored(analysis, saved.get())));
                });
    }

    /** The analysis as answered: when it was not (yet) stored, its verdict's warnings say so. */
    static StoredAnalysis unstored(StoredAnalysis analysis, SaveOutcome outcome) {
        if (outcome == SaveOutcome.SAVED) {
            return analysis;
        }
        Verdict verdict = analysis.verdict();
        String warning = (outcome == SaveOutcome.FAILED
                ? "store: this verdict was not stored (the verdict store failed; the service log says why)"
                : "store: this verdict was still being saved when the answer was due; it may not be stored")
                + ": GET /api/v1/analyses/" + analysis.id() + " and the report link may not find it";
        List<String> warnings = new ArrayList<>(verdict.dataQuality().warnings());
        warnings.add(warning);
        DataQuality quality = new DataQuality(verdict.dataQuality().types(), warnings, verdict.dataQuality().skipped(),
                verdict.dataQuality().memory(), verdict.dataQuality().requestMix());
        return new StoredAnalysis(analysis.id(), analysis.completedAt(), analysis.elapsed(), analysis.application(),
                analysis.namespace(), analysis.source(), analysis.config(), analysis.windowStart(), analysis.windowEnd(),
                analysis.baselineLabels(), analysis.canaryLabels(), analysis.profileTypes(),
                new Verdict(verdict.id(), verdict.result(), verdict.pass(), verdict.score(), verdict.summary(),
                        verdict.findings(), verdict.metrics(), quality, verdict.reportUrl(), verdict.hottest(),
                        verdict.incidents()), analysis.report());
    }

    /**
     * The key a service's learned noise is kept under: its application, within its namespace when the request
     * named one.
     */
    static String service(AnalysisRequest request) {
        return request.namespace() == null || request.namespace().isBlank() ? request.application()
                : request.namespace() + "/" + request.application();
    }

    /** Adds what the analysis's baseline taught; a failure costs only the lesson (logged), never the answer. */
    private Mono<Void> learn(String service, Done done) {
        if (done.taught().isEmpty() || done.teachers().isEmpty()) {
            return Mono.empty();
        }
        return store.learn(service, new NoiseLessons.Lesson(done.teachers(), done.taught()))
                .doOnError(e -> LOG.warn("learned noise of {}: this analysis's baseline was not added: {}", service,
                        e.getMessage()))
                .onErrorResume(e -> Mono.empty());
    }

    /**
     * The pods' heap after GC analysed once, before the judge ({@link MemoryVerdicts#analyseHeap}, the judge takes the
     * result), and the canary's goroutine and live-bytes profiles over the heap's window ({@code memoryGrowth.window}
     * before the analysis window's end), from which a failing Go heap's open connections are judged (docs/EVALUATION.md
     * "(qa87)", "A window after the step"): a window after a weight step sees no connections rising in its own profiles
     * while the heap it judges holds the step. The profiles are fetched only when the request asks for both types from a
     * source that applies windows, the heap's window reaches before the analysis window, the profiles were read whole,
     * and the heap FAILs as {@link AnalysedHeap#failsForConnections} says: analyses that do
     * not need them ask the source nothing more. A fetch that fails is a warning, and the connections are judged as
     * without it (from the analysis window's profiles). A client_golang heap ({@link HeapMeasure#GO_HEAP_IN_USE}) whose
     * canary profiles were fetched has the baseline's heap profiles fetched over the same window too
     * ({@link #baselineOver}).
     */
    private Mono<AnalysedHeapWindow> analysedHeap(AnalysisRequest request, ProfileSource source, Fetched fetched,
                                                  HeapFetcher.Fetched heap, Instant fetchBy) {
        Map<Group, List<Observation>> observations = fetched.observations();
        TimeWindow heapWindow = HeapFetcher.heapWindow(request);
        boolean mayFetch = source.timeAware() && request.profileTypes().containsAll(CONNECTION_TYPES)
                && heapWindow.start().isBefore(request.window().start()) && fetched.gaps().isEmpty()
                && !heap.windows().canary().isEmpty();
        return Mono.fromCallable(() -> MemoryVerdicts.analyseHeap(
                        HeapFetcher.withRequestRates(heap.windows(), observations), request.config().memoryGrowth(),
                        observations.get(Group.BASELINE), observations.get(Group.CANARY),
                        observations.get(Group.HISTORY), judgeConfig(request).frames()))
                .subscribeOn(judgeScheduler)
                .flatMap(analysed -> !mayFetch || !analysed.failsForConnections()
                        ? Mono.just(new AnalysedHeapWindow(analysed, List.of(), List.of(), List.of()))
                        : fetcher.canaryOver(request, source, heapWindow, CONNECTION_TYPES, fetchBy)
                        .map(canary -> new AnalysedHeapWindow(analysed, canary, List.of(), List.of()))
                        .onErrorResume(e -> Mono.just(new AnalysedHeapWindow(analysed, List.of(), List.of(),
                                List.of("heap after GC: the canary's goroutine and heap profiles over the heap's window ("
                                        + heapWindow.start() + " to " + heapWindow.end() + ") could not be read ("
                                        + FetchLog.oneLine(e) + "); its open connections were judged from the analysis"
                                        + " window's profiles"))))
                        .flatMap(canary -> heap.measure() != HeapMeasure.GO_HEAP_IN_USE || canary.canary().isEmpty()
                                ? Mono.just(canary) : baselineOver(request, source, heapWindow, canary, fetchBy)));
    }

    /**
     * {@code canary} with the baseline's heap profiles over the heap's window: a failing client_golang heap is judged
     * from every pod's heap profiles ({@code GoLiveHeap}, docs/EVALUATION.md "Go heap from the live set (qa91)"), and a
     * baseline seen over the analysis window only does not cover the ages of a canary seen over the heap's window. A
     * fetch that fails is a warning; the heap is then judged from the analysis window's baseline profiles.
     */
    private Mono<AnalysedHeapWindow> baselineOver(AnalysisRequest request, ProfileSource source, TimeWindow heapWindow,
                                                  AnalysedHeapWindow canary, Instant fetchBy) {
        return fetcher.baselineOver(request, source, heapWindow, List.of(ProfileType.LIVE_BYTES), fetchBy)
                .map(baseline -> new AnalysedHeapWindow(canary.analysed(), canary.canary(), baseline,
                        canary.warnings()))
                .onErrorResume(e -> Mono.just(new AnalysedHeapWindow(canary.analysed(), canary.canary(), List.of(),
                        List.of("heap after GC: the baseline's heap profiles over the heap's window ("
                                + heapWindow.start() + " to " + heapWindow.end() + ") could not be read ("
                                + FetchLog.oneLine(e) + "); the heap's live set was judged from the analysis window's"
                                + " baseline profiles"))));
    }

    /** Go's goroutine and heap profiles: what tells a failing heap's open connections ({@link #analysedHeap}). */
    private static final List<ProfileType> CONNECTION_TYPES = List.of(ProfileType.GOROUTINES, ProfileType.LIVE_BYTES);

    /**
     * The heap after GC as analysed before the judge, and the canary's and the baseline's profiles over the heap's
     * window with why they could not be read.
     *
     * @param analysed the heap's analysis, which the judge adds to the verdict as it is
     * @param canary   empty when not fetched (the analysis window's profiles judge the connections)
     * @param baseline the baseline's heap profiles; empty when not fetched (a client_golang heap's live set is then
     *                 judged from the analysis window's)
     * @param warnings for {@code dataQuality.warnings}
     */
    private record AnalysedHeapWindow(AnalysedHeap analysed, List<Observation> canary, List<Observation> baseline,
                                      List<String> warnings) {
    }

    /** The service's lessons as read, and a warning when they could not be read. */
    private record LearnedLookup(NoiseLessons lessons, String warning) {
    }

    /**
     * A verdict, what its baseline taught of each function's noise (empty when the analysis lacked data), and the
     * baseline and history JVMs that taught it.
     */
    private record Judged(Verdict verdict, LearnedNoise taught, Set<String> teachers) {
        static Judged only(Verdict verdict) {
            return new Judged(verdict, LearnedNoise.empty(), Set.of());
        }
    }

    /** A finished analysis and its lesson. */
    private record Done(StoredAnalysis analysis, LearnedNoise taught, Set<String> teachers) {
    }

    /** Time left until the request's deadline plus {@link #OVERRUN_GRACE}; never less than the grace. */
    private Duration untilDeadline(AnalysisRequest request) {
        Duration left = Duration.between(clock.instant(), request.deadline().at());
        return (left.isNegative() ? Duration.ZERO : left).plus(OVERRUN_GRACE);
    }

    /** The answer when judging had not finished by the deadline: INCONCLUSIVE, stored like any verdict. */
    private StoredAnalysis overrun(AnalysisRequest request, ProfileSource source, Instant received) {
        String id = UUID.randomUUID().toString();
        String reason = "INCONCLUSIVE: judging had not finished when the " + seconds(request.deadline().allowed())
                + " deadline came (a busy machine, or more data than the deadline allows); ask again, or give the"
                + " analysis a longer deadline (canary-judge.analysis.deadline, or deadline in the request) below the"
                + " caller's timeout.";
        Verdict verdict = new Verdict(id, Result.INCONCLUSIVE, false, 50, reason, List.of(), List.of(),
                new DataQuality(List.of(), List.of(reason), request.skipped()),
                request.reportBaseUrl() + "/reports/" + id, List.of(), List.of());
        Instant completed = clock.instant();
        return record(request, source, verdict, completed, Duration.between(received, completed), Report.of(verdict));
    }

    private Judged judgeProfiles(AnalysisRequest request, ProfileSource source, Fetched fetched,
                                 MetricGateChecks.Checked gates, HeapFetcher.Fetched heap, LearnedLookup learned,
                                 AnalysedHeapWindow analysedHeap, Duration waited, List<String> typeNotes) {
        JudgeConfig config = judgeConfig(request);
        Map<Group, List<Observation>> observations = fetched.observations();
        // The baseline and history JVMs teach this analysis's lesson, and their own earlier lessons do not judge it.
        Set<String> teachers = new LinkedHashSet<>(fetched.pods().getOrDefault(Group.BASELINE, Set.of()));
        teachers.addAll(fetched.pods().getOrDefault(Group.HISTORY, Set.of()));
        Judge.Judgement judgement = judge.judge(observations.get(Group.BASELINE), observations.get(Group.CANARY),
                observations.get(Group.HISTORY), heap.measure(), analysedHeap.analysed(), analysedHeap.canary(), analysedHeap.baseline(),
                learned.lessons().learnedFor(teachers), config,
                request.config().memoryGrowth());
        Verdict judged = judgement.verdict();

        List<String> warnings = new ArrayList<>(typeNotes);
        warnings.addAll(source.notes());
        if (learned.warning() != null) {
            warnings.add(learned.warning());
        }
        warnings.addAll(windowNotes(request, source));
        warnings.addAll(fetched.warnings());
        warnings.addAll(heap.warnings());
        warnings.addAll(analysedHeap.warnings());
        if (!observations.get(Group.HISTORY).isEmpty()) {
            warnings.add("history: " + observations.get(Group.HISTORY).size() + " earlier observation(s) of "
                    + fetched.pods().get(Group.HISTORY).size() + " baseline pod(s) used to learn noise only");
        } else if (request.history() == null && !source.timeAware() && request.config().historyWindows() > 0) {
            warnings.add("history: not fetched, the " + source.name() + " source ignores windows (earlier windows"
                    + " would be the same profiles)");
        }
        for (String gap : fetched.gaps()) {
            warnings.add("missing: " + gap);
        }
        for (String gap : gates.gaps()) {
            warnings.add("missing: metric " + gap);
        }
        warnings.addAll(gates.warnings());
        DataQuality quality = judged.dataQuality();
        List<String> allWarnings = new ArrayList<>(quality == null ? List.of() : quality.warnings());
        allWarnings.addAll(warnings);
        DataQuality merged = new DataQuality(quality == null ? List.of() : quality.types(), allWarnings,
                quality == null ? List.of() : quality.skipped(), quality == null ? null : quality.memory(),
                quality == null ? null : quality.requestMix())
                .withSkipped(request.skipped())
                .withSkipped(fetched.skipped());

        String id = UUID.randomUUID().toString();
        Verdict verdict = judged.withDataQuality(merged).withId(id)
                .withReportUrl(request.reportBaseUrl() + "/reports/" + id)
                .withMetrics(gates.results().stream().map(r -> r.comparison()).toList());
        Set<String> inBoth = new TreeSet<>(fetched.pods().get(Group.BASELINE));
        inBoth.retainAll(fetched.pods().get(Group.CANARY));
        if (!inBoth.isEmpty() && !UPLOAD_SOURCE.equals(source.name())) {
            // Same instance name, same JVM: the canary would be compared with itself (diluted into the baseline),
            // and a regression would PASS. Uploads name their instances per group, so they never meet here.
            String reason = "INCONCLUSIVE: " + inBoth.size() + " pod(s) match both the baseline and the canary"
                    + " selectors (" + FetchLog.describe(request.baseline()) + "; " + FetchLog.describe(request.canary())
                    + "): " + String.join(", ", inBoth.stream().limit(10).toList())
                    + (inBoth.size() > 10 ? " …" : "") + "; nothing was judged: choose labels that tell the stable"
                    + " pods from the canary pods (an empty value matches pods without the label).";
            List<String> overlapWarnings = new ArrayList<>(verdict.dataQuality().warnings());
            overlapWarnings.add(0, reason.substring("INCONCLUSIVE: ".length()));
            return Judged.only(new Verdict(verdict.id(), Result.INCONCLUSIVE, false, 50, reason, List.of(),
                    verdict.metrics(), new DataQuality(verdict.dataQuality().types(), overlapWarnings,
                    verdict.dataQuality().skipped(), verdict.dataQuality().memory(), verdict.dataQuality().requestMix()),
                    verdict.reportUrl(), List.of(),
                    List.of()));
        }
        if (!fetched.gaps().isEmpty()) {
            boolean judgedSome = !observations.get(Group.BASELINE).isEmpty() && !observations.get(Group.CANARY).isEmpty();
            return Judged.only(inconclusive(verdict, "data missing: " + fetched.gaps().get(0)
                    + (fetched.gaps().size() > 1 ? " (and " + (fetched.gaps().size() - 1) + " more gaps, see dataQuality)"
                    : "") + lateStart(request, waited), judgedSome ? judged : null));
        }
        boolean noCanary = fetched.pods().get(Group.CANARY).isEmpty();
        boolean noBaseline = fetched.pods().get(Group.BASELINE).isEmpty();
        if (noCanary || noBaseline) {
            // Neither group found (an application name the source does not know, a window with no profiles) is said as
            // such: "no canary profiles" alone sent users looking at the canary's labels when nothing matched at all.
            String missing = noCanary && noBaseline
                    ? "no baseline or canary profiles: baseline " + FetchLog.describe(request.baseline()) + "; canary "
                            + FetchLog.describe(request.canary())
                    : "no " + (noCanary ? Group.CANARY : Group.BASELINE).word() + " profiles of "
                            + FetchLog.describe(noCanary ? request.canary() : request.baseline());
            String types = request.profileTypes().stream().map(ProfileType::id).sorted()
                    .collect(Collectors.joining(", "));
            if (noCanary && !noBaseline && !fetched.warmupOnly().isEmpty()) {
                // The canary pods are there: they started inside the window, and their warm-up covers the rest of it.
                List<String> young = fetched.warmupOnly();
                boolean restarted = young.stream().anyMatch(fetched.silences()::containsKey);
                return Judged.only(inconclusive(verdict, "every canary pod started" + (restarted ? " or restarted" : "")
                        + " inside the window, and its warm-up (the first " + span(request.config().warmup())
                        + " after its first profile" + (restarted ? " or after its profiles resumed" : "") + ":"
                        + " the JIT and class loading are not the new code's cost) covers the rest of it, so none of its"
                        + " profiles was judged (" + young.size() + " pod(s): " + String.join(", ",
                        young.stream().limit(5).toList()) + (young.size() > 5 ? ", …" : "") + "); judge a window that"
                        + " ends at least " + span(request.config().warmup()) + " after the canary pods"
                        + " started", null));
            }
            String reason = missing + (source.timeAware() ? " between " + request.window().start() + " and "
                    + request.window().end() : "") + " (source: " + source.name() + "; profile types: " + types + ")";
            if (judged.result() == Result.FAIL) {
                // Memory that grew abnormally (the heap after GC, an area outside it) fails the canary without any
                // profile: the missing profiles could only have added a FAIL, so the FAIL stands and says what it
                // could not judge (it was "INCONCLUSIVE: no canary profiles" with a failing leak in its findings).
                List<String> failWarnings = new ArrayList<>(verdict.dataQuality().warnings());
                failWarnings.add(0, reason + ": profiles not judged");
                return Judged.only(verdict.withDataQuality(new DataQuality(verdict.dataQuality().types(),
                        failWarnings, verdict.dataQuality().skipped(), verdict.dataQuality().memory(),
                        verdict.dataQuality().requestMix())));
            }
            return Judged.only(inconclusive(verdict, reason, null));
        }
        return new Judged(verdict, judgement.taught(), teachers);
    }

    /** "2 min", "90 s": a warm-up's length in words. */
    private static String span(Duration d) {
        long seconds = d.toSeconds();
        return seconds % 60 == 0 ? seconds / 60 + " min" : seconds + " s";
    }

    /**
     * The metric gates' say: a gate that fails the verdict makes it FAIL (its reason first); a missing gate that
     * could have failed it, or one that could not judge though its metric exists (a canary without requests, too
     * few points), leaves a PASS INCONCLUSIVE (it could only have added a FAIL, so a FAIL stands).
     */
    private static Verdict withGates(Verdict verdict, MetricGateChecks.Checked gates, AnalysisRequest request) {
        List<io.canaryjudge.metricgate.MetricGateResult> failing = gates.failing();
        if (!failing.isEmpty()) {
            StringBuilder summary = new StringBuilder("FAIL: ");
            for (int i = 0; i < failing.size(); i++) {
                io.canaryjudge.verdict.MetricComparison metric = failing.get(i).comparison();
                summary.append(i == 0 ? "" : "; ").append(metric.name()).append(' ').append(metric.note());
            }
            summary.append('.');
            if (verdict.result() == Result.FAIL && verdict.summary() != null) {
                summary.append(' ').append(verdict.summary());
            }
            return new Verdict(verdict.id(), Result.FAIL, false, 0, summary.toString(), verdict.findings(),
                    verdict.metrics(), verdict.dataQuality(), verdict.reportUrl(), verdict.hottest(),
                    verdict.incidents());
        }
        if (verdict.result() == Result.PASS && gates.missingVerdictGate(request.config().gates())) {
            return inconclusive(verdict, "data missing: metric " + gates.gaps().get(0), verdict);
        }
        Optional<io.canaryjudge.metricgate.MetricGateResult> undecided =
                gates.undecidedVerdictGate(request.config().gates());
        if (verdict.result() == Result.PASS && undecided.isPresent()) {
            io.canaryjudge.verdict.MetricComparison metric = undecided.get().comparison();
            return inconclusive(verdict, "metric " + metric.name() + " could not be judged, and it can fail the"
                    + " verdict: " + metric.note(), verdict);
        }
        return verdict;
    }

    /**
     * Canary pods whose profiles stopped and resumed inside the window (a restart under the same pod name, or a
     * profiler that did not upload) are said in the summary, naming the pod and when: a release engineer reads a
     * restarted canary before its profiles, and a PASS must not hide it. A pod that did so twice or more is a
     * crash-looping canary whatever its profiles show: its PASS becomes INCONCLUSIVE (a FAIL stands).
     */
    static Verdict withRestarts(Verdict verdict, Fetched fetched, AnalysisRequest request) {
        if (fetched.silences().isEmpty() || verdict.summary() == null) {
            return verdict;
        }
        List<String> pods = new ArrayList<>();
        String looping = null;
        for (Map.Entry<String, List<TimeWindow>> pod : fetched.silences().entrySet()) {
            List<String> times = pod.getValue().stream().map(s -> FetchLog.second(s.start()) + " until "
                    + FetchLog.second(s.end())).toList();
            pods.add(pod.getKey() + " (" + String.join(", ", times) + ")");
            if (pod.getValue().size() >= 2 && looping == null) {
                looping = "canary pod " + pod.getKey() + " stopped sending profiles " + pod.getValue().size()
                        + " times inside the window (" + String.join(", ", times) + "): a canary that keeps restarting"
                        + " (OOMKilled, failed liveness probes) is not shown healthy by the profiles of its short-lived"
                        + " JVMs; look at its restarts and events (kubectl describe pod " + pod.getKey() + ")";
            }
        }
        if (verdict.result() == Result.PASS && looping != null) {
            return inconclusive(verdict, looping, verdict);
        }
        if (looping != null) {
            return verdict.withSummary(verdict.summary() + " " + Character.toUpperCase(looping.charAt(0))
                    + looping.substring(1) + ".");
        }
        String note = " Canary pod" + (pods.size() > 1 ? "s " : " ") + String.join("; ", pods) + " sent no profiles"
                + " inside the window: restarted (a new JVM under the same name) or its profiler did not upload; the "
                + span(request.config().warmup()) + " after each were left out as a new JVM's warm-up.";
        return verdict.withSummary(verdict.summary() + note);
    }

    /**
     * A memory check whose heap could not be read (its origin down, erroring or too slow) leaves a PASS
     * INCONCLUSIVE, as a missing metric gate does: it could only have added a FAIL, so a FAIL stands. Heap that was
     * read but holds no series for the pods is no such gap (see {@link HeapFetcher}).
     */
    private static Verdict withHeap(Verdict verdict, HeapFetcher.Fetched heap) {
        if (verdict.result() == Result.PASS && heap.unread() != null) {
            return inconclusive(verdict, heap.unread(), verdict);
        }
        return verdict;
    }

    /**
     * The judge's config for this request: only the requested types are judged, and warm-up has been applied
     * by slice selection (per pod, from when the source first saw it), so the judge must not drop more.
     */
    private static JudgeConfig judgeConfig(AnalysisRequest request) {
        JudgeConfig config = request.config().judge();
        Set<ProfileType> judged = EnumSet.noneOf(ProfileType.class);
        for (ProfileType type : request.profileTypes()) {
            if (config.judgedTypes().contains(type)) {
                judged.add(type);
            }
        }
        return config.withJudgedTypes(judged).withWarmup(Duration.ZERO);
    }

    private List<String> windowNotes(AnalysisRequest request, ProfileSource source) {
        if (!source.timeAware()) {
            return List.of();
        }
        List<TimeWindow> slices = request.window().split(settings.slice());
        if (slices.size() >= FEW_SLICES) {
            return List.of();
        }
        return List.of("the window of " + seconds(request.window().length()) + " gives " + slices.size()
                + " slice(s) of " + seconds(settings.slice()) + " per pod; " + FEW_SLICES
                + " or more give the judge a firmer estimate of slice-to-slice noise");
    }

    /**
     * The verdict turned INCONCLUSIVE: {@code reason} first; what the judge made of the data that did arrive
     * (when it judged any) kept after it, and its findings kept, for a person to read — not for a rollout to act on.
     */
    private static Verdict inconclusive(Verdict verdict, String reason, Verdict onPartialData) {
        String summary = "INCONCLUSIVE: " + reason + ".";
        if (onPartialData != null && onPartialData.summary() != null) {
            summary += " On the data that did arrive: " + onPartialData.summary();
        }
        return new Verdict(verdict.id(), Result.INCONCLUSIVE, false, 50, summary, verdict.findings(),
                verdict.metrics(), verdict.dataQuality(), verdict.reportUrl(), verdict.hottest(), verdict.incidents());
    }

    private static StoredAnalysis record(AnalysisRequest request, ProfileSource source, Verdict verdict,
                                         Instant completed, Duration elapsed, Report report) {
        // A source that ignores windows (uploads, the local directory by default) judged no window.
        TimeWindow window = source.timeAware() ? request.window() : null;
        return new StoredAnalysis(verdict.id(), completed, elapsed, request.application(), request.namespace(),
                source.name(), request.configName(), window == null ? null : window.start(),
                window == null ? null : window.end(),
                labels(request.baseline()), labels(request.canary()),
                request.profileTypes().stream().map(ProfileType::id).toList(), verdict, report);
    }

    private static Map<String, String> labels(ProfileSelector selector) {
        Map<String, String> labels = new LinkedHashMap<>();
        for (LabelMatcher matcher : selector.labels()) {
            labels.put(matcher.name(), matcher.value());
        }
        return labels;
    }

    /**
     * Says how much of the deadline went before the analysis started, when that was a second or more (less is the
     * request's own parsing and scheduling) and the fetch then ran until its time was up: the missing data are then
     * the service's backlog as much as the source's slowness. Empty otherwise, also when the source failed before
     * the fetch's time was up (waiting did not cause that).
     */
    private String lateStart(AnalysisRequest request, Duration waited) {
        Instant fetchBy = request.deadline().at().minus(settings.judgeTime());
        if (waited.compareTo(Duration.ofSeconds(1)) < 0 || clock.instant().isBefore(fetchBy)) {
            return "";
        }
        Duration fetchTime = request.deadline().allowed().minus(settings.judgeTime()).minus(waited);
        return String.format(Locale.ROOT, "; this analysis started %.1f s after its request arrived (waiting for one of"
                        + " the %d analysis slots, canary-judge.analysis.max-concurrent, or receiving an upload), which"
                        + " left %.1f s of its %s deadline to fetch: the judge is busy, ask again",
                waited.toMillis() / 1000.0, settings.maxConcurrent(),
                Math.max(0, fetchTime.toMillis()) / 1000.0, request.deadline().allowedText());
    }

    private static String seconds(Duration duration) {
        long s = duration.toSeconds();
        return s % 60 == 0 && s >= 60 ? s / 60 + " min" : s + " s";
    }
}
