package io.canaryjudge.analysis;

import io.canaryjudge.judge.Observation;
import io.canaryjudge.judge.memory.HeapWindows;
import io.canaryjudge.judge.memory.PodHeap;
import io.canaryjudge.judge.memory.PrometheusHeap;
import io.canaryjudge.metrics.HeapQueries;
import io.canaryjudge.metrics.TimeSeries;
import io.canaryjudge.profile.ProfileType;
import io.canaryjudge.profile.source.LabelMatcher;
import io.canaryjudge.profile.source.ProfileSelector;
import io.canaryjudge.profile.source.TimeWindow;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeoutException;
import reactor.core.publisher.Flux;
import reactor.core.publisher.Mono;

/**
 * Each pod's heap after GC from Prometheus, for the memory-growth check: the baseline's and the canary's pods over
 * the window, and the baseline's earlier windows (or the request's history group) as history — with the JVMs'
 * start times, so that a young canary's warm-up is recognised, and for a young canary each baseline pod's heap at
 * the same age. Any failure (a query refused, Prometheus down, the
 * deadline) is a data-quality warning and no memory check; it never fails the analysis.
 */
final class HeapFetcher {
    private final RequestMetrics metrics;
    private final String instanceLabel;
    private final Duration step;
    private final Clock clock;

    /**
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
     * What the heap queries delivered.
     *
     * @param windows  the pods' heap, without request rates (see {@link #withRequestRates}); empty when not fetched
     * @param warnings what went wrong or was left out, for {@code dataQuality.warnings}
     */
    record Fetched(HeapWindows windows, List<String> warnings) {
        static final Fetched NONE = new Fetched(new HeapWindows(List.of(), List.of(), List.of()), List.of());
    }

    private record Part(Group group, String label, List<PodHeap> pods, Throwable failure) {
    }

    /** The pods' heap over the request's windows, by {@code fetchBy}; never an error. */
    Mono<Fetched> fetch(AnalysisRequest request, Instant fetchBy) {
        if (!request.config().memoryGrowth().enabled()) {
            return Mono.just(Fetched.NONE);
        }
        HeapQueries queries = request.config().heapQueries();
        List<Mono<Part>> parts = new ArrayList<>();
        TimeWindow window = heapWindow(request);
        parts.add(part(Group.BASELINE, "baseline", request.baseline(), window, queries));
        parts.add(part(Group.CANARY, "canary", request.canary(), window, queries));
        if (request.history() != null) {
            parts.add(part(Group.HISTORY, "history", request.history(), window, queries));
        } else {
            Duration length = window.length();
            for (int k = 1; k <= request.config().historyWindows(); k++) {
                TimeWindow earlier = new TimeWindow(window.start().minus(length.multipliedBy(k)),
                        window.end().minus(length.multipliedBy(k)));
                parts.add(part(Group.HISTORY, "history window " + k, request.baseline(), earlier, queries));
            }
        }
        Duration budget = Duration.between(clock.instant(), fetchBy);
        return Flux.merge(parts).collectList()
                .flatMap(first -> sameAge(request, first, queries).map(more -> {
                    List<Part> all = new ArrayList<>(first);
                    all.addAll(more);
                    return all;
                }))
                .timeout(budget.isNegative() ? Duration.ZERO : budget)
                .map(this::assemble)
                .onErrorResume(e -> Mono.just(new Fetched(Fetched.NONE.windows(), List.of("heap after GC: "
                        + (e instanceof TimeoutException ? "not read from Prometheus before the deadline"
                        : "could not be read from Prometheus (" + FetchLog.oneLine(e) + ")")
                        + "; memory growth not judged"))));
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
    private Mono<List<Part>> sameAge(AnalysisRequest request, List<Part> first, HeapQueries queries) {
        if (request.history() != null || first.stream().anyMatch(p -> p.group() != Group.HISTORY && p.failure() != null)) {
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
                parts.add(part(Group.HISTORY, "baseline pod " + pod.instance() + " at the canary's age", onePod, atAge,
                        queries));
            }
        }
        return parts.isEmpty() ? Mono.just(List.of()) : Flux.merge(parts).collectList();
    }

    private Mono<Part> part(Group group, String label, ProfileSelector selector, TimeWindow window, HeapQueries queries) {
        return Mono.zip(metrics.series(queries.heapAfterGc(), selector, window, step),
                        metrics.series(queries.jvmStart(), selector, window, step))
                .map(both -> new Part(group, label, pods(both.getT1(), both.getT2(), queries.liveSet()), null))
                .onErrorResume(e -> Mono.just(new Part(group, label, List.of(), e)));
    }

    private List<PodHeap> pods(List<TimeSeries> heap, List<TimeSeries> starts, boolean liveSet) {
        return PrometheusHeap.pods(heap, starts, instanceLabel, Map.of(), liveSet);
    }

    private Fetched assemble(List<Part> parts) {
        List<String> warnings = new ArrayList<>();
        Map<Group, List<PodHeap>> pods = new HashMap<>();
        for (Part part : parts) {
            if (part.failure() != null) {
                warnings.add("heap after GC: the " + part.label() + " pods' heap could not be read from Prometheus ("
                        + FetchLog.oneLine(part.failure()) + ")"
                        + (part.group() == Group.HISTORY ? "; judged without it" : "; memory growth not judged"));
            }
            pods.computeIfAbsent(part.group(), g -> new ArrayList<>()).addAll(part.pods());
        }
        boolean current = parts.stream().allMatch(p -> p.group() == Group.HISTORY || p.failure() == null);
        if (!current) {
            return new Fetched(Fetched.NONE.windows(), warnings);
        }
        List<PodHeap> baseline = pods.getOrDefault(Group.BASELINE, List.of());
        List<PodHeap> canary = pods.getOrDefault(Group.CANARY, List.of());
        if (baseline.isEmpty() && canary.isEmpty()) {
            // No series at all: the pods' exporter is not scraped, or the query does not fit it. Not a memory check.
            warnings.add("heap after GC: Prometheus has no series for the baseline or canary pods (is the heap query"
                    + " right for their exporter? canary-judge.prometheus.heap.*); memory growth not judged");
            return new Fetched(Fetched.NONE.windows(), warnings);
        }
        return new Fetched(new HeapWindows(baseline, canary, pods.getOrDefault(Group.HISTORY, List.of())), warnings);
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
        return new HeapWindows(withRates(heap.baseline(), baseline), withRates(heap.canary(), canary), heap.history());
    }

    private static List<PodHeap> withRates(List<PodHeap> pods, Map<String, Double> rates) {
        List<PodHeap> out = new ArrayList<>(pods.size());
        for (PodHeap pod : pods) {
            out.add(new PodHeap(pod.instance(), pod.heap(), rates.get(pod.instance()), pod.liveSet()));
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
