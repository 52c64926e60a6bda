package io.canaryjudge.analysis;

import io.canaryjudge.judge.Observation;
import io.canaryjudge.judge.memory.AreaWindows;
import io.canaryjudge.judge.memory.HeapMeasure;
import io.canaryjudge.judge.memory.HeapWindows;
import io.canaryjudge.judge.memory.MemoryAreas;
import io.canaryjudge.judge.memory.PodHeap;
import io.canaryjudge.judge.memory.PrometheusHeap;
import io.canaryjudge.judge.memory.RecordedAreas;
import io.canaryjudge.metrics.HeapQueries;
import io.canaryjudge.metrics.MemoryAreaQuery;
import io.canaryjudge.metrics.QueryTemplate;
import io.canaryjudge.metrics.TimeSeries;
import io.canaryjudge.profile.ProfileType;
import io.canaryjudge.profile.heap.HeapSeries;
import io.canaryjudge.profile.heap.MemoryAreaSeries;
import io.canaryjudge.profile.source.LabelMatcher;
import io.canaryjudge.profile.source.ProfileSelector;
import io.canaryjudge.profile.source.ProfileSource;
import io.canaryjudge.profile.source.TimeWindow;
import io.canaryjudge.source.Deadline;
import io.canaryjudge.source.SourceGuard;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeoutException;
import reactor.core.publisher.Flux;
import reactor.core.publisher.Mono;

/**
 * Each pod's heap after GC, for the memory-growth check: the baseline's and the canary's pods over the window, and
 * the baseline's earlier windows (or the request's history group) as history — with the JVMs' start times, so that
 * a young canary's warm-up is recognised, and for a young canary each baseline pod's heap at the same age.
 *
 * <p>From one origin per analysis, never mixed: Prometheus's heap queries, or the files beside the profiles
 * ({@link ProfileSource#heap}: {@code heap.csv}, else the JFR recordings' heap summaries, read as {@code compare}
 * reads them). Prometheus when it is configured, the files when it is not or when it has no heap series for the
 * pods; an upload's own files always. A source that does not apply windows gives its files whole (as
 * {@code compare} judges them), and then no earlier windows exist.
 *
 * <p>When the origin fails for the baseline or canary pods (Prometheus refused, down, erroring or slower than the
 * deadline; the files unreadable), the memory check is not judged and {@link Fetched#unread()} says why: a PASS
 * must not stand on a check that could not run. An origin that answers without any heap for the pods (their
 * exporter has no such metric) is only a warning: apps without the metric must still be able to pass.
 */
final class HeapFetcher {
    private final RequestMetrics metrics;
    private final String instanceLabel;
    private final Duration step;
    private final Clock clock;

    /**
     * @param metrics       Prometheus; null when not configured (then only files give heap)
     * @param instanceLabel the label naming a pod in the heap series (as in the profiles)
     * @param step          resolution of the heap queries: one point per pod and step
     */
    HeapFetcher(RequestMetrics metrics, String instanceLabel, Duration step, Clock clock) {
        this.metrics = metrics;
        this.instanceLabel = instanceLabel;
        this.step = step;
        this.clock = clock;
    }

    /**
     * What the heap origin delivered.
     *
     * @param windows  the pods' heap, without request rates (see {@link #withRequestRates}); empty when not fetched
     * @param warnings what went wrong or was left out, for {@code dataQuality.warnings}
     * @param unread   why the heap could not be read although its origin is configured (e.g. {@code heap after GC
     *                 could not be read from Prometheus: Connection refused; memory growth not judged}), or null:
     *                 a PASS becomes INCONCLUSIVE with it
     * @param measure  what the heap series measures: client_golang's heap in use ({@link HeapMeasure#GO_HEAP_IN_USE})
     *                 when Prometheus answered the {@code client-golang} preset's own query ({@link HeapMeasure#of})
     */
    record Fetched(HeapWindows windows, List<String> warnings, String unread, HeapMeasure measure) {
        static final Fetched NONE = new Fetched(new HeapWindows(List.of(), List.of(), List.of()), List.of(), null);

        /** A heap as given ({@link HeapMeasure#AS_GIVEN}). */
        Fetched(HeapWindows windows, List<String> warnings, String unread) {
            this(windows, warnings, unread, HeapMeasure.AS_GIVEN);
        }
    }

    /** Where the pods' heap comes from. */
    private interface Origin {
        /** For messages: {@code Prometheus}, {@code the local source's files}. */
        String name();

        /** Whether the origin applies windows: then earlier windows, and the baseline at the canary's age, exist. */
        boolean windowed();

        /** The warning when the origin has no heap for any baseline or canary pod; null to say nothing. */
        String noHeap();

        /** What the origin's heap series measures. */
        default HeapMeasure measure() {
            return HeapMeasure.AS_GIVEN;
        }

        /** The selected pods' heap over {@code window}. */
        Mono<List<PodHeap>> pods(ProfileSelector selector, TimeWindow window);

        /**
         * The selected pods' live set over {@code window} as a second series beside their heap
         * ({@link HeapQueries#liveSetFallback()}), judged only when the heap cannot resolve growth; null when the origin
         * has no such series to ask for.
         */
        default Mono<List<PodHeap>> liveData(ProfileSelector selector, TimeWindow window) {
            return null;
        }

        /** The selected pods' memory outside the heap over {@code window}, one entry per area; none by default. */
        default Mono<List<AreaPart>> areas(ProfileSelector selector, TimeWindow window) {
            return Mono.just(List.of());
        }

        /**
         * Whether an area only one group has is a difference in how the pods were recorded (files: another JDK, no
         * jfrsync), said as a warning; an exporter without a series (Prometheus) only leaves a note.
         */
        default boolean recorded() {
            return false;
        }
    }

    /** One area's pods in one part; {@code failure} when its query failed (a warning: the area is judged without it). */
    /** One area of one group: its pods with points, a failure, and the group's pods whose files hold none of it. */
    private record AreaPart(String area, boolean threads, List<PodHeap> pods, Throwable failure, List<String> lacking) {
        AreaPart(String area, boolean threads, List<PodHeap> pods, Throwable failure) {
            this(area, threads, pods, failure, List.of());
        }
    }

    /**
     * @param liveData        the live-set series beside the heap ({@link Origin#liveData}); null when not asked or it
     *                        failed
     * @param liveDataFailure why the live-set series could not be read; null when it was read or not asked
     */
    private record Part(Group group, String label, List<PodHeap> pods, Throwable failure, List<AreaPart> areas,
                        List<PodHeap> liveData, Throwable liveDataFailure) {
        Part(Group group, String label, List<PodHeap> pods, Throwable failure) {
            this(group, label, pods, failure, List.of(), null, null);
        }
    }

    /** The live-set series of one part as read: its pods, or why it failed; neither when not asked. */
    private record LiveRead(List<PodHeap> pods, Throwable failure) {
        static final LiveRead NOT_ASKED = new LiveRead(null, null);
    }

    /**
     * The pods' heap over the request's windows, by {@code fetchBy}; never an error. From the source's files when
     * {@code filesOnly} or Prometheus is not configured; else from Prometheus, and from the files only where
     * Prometheus answers without any series for the baseline and canary pods (never when it fails: a source that is
     * down must not change which data judge the canary).
     *
     * @param profilesRead whether the source's profiles were read without a gap: the files are asked only after
     *                     that, and only then
     */
    Mono<Fetched> fetch(AnalysisRequest request, ProfileSource source, boolean filesOnly, Mono<Boolean> profilesRead,
                        Instant fetchBy) {
        if (!request.config().memoryGrowth().enabled()) {
            return Mono.just(Fetched.NONE);
        }
        Origin files = files(source, profilesRead);
        if (filesOnly || metrics == null) {
            return fetch(request, files, fetchBy);
        }
        return fetch(request, prometheus(request.config().heapQueries()), fetchBy).flatMap(fromPrometheus -> {
            if (fromPrometheus.unread() != null || !fromPrometheus.windows().isEmpty()) {
                return Mono.just(fromPrometheus);
            }
            return fetch(request, files, fetchBy).map(fromFiles -> {
                if (fromFiles.unread() == null && fromFiles.windows().isEmpty()) {
                    return fromPrometheus; // no heap anywhere: Prometheus's warning says what to check
                }
                List<String> warnings = new ArrayList<>();
                warnings.add("heap after GC: Prometheus has no series for the baseline or canary pods; judged from "
                        + files.name() + " (heap.csv, JFR heap summaries)");
                warnings.addAll(fromFiles.warnings());
                return new Fetched(fromFiles.windows(), warnings, fromFiles.unread());
            });
        });
    }

    private Mono<Fetched> fetch(AnalysisRequest request, Origin origin, Instant fetchBy) {
        List<Mono<Part>> parts = new ArrayList<>();
        TimeWindow window = heapWindow(request);
        parts.add(part(origin, Group.BASELINE, "baseline", request.baseline(), window));
        parts.add(part(origin, Group.CANARY, "canary", request.canary(), window));
        if (request.history() != null) {
            parts.add(part(origin, Group.HISTORY, "history", request.history(), window));
        } else if (origin.windowed()) {
            Duration length = window.length();
            for (int k = 1; k <= request.config().historyWindows(); k++) {
                TimeWindow earlier = new TimeWindow(window.start().minus(length.multipliedBy(k)),
                        window.end().minus(length.multipliedBy(k)));
                parts.add(part(origin, Group.HISTORY, "history window " + k, request.baseline(), earlier));
            }
        }
        Duration budget = Duration.between(clock.instant(), fetchBy);
        Deadline deadline = request.deadline();
        return Flux.merge(parts).collectList()
                .flatMap(first -> sameAge(origin, request, first).map(more -> {
                    List<Part> all = new ArrayList<>(first);
                    all.addAll(more);
                    return all;
                }))
                .timeout(budget.isNegative() ? Duration.ZERO : budget)
                .contextWrite(context -> context.put(Deadline.class, deadline))
                .map(all -> assemble(origin, all))
                .onErrorResume(e -> {
                    String why = e instanceof TimeoutException
                            ? "was not read from " + origin.name() + " before the " + deadline.allowedText() + " deadline"
                            : "could not be read from " + origin.name() + ": " + FetchLog.oneLine(e);
                    return Mono.just(new Fetched(Fetched.NONE.windows(),
                            List.of("heap after GC: " + why + "; memory growth not judged"),
                            "heap after GC " + why + "; memory growth not judged"));
                });
    }

    private Origin prometheus(HeapQueries queries) {
        return new Origin() {
            @Override
            public String name() {
                return "Prometheus";
            }

            @Override
            public boolean windowed() {
                return true;
            }

            @Override
            public String noHeap() {
                // The pods' exporter is not scraped, or the query does not fit it. Not a memory check, and no reason
                // to hold back a PASS (an application without the metric could never pass).
                return "heap after GC: Prometheus has no series for the baseline or canary pods (is the heap query"
                        + " right for their exporter? canary-judge.prometheus.heap.*); memory growth not judged";
            }

            @Override
            public HeapMeasure measure() {
                return HeapMeasure.of(queries);
            }

            @Override
            public Mono<List<PodHeap>> pods(ProfileSelector selector, TimeWindow window) {
                return Mono.zip(metrics.series(queries.heapAfterGc(), selector, window, step),
                                metrics.series(queries.jvmStart(), selector, window, step))
                        .map(both -> PrometheusHeap.pods(both.getT1(), both.getT2(), instanceLabel, Map.of(),
                                queries.liveSet()));
            }

            @Override
            public Mono<List<PodHeap>> liveData(ProfileSelector selector, TimeWindow window) {
                QueryTemplate live = queries.liveSetFallback();
                if (live == null) {
                    return null;
                }
                return Mono.zip(metrics.series(live, selector, window, step),
                                metrics.series(queries.jvmStart(), selector, window, step))
                        .map(both -> PrometheusHeap.pods(both.getT1(), both.getT2(), instanceLabel, Map.of(), true));
            }

            @Override
            public Mono<List<AreaPart>> areas(ProfileSelector selector, TimeWindow window) {
                if (queries.areas().isEmpty()) {
                    return Mono.just(List.of());
                }
                List<Mono<AreaPart>> areas = new ArrayList<>();
                // The JVM start is asked once for all areas (not shared with the heap's: an area must not depend on the
                // heap query's answer), and the areas at once: asked one after another, six calls more stood between the
                // heap and the analysis's deadline.
                Mono<List<TimeSeries>> starts =
                        metrics.series(queries.jvmStart(), selector, window, step).cache();
                for (MemoryAreaQuery area : queries.areas()) {
                    long scale = area.countsThreads() ? MemoryAreas.THREAD_STACK_BYTES : 1; // bytes per unit counted
                    areas.add(Mono.zip(metrics.series(area.query(), selector, window, step), starts)
                            .map(both -> new AreaPart(area.area(), area.countsThreads(),
                                    PrometheusHeap.usage(both.getT1(), both.getT2(), instanceLabel, scale), null))
                            .onErrorResume(e -> Mono.just(new AreaPart(area.area(), area.countsThreads(), List.of(), e))));
                }
                return Flux.mergeSequential(areas).collectList();
            }
        };
    }

    /**
     * The source's files: whole when the source ignores windows, else the points inside the window; none when
     * {@code profilesRead} says the source failed.
     */
    private static Origin files(ProfileSource source, Mono<Boolean> profilesRead) {
        return new Origin() {
            @Override
            public String name() {
                return "the " + source.name() + " source's files";
            }

            @Override
            public boolean windowed() {
                return source.timeAware();
            }

            @Override
            public String noHeap() {
                return null; // files without heap.csv or JFR heap summaries: no memory check, as compare has none
            }

            @Override
            public Mono<List<PodHeap>> pods(ProfileSelector selector, TimeWindow window) {
                return profilesRead.flatMap(read -> read ? source.heap(selector)
                        : Mono.just(Map.<String, HeapSeries>of())).map(heaps -> {
                    List<PodHeap> pods = new ArrayList<>();
                    heaps.forEach((instance, heap) -> {
                        HeapSeries points = windowed() ? inside(heap, window) : heap;
                        if (!points.isEmpty()) {
                            pods.add(new PodHeap(instance, points));
                        }
                    });
                    return pods;
                });
            }

            @Override
            public Mono<List<AreaPart>> areas(ProfileSelector selector, TimeWindow window) {
                return profilesRead.flatMap(read -> read ? source.areas(selector)
                        : Mono.just(Map.<String, MemoryAreaSeries>of())).map(recorded -> {
                    List<AreaPart> areas = new ArrayList<>();
                    for (String area : MemoryAreaSeries.NAMES) {
                        List<PodHeap> pods = new ArrayList<>();
                        List<String> lacking = new ArrayList<>();
                        recorded.forEach((instance, series) -> {
                            PodHeap pod = RecordedAreas.pod(instance, series, area);
                            HeapSeries points = pod == null ? null : windowed() ? inside(pod.heap(), window) : pod.heap();
                            if (points != null && !points.isEmpty()) {
                                pods.add(new PodHeap(instance, points, null, true));
                            } else if (pod == null) {
                                lacking.add(instance); // its files hold none of this area
                            }
                        });
                        areas.add(new AreaPart(area, MemoryAreaSeries.counted(area), pods, null, lacking));
                    }
                    return areas;
                });
            }

            @Override
            public boolean recorded() {
                return true;
            }
        };
    }

    /** The points of {@code heap} inside {@code window} (start and end included). */
    private static HeapSeries inside(HeapSeries heap, TimeWindow window) {
        long from = window.start().toEpochMilli();
        long to = window.end().toEpochMilli();
        int first = 0;
        while (first < heap.size() && heap.timestampMillis(first) < from) {
            first++;
        }
        int last = first;
        while (last < heap.size() && heap.timestampMillis(last) <= to) {
            last++;
        }
        return new HeapSeries(heap.source(), heap.jvmStartMillis(),
                Arrays.copyOfRange(heap.timestampsMillis(), first, last),
                Arrays.copyOfRange(heap.heapAfterGcBytes(), first, last)).withSettings(heap.settings());
    }

    /**
     * The window the heap is judged over: the analysis window, or {@code memoryGrowth.window} before its end when that
     * is longer (a saw-tooth heap needs more old-generation collections than a profile comparison needs minutes).
     * Earlier baseline windows are as long, and a pod younger than it has points from its start only.
     */
    static TimeWindow heapWindow(AnalysisRequest request) {
        TimeWindow window = request.window();
        Duration wanted = request.config().memoryGrowth().window();
        return wanted.compareTo(window.length()) <= 0 ? window : new TimeWindow(window.end().minus(wanted), window.end());
    }

    /**
     * Young canaries: when a canary pod is younger than the warm-up, each baseline pod's heap at the canary pods'
     * age (its own first minutes, while its caches warmed), so the canary is compared with the baseline version at
     * that age instead of losing its warm-up. Only where Prometheus still holds them and they lie before the window.
     */
    private Mono<List<Part>> sameAge(Origin origin, AnalysisRequest request, List<Part> first) {
        if (!origin.windowed() || request.history() != null
                || first.stream().anyMatch(p -> p.group() != Group.HISTORY && p.failure() != null)) {
            return Mono.just(List.of());
        }
        TimeWindow window = heapWindow(request);
        long warmup = request.config().memoryGrowth().warmup().toMillis();
        // The first point a heap query answers is one step into the window: the age the check sees first.
        long firstPoint = window.start().plus(step).toEpochMilli();
        long ageFrom = Long.MAX_VALUE;
        long ageTo = Long.MIN_VALUE;
        for (Part part : first) {
            for (PodHeap pod : part.group() == Group.CANARY ? part.pods() : List.<PodHeap>of()) {
                long start = pod.heap().jvmStartMillis();
                if (start >= 0) {
                    ageFrom = Math.min(ageFrom, Math.max(0, firstPoint - start));
                    ageTo = Math.max(ageTo, window.end().toEpochMilli() - start);
                }
            }
        }
        if (ageFrom == Long.MAX_VALUE || ageFrom >= warmup || ageTo <= ageFrom) {
            return Mono.just(List.of());
        }
        List<Mono<Part>> parts = new ArrayList<>();
        for (Part part : first) {
            for (PodHeap pod : part.group() == Group.BASELINE ? part.pods() : List.<PodHeap>of()) {
                long start = pod.heap().jvmStartMillis();
                if (start < 0 || start + ageFrom >= window.start().toEpochMilli()) {
                    // age unknown, or as young as the canary: the window itself holds its same age (or nothing does)
                    continue;
                }
                List<LabelMatcher> labels = new ArrayList<>(request.baseline().labels());
                labels.add(new LabelMatcher(instanceLabel, pod.instance()));
                ProfileSelector onePod = new ProfileSelector(request.baseline().application(), labels);
                TimeWindow atAge = new TimeWindow(Instant.ofEpochMilli(start + ageFrom), Instant.ofEpochMilli(start + ageTo));
                parts.add(part(origin, Group.HISTORY, "baseline pod " + pod.instance() + " at the canary's age", onePod,
                        atAge));
            }
        }
        return parts.isEmpty() ? Mono.just(List.of()) : Flux.merge(parts).collectList();
    }

    private static Mono<Part> part(Origin origin, Group group, String label, ProfileSelector selector,
                                   TimeWindow window) {
        Mono<List<PodHeap>> pods = origin.pods(selector, window);
        Mono<List<AreaPart>> areas = origin.areas(selector, window);
        // The live set beside the heap is further evidence only: its failure costs that evidence (a warning naming the
        // failure; not "the pods export no live data size"), never the heap, and it counts only as noise against the
        // source's circuit.
        Mono<List<PodHeap>> asked = origin.liveData(selector, window);
        Mono<LiveRead> live = asked == null ? Mono.just(LiveRead.NOT_ASKED)
                : SourceGuard.noiseOnly(asked).map(p -> new LiveRead(p, null))
                        .onErrorResume(e -> Mono.just(new LiveRead(null, e)));
        // Earlier windows teach the spread only and cost a warning when they fail: their failures must not open
        // the source's circuit for the analysed window's heap and gates (older data can fail where new data is served).
        return Mono.zip(group == Group.HISTORY ? SourceGuard.noiseOnly(pods) : pods,
                        group == Group.HISTORY ? SourceGuard.noiseOnly(areas) : areas, live)
                .map(read -> new Part(group, label, read.getT1(), null, read.getT2(), read.getT3().pods(),
                        read.getT3().failure()))
                .onErrorResume(e -> Mono.just(new Part(group, label, List.of(), e)));
    }

    private static Fetched assemble(Origin origin, List<Part> parts) {
        List<String> warnings = new ArrayList<>();
        Map<Group, List<PodHeap>> pods = new HashMap<>();
        String unread = null;
        for (Part part : parts) {
            if (part.failure() != null) {
                String why = "the " + part.label() + " pods' heap could not be read from " + origin.name() + " ("
                        + FetchLog.oneLine(part.failure()) + ")";
                warnings.add("heap after GC: " + why
                        + (part.group() == Group.HISTORY ? "; judged without it" : "; memory growth not judged"));
                if (part.group() != Group.HISTORY && unread == null) {
                    unread = "heap after GC could not be read from " + origin.name() + ": "
                            + FetchLog.oneLine(part.failure()) + "; memory growth not judged";
                }
            }
            pods.computeIfAbsent(part.group(), g -> new ArrayList<>()).addAll(part.pods());
        }
        if (unread != null) {
            return new Fetched(Fetched.NONE.windows(), warnings, unread);
        }
        List<PodHeap> baseline = pods.getOrDefault(Group.BASELINE, List.of());
        List<PodHeap> canary = pods.getOrDefault(Group.CANARY, List.of());
        List<AreaWindows> areas = areas(origin, parts, warnings);
        if (baseline.isEmpty() && canary.isEmpty()) {
            if (origin.noHeap() != null) {
                warnings.add(origin.noHeap());
            }
            return new Fetched(new HeapWindows(List.of(), List.of(), List.of(), areas), warnings, null);
        }
        return new Fetched(new HeapWindows(baseline, canary, pods.getOrDefault(Group.HISTORY, List.of()), areas)
                .withLiveData(liveData(origin, parts, warnings)), warnings, null, origin.measure());
    }

    /**
     * The live-set series beside the heap by group, or null when no part asked for it or the baseline's or the canary's
     * could not be read (a warning says why; an earlier window's failure costs only its points).
     */
    private static HeapWindows liveData(Origin origin, List<Part> parts, List<String> warnings) {
        Map<Group, List<PodHeap>> live = new HashMap<>();
        boolean asked = false;
        for (Part part : parts) {
            if (part.liveDataFailure() != null && part.group() != Group.HISTORY) {
                warnings.add("heap after GC: the " + part.label() + " pods' live data size could not be read from "
                        + origin.name() + " (" + FetchLog.oneLine(part.liveDataFailure())
                        + "); the heap after GC judged alone");
                return null;
            }
        }
        for (Part part : parts) {
            if (part.liveData() != null) {
                asked = true;
                live.computeIfAbsent(part.group(), g -> new ArrayList<>()).addAll(part.liveData());
            }
        }
        return asked ? new HeapWindows(live.getOrDefault(Group.BASELINE, List.of()),
                live.getOrDefault(Group.CANARY, List.of()), live.getOrDefault(Group.HISTORY, List.of())) : null;
    }

    /**
     * Each area's pods by group, in the areas' order; an area whose baseline or canary query failed is left out with a
     * warning (the heap and the other areas are judged without it), a failed earlier window only costs its points.
     */
    private static List<AreaWindows> areas(Origin origin, List<Part> parts, List<String> warnings) {
        Map<String, Map<Group, List<PodHeap>>> byArea = new LinkedHashMap<>();
        Map<String, Boolean> threads = new HashMap<>();
        Map<String, String> failed = new LinkedHashMap<>();
        Map<String, List<String>> lacking = new HashMap<>();
        for (Part part : parts) {
            for (AreaPart area : part.areas()) {
                threads.put(area.area(), area.threads());
                if (part.group() != Group.HISTORY) {
                    lacking.computeIfAbsent(area.area(), a -> new ArrayList<>()).addAll(area.lacking());
                }
                Map<Group, List<PodHeap>> groups = byArea.computeIfAbsent(area.area(), a -> new HashMap<>());
                if (area.failure() != null) {
                    if (part.group() != Group.HISTORY) {
                        failed.putIfAbsent(area.area(), FetchLog.oneLine(area.failure()));
                    }
                    continue;
                }
                groups.computeIfAbsent(part.group(), g -> new ArrayList<>()).addAll(area.pods());
            }
        }
        List<AreaWindows> out = new ArrayList<>();
        byArea.forEach((area, groups) -> {
            if (failed.containsKey(area)) {
                warnings.add("memory outside the heap: " + area + " could not be read from " + origin.name() + " ("
                        + failed.get(area) + "); judged without it");
                return;
            }
            boolean baseline = !groups.getOrDefault(Group.BASELINE, List.of()).isEmpty();
            boolean canary = !groups.getOrDefault(Group.CANARY, List.of()).isEmpty();
            if (origin.recorded() && baseline != canary) {
                // recordings of one group carry the area and the other's do not: as compare says it
                warnings.add(RecordedAreas.oneSided(area, !baseline, 0, null));
                return;
            }
            if (baseline && canary && !lacking.getOrDefault(area, List.of()).isEmpty()) {
                // both groups are judged, some of their pods without this area: as compare says it, not silently
                warnings.add(RecordedAreas.judgedWithout(area, lacking.get(area)));
            }
            out.add(new AreaWindows(area, threads.get(area), new HeapWindows(groups.getOrDefault(Group.BASELINE, List.of()),
                    groups.getOrDefault(Group.CANARY, List.of()), groups.getOrDefault(Group.HISTORY, List.of()))));
        });
        return out;
    }

    /**
     * The pods with the requests they served per second, from the fetched profiles' request counts (one profile
     * type, all of whose observations of the pod have counts and durations), so slopes are compared per request
     * when every pod's rate is known. History pods take their own window's rate only through the baseline pods'
     * counts of that window, which are not fetched: they keep none.
     */
    static HeapWindows withRequestRates(HeapWindows heap, Map<Group, List<Observation>> observations) {
        Map<String, Double> baseline = rates(observations.getOrDefault(Group.BASELINE, List.of()));
        Map<String, Double> canary = rates(observations.getOrDefault(Group.CANARY, List.of()));
        HeapWindows live = heap.liveData();
        return new HeapWindows(withRates(heap.baseline(), baseline), withRates(heap.canary(), canary), heap.history(),
                heap.areas(), live == null ? null : new HeapWindows(withRates(live.baseline(), baseline),
                withRates(live.canary(), canary), live.history()));
    }

    private static List<PodHeap> withRates(List<PodHeap> pods, Map<String, Double> rates) {
        List<PodHeap> out = new ArrayList<>(pods.size());
        for (PodHeap pod : pods) {
            out.add(pod.withRequestsPerSecond(rates.get(pod.instance())));
        }
        return out;
    }

    /** Per instance, requests per second over its observations of the first profile type that has them all. */
    private static Map<String, Double> rates(List<Observation> observations) {
        Map<String, Map<ProfileType, long[]>> sums = new LinkedHashMap<>(); // [requests, nanos, missing]
        for (Observation o : observations) {
            long nanos = o.profile().durationNanos();
            for (ProfileType type : o.profile().profileTypes()) {
                long[] sum = sums.computeIfAbsent(o.instance(), k -> new LinkedHashMap<>())
                        .computeIfAbsent(type, k -> new long[3]);
                if (o.requests() == null || nanos <= 0) {
                    sum[2]++;
                } else {
                    sum[0] += o.requests();
                    sum[1] += nanos;
                }
            }
        }
        Map<String, Double> rates = new HashMap<>();
        sums.forEach((instance, byType) -> {
            for (long[] sum : byType.values()) {
                if (sum[2] == 0 && sum[1] > 0) {
                    rates.put(instance, sum[0] / (sum[1] / 1e9));
                    return;
                }
            }
        });
        return rates;
    }
}
