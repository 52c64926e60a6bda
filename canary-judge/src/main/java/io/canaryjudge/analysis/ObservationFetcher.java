package io.canaryjudge.analysis;

import io.canaryjudge.config.AnalysisProperties;
import io.canaryjudge.judge.Observation;
import io.canaryjudge.profile.Profile;
import io.canaryjudge.profile.ProfileType;
import io.canaryjudge.profile.source.ProfileSelector;
import io.canaryjudge.profile.source.ProfileSource;
import io.canaryjudge.profile.source.SliceProfile;
import io.canaryjudge.profile.source.SourceInstance;
import io.canaryjudge.profile.source.TimeWindow;
import io.canaryjudge.source.Deadline;
import io.canaryjudge.source.SourceGuard;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Collections;
import java.util.EnumMap;
import java.util.IdentityHashMap;
import java.util.LinkedHashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeSet;
import java.util.function.Supplier;
import reactor.core.publisher.Flux;
import reactor.core.publisher.Mono;

/**
 * Fetches the observations of every group of an analysis from one profile source, in two rounds — find the
 * pods of each group and type, then fetch each pod's slices (and request counts) — with bounded concurrency
 * and within the analysis deadline (less the time kept for judging). Whatever has not arrived when the time is
 * up is cancelled and counted as missing; failures are kept as data, never thrown, so the verdict can say
 * exactly what is missing and why.
 */
final class ObservationFetcher {
    private final AnalysisProperties settings;
    private final RequestCounter requestCounter;

    /** @param requestCounter where request counts come from when profiles lack them; null = nowhere */
    ObservationFetcher(AnalysisProperties settings, RequestCounter requestCounter) {
        this.settings = settings;
        this.requestCounter = requestCounter;
    }

    /**
     * One group over one window: the baseline, the canary, or one history window.
     *
     * @param label how messages name it: {@code baseline}, {@code canary}, {@code history window 1}
     */
    record GroupWindow(Group group, String label, ProfileSelector selector, TimeWindow window,
                       List<TimeWindow> slices) {
    }

    private record Discovery(GroupWindow at, ProfileType type, List<SourceInstance> instances, Throwable failure) {
    }

    private record InstanceFetch(GroupWindow at, ProfileType type, SourceInstance instance, int slicesAsked,
                                 List<SliceProfile> profiles, Throwable failure) {
    }

    private record Skipped(GroupWindow at, List<String> files) {
    }

    private record Counts(GroupWindow at, Map<String, Map<Instant, Long>> counts, Throwable failure) {
    }

    /** A group's requests per pod, slice and endpoint (instance → slice start → endpoint → requests). */
    private record EndpointCounts(GroupWindow at, Map<String, Map<Instant, Map<String, Long>>> counts,
                                  Throwable failure) {
    }

    /** What the fetch rounds delivered. */
    /**
     * @param warmupOnly canary pods none of whose slices was fetched: the window held only their warm-up
     * @param silences   canary pods whose profiles stopped and resumed inside the window (a restart, or a profiler that
     *                   did not upload): each silence, oldest first
     */
    record Fetched(Map<Group, List<Observation>> observations, Map<Group, Set<String>> pods, List<String> gaps,
                   List<String> warnings, List<String> skipped, List<String> warmupOnly,
                   Map<String, List<TimeWindow>> silences) {
    }

    /**
     * @param canaryRequests the canary pods' request counts per slice, asked once per analysis (the metric gates read
     *                       the same answer); the other groups' counts are asked here
     */
    Mono<Fetched> fetch(AnalysisRequest request, ProfileSource source,
                        Mono<Map<String, Map<Instant, Long>>> canaryRequests) {
        Deadline deadline = request.deadline();
        Instant fetchBy = deadline.at().minus(settings.judgeTime());
        List<GroupWindow> windows = groupWindows(request, source);
        FetchLog log = new FetchLog(source, deadline);

        List<Supplier<Mono<Object>>> discoveries = new ArrayList<>();
        for (GroupWindow at : windows) {
            for (ProfileType type : request.profileTypes()) {
                log.expectDiscovery(at, type);
                discoveries.add(() -> noiseOnlyWhenHistory(at, source.instances(at.selector(), type, at.window()))
                        .map(instances -> (Object) new Discovery(at, type, instances, null))
                        .onErrorResume(e -> Mono.just(new Discovery(at, type, List.of(), e))));
            }
        }
        return round(discoveries, fetchBy, deadline)
                .flatMap(found -> {
                    List<Supplier<Mono<Object>>> fetches = new ArrayList<>();
                    Map<GroupWindow, Set<SourceInstance>> podsOf = new LinkedHashMap<>();
                    for (Object event : found) {
                        Discovery discovery = (Discovery) event;
                        log.discovered(discovery.at(), discovery.type(), discovery.instances(), discovery.failure());
                        for (SourceInstance instance : discovery.instances()) {
                            List<TimeWindow> slices = slicesFor(discovery.at(), instance, source,
                                    request.config().warmup(), log);
                            if (slices.isEmpty()) {
                                continue;
                            }
                            podsOf.computeIfAbsent(discovery.at(), k -> new LinkedHashSet<>()).add(instance);
                            log.expectInstance(discovery.at(), discovery.type(), instance, slices.size());
                            fetches.add(() -> noiseOnlyWhenHistory(discovery.at(), source.profiles(
                                            discovery.at().selector(), instance, discovery.type(), slices).collectList())
                                    .map(profiles -> (Object) new InstanceFetch(discovery.at(), discovery.type(),
                                            instance, slices.size(), profiles, null))
                                    .onErrorResume(e -> Mono.just(new InstanceFetch(discovery.at(), discovery.type(),
                                            instance, slices.size(), List.of(), e))));
                        }
                    }
                    podsOf.forEach((at, instances) -> {
                        for (SourceInstance instance : instances) {
                            fetches.add(() -> source.skipped(at.selector(), instance)
                                    .map(files -> (Object) new Skipped(at, files))
                                    .onErrorResume(e -> Mono.just(new Skipped(at, List.of()))));
                        }
                        if (requestCounter != null && source.timeAware()) {
                            Mono<Map<String, Map<Instant, Long>>> asked = at.group() == Group.CANARY ? canaryRequests
                                    : requestCounter.requests(at.selector(), at.slices(), request.config().queries());
                            fetches.add(() -> asked
                                    .map(counts -> (Object) new Counts(at, counts, null))
                                    .onErrorResume(e -> Mono.just(new Counts(at, Map.of(), e))));
                            if (at.group() != Group.HISTORY) {
                                // the request mix compares the baseline's and the canary's only (RequestMixCheck)
                                fetches.add(() -> requestCounter.endpointRequests(at.selector(), at.slices(),
                                                request.config().queries())
                                        .map(counts -> (Object) new EndpointCounts(at, counts, null))
                                        .onErrorResume(e -> Mono.just(new EndpointCounts(at, Map.of(), e))));
                            }
                        }
                    });
                    return round(fetches, fetchBy, deadline);
                })
                .map(events -> assemble(events, request, source, log));
    }

    /**
     * The canary pods' profiles of {@code types} over {@code window}, one observation per slice, by {@code fetchBy}:
     * a second, narrow fetch beside the analysis's own (the memory check's window reaches before the analysis window).
     * No warm-up is left out here: the memory check leaves out its own. Errors when any call fails or the time is up,
     * so the caller can say the data is missing rather than judge part of it.
     */
    Mono<List<Observation>> canaryOver(AnalysisRequest request, ProfileSource source, TimeWindow window,
                                       List<ProfileType> types, Instant fetchBy) {
        return over(request, request.canary(), source, window, types, fetchBy);
    }

    /**
     * As {@link #canaryOver}, the baseline pods' profiles: a failing client_golang heap is judged from every pod's heap
     * profiles over the heap's window ({@code GoLiveHeap}).
     */
    Mono<List<Observation>> baselineOver(AnalysisRequest request, ProfileSource source, TimeWindow window,
                                         List<ProfileType> types, Instant fetchBy) {
        return over(request, request.baseline(), source, window, types, fetchBy);
    }

    private Mono<List<Observation>> over(AnalysisRequest request, ProfileSelector group, ProfileSource source,
                                         TimeWindow window, List<ProfileType> types, Instant fetchBy) {
        Deadline deadline = request.deadline();
        List<TimeWindow> slices = window.split(settings.slice());
        Duration budget = Duration.between(deadline.clock().instant(), fetchBy);
        return Flux.fromIterable(types)
                .flatMap(type -> source.instances(group, type, window)
                        .flatMapMany(Flux::fromIterable)
                        .flatMap(instance -> source.profiles(group, instance, type, slices),
                                settings.fetchConcurrency()))
                .collectList()
                .timeout(budget.isNegative() ? Duration.ZERO : budget)
                .map(slicesRead -> {
                    Set<Profile> seen = Collections.newSetFromMap(new IdentityHashMap<>());
                    List<Observation> out = new ArrayList<>();
                    for (SliceProfile slice : slicesRead) {
                        if (seen.add(slice.profile())) {
                            out.add(new Observation(slice.instance(), slice.profile(), slice.requests()));
                        }
                    }
                    return out;
                })
                .contextWrite(context -> context.put(Deadline.class, deadline));
    }

    /**
     * A history window's call fetches what only teaches noise: its failures cost a warning, so they must not open the
     * source's circuit for the baseline and canary data of this and other analyses.
     */
    private static <T> Mono<T> noiseOnlyWhenHistory(GroupWindow at, Mono<T> call) {
        return at.group() == Group.HISTORY ? SourceGuard.noiseOnly(call) : call;
    }

    /** Runs the calls with bounded concurrency until they are done or {@code by} has come. */
    private Mono<List<Object>> round(List<Supplier<Mono<Object>>> calls, Instant by, Deadline deadline) {
        Duration budget = Duration.between(deadline.clock().instant(), by);
        if (budget.isNegative()) {
            budget = Duration.ZERO;
        }
        return Flux.fromIterable(calls)
                .flatMap(Supplier::get, settings.fetchConcurrency())
                .take(budget)
                .collectList()
                .contextWrite(context -> context.put(Deadline.class, deadline));
    }

    /** The slices of the analysed window, as every group is fetched and counted in them. */
    List<TimeWindow> slices(AnalysisRequest request) {
        return request.window().split(settings.slice());
    }

    private List<GroupWindow> groupWindows(AnalysisRequest request, ProfileSource source) {
        List<GroupWindow> windows = new ArrayList<>();
        TimeWindow window = request.window();
        List<TimeWindow> slices = slices(request);
        windows.add(new GroupWindow(Group.BASELINE, "baseline", request.baseline(), window, slices));
        windows.add(new GroupWindow(Group.CANARY, "canary", request.canary(), window, slices));
        if (request.history() != null) {
            windows.add(new GroupWindow(Group.HISTORY, "history", request.history(), window, slices));
        } else if (source.timeAware()) {
            Duration length = window.length();
            for (int k = 1; k <= request.config().historyWindows(); k++) {
                TimeWindow earlier = new TimeWindow(window.start().minus(length.multipliedBy(k)),
                        window.end().minus(length.multipliedBy(k)));
                windows.add(new GroupWindow(Group.HISTORY, "history window " + k, request.baseline(), earlier,
                        earlier.split(settings.slice())));
            }
        }
        return windows;
    }

    /**
     * The slices to ask for: all of the window's, but for a canary pod that started inside the window (the
     * source saw it first there) none before its warm-up is over — a young JVM's JIT and class loading are not
     * the new code's cost — and likewise none from a silence inside the window (no profiles for a series step or
     * more, then profiles again: the pod restarted as a new JVM under the same name, or its profiler did not upload)
     * to its warm-up after the profiles resumed.
     */
    private static List<TimeWindow> slicesFor(GroupWindow at, SourceInstance instance, ProfileSource source,
                                              Duration warmup, FetchLog log) {
        if (at.group() != Group.CANARY || warmup.isZero() || !source.timeAware()) {
            return at.slices();
        }
        List<TimeWindow> kept = at.slices();
        if (instance.firstSeen() != null && instance.firstSeen().isAfter(at.window().start())) {
            Instant started = instance.firstSeen();
            Instant warm = started.plus(warmup);
            kept = at.slices().stream().filter(s -> !s.start().isBefore(warm)).toList();
            // Slices that ended before the pod started had no data anyway: only the others are "left out".
            long leftOut = at.slices().stream().filter(s -> s.start().isBefore(warm) && s.end().isAfter(started)).count();
            log.warmup(instance, (int) leftOut, warm, kept.isEmpty());
        }
        for (TimeWindow silence : instance.silences()) {
            if (!silence.end().isAfter(at.window().start()) || silence.end().isAfter(at.window().end())) {
                continue; // resumed before the window (its leading slices' JIT tells) or after it
            }
            Instant warm = silence.end().plus(warmup);
            List<TimeWindow> before = kept;
            kept = before.stream().filter(s -> !(s.start().isBefore(warm) && s.end().isAfter(silence.start()))).toList();
            log.silence(instance, silence, before.size() - kept.size(), warm, kept.isEmpty());
        }
        return kept;
    }

    /** The start of the window's slice a profile falls in (its own start when it lies outside all of them). */
    private static Instant sliceStart(GroupWindow at, SliceProfile slice) {
        Instant start = slice.window().start();
        for (TimeWindow window : at.slices()) {
            if (window.contains(start)) {
                return window.start();
            }
        }
        return start;
    }

    /**
     * The starts of the window's slices a profile is present in: every slice it overlaps for at least half the slice's
     * length (a 5-minute recording in 60 s slices is present in five, whether it began on a slice boundary or a few
     * seconds after), else (a profile shorter than half a slice) the one it starts in.
     */
    private static List<Instant> presentIn(GroupWindow at, SliceProfile slice) {
        List<Instant> covered = new ArrayList<>();
        for (TimeWindow window : at.slices()) {
            if (2 * SliceRequestCounts.overlapNanos(slice.window(), window) >= window.length().toNanos()) {
                covered.add(window.start());
            }
        }
        return covered.isEmpty() ? List.of(sliceStart(at, slice)) : covered;
    }

    /** The window's slices less the leading and trailing ones no pod had profiles in. */
    private static int expectedSlices(List<TimeWindow> slices, Set<Instant> anyPod) {
        int first = 0;
        int last = slices.size() - 1;
        while (first <= last && !anyPod.contains(slices.get(first).start())) {
            first++;
        }
        while (last >= first && !anyPod.contains(slices.get(last).start())) {
            last--;
        }
        return last - first + 1;
    }

    private Fetched assemble(List<Object> events, AnalysisRequest request, ProfileSource source, FetchLog log) {
        Map<Group, List<Observation>> observations = new EnumMap<>(Group.class);
        Map<Group, Set<String>> pods = new EnumMap<>(Group.class);
        for (Group group : Group.values()) {
            observations.put(group, new ArrayList<>());
            pods.put(group, new LinkedHashSet<>());
        }
        Map<GroupWindow, Map<String, Map<Instant, Long>>> counts = new LinkedHashMap<>();
        Map<GroupWindow, Map<String, Map<Instant, Map<String, Long>>>> endpointCounts = new LinkedHashMap<>();
        List<String> skipped = new ArrayList<>();
        for (Object event : events) {
            if (event instanceof EndpointCounts c) {
                if (c.failure() == null) {
                    endpointCounts.put(c.at(), c.counts());
                } else {
                    // the mix is an explanation, not the verdict's data: the judgment goes on without it
                    log.warning(requestCounter.name() + ": request counts per endpoint of the " + c.at().label()
                            + " pods could not be read (" + FetchLog.oneLine(c.failure()) + "); the request mix was"
                            + " not compared");
                }
            } else if (event instanceof Counts c) {
                if (c.failure() == null) {
                    counts.put(c.at(), c.counts());
                } else {
                    log.warning(requestCounter.name() + ": request counts of the " + c.at().label()
                            + " pods could not be read (" + FetchLog.oneLine(c.failure()) + "); shares were compared");
                }
            } else if (event instanceof Skipped s) {
                skipped.addAll(s.files());
            }
        }
        // A source may hand out one profile for several types (a file holding CPU and allocation): one observation.
        Map<Group, Set<Profile>> seen = new EnumMap<>(Group.class);
        // Which of the window's slices each baseline and canary pod had profiles in, any type.
        Map<GroupWindow, Map<String, TreeSet<Instant>>> present = new LinkedHashMap<>();
        int truncated = 0;
        for (Object event : events) {
            if (!(event instanceof InstanceFetch fetch)) {
                continue;
            }
            log.fetched(fetch.at(), fetch.type(), fetch.instance(), fetch.profiles().size(), fetch.failure());
            Group group = fetch.at().group();
            Set<Profile> groupSeen = seen.computeIfAbsent(group, g -> Collections.newSetFromMap(new IdentityHashMap<>()));
            Map<Instant, Long> podCounts = counts.getOrDefault(fetch.at(), Map.of())
                    .getOrDefault(fetch.instance().name(), Map.of());
            Map<Instant, Map<String, Long>> podEndpoints = endpointCounts.getOrDefault(fetch.at(), Map.of())
                    .getOrDefault(fetch.instance().name(), Map.of());
            if (group != Group.HISTORY && source.timeAware()) {
                Set<Instant> presentSlices = present.computeIfAbsent(fetch.at(), k -> new LinkedHashMap<>())
                        .computeIfAbsent(fetch.instance().name(), k -> new TreeSet<>());
                for (SliceProfile slice : fetch.profiles()) {
                    presentSlices.addAll(presentIn(fetch.at(), slice));
                }
            }
            for (SliceProfile slice : fetch.profiles()) {
                if (!groupSeen.add(slice.profile())) {
                    continue;
                }
                truncated += slice.truncated() ? 1 : 0;
                Long requests = slice.requests() != null ? slice.requests() : podCounts.isEmpty() ? null
                        : SliceRequestCounts.requestsDuring(slice.window(), fetch.at().slices(), podCounts);
                Map<String, Long> mix = slice.endpointRequests() != null ? slice.endpointRequests()
                        : podEndpoints.isEmpty() ? null
                        : SliceRequestCounts.endpointRequestsDuring(slice.window(), fetch.at().slices(), podEndpoints);
                observations.get(group).add(new Observation(slice.instance(), slice.profile(), requests, null, null,
                        source.closedLoop(), mix));
                pods.get(group).add(slice.instance());
            }
        }
        // The slices any baseline or canary pod had profiles in. Slices at the window's start or end that none had (the
        // window's edge cutting every pod's longer files) say nothing about one pod; a gap inside the window that every
        // pod shares (a source down for everyone) is still said of each.
        Set<Instant> anyPod = new TreeSet<>();
        present.values().forEach(byPod -> byPod.values().forEach(anyPod::addAll));
        present.forEach((at, byPod) -> {
            int all = at.slices().size();
            int expected = expectedSlices(at.slices(), anyPod);
            byPod.forEach((pod, starts) -> {
                if (!starts.isEmpty() && starts.size() < expected && !log.explained(at.group(), pod)) {
                    // Scaled in or out, restarted, or a profiler that did not upload: said, as the pod weighs less.
                    Instant last = starts.last();
                    Instant end = at.slices().stream().filter(s -> s.start().equals(last)).map(TimeWindow::end)
                            .findFirst().orElse(last);
                    String of = expected == all ? "the window's " + all + " slices"
                            : "the " + expected + " slices between the first and last any pod had profiles in (the"
                            + " window has " + all + ")";
                    log.warning(at.label() + " pod " + pod + " had profiles in " + starts.size() + " of " + of
                            + " (from " + FetchLog.second(starts.first()) + " to " + FetchLog.second(end) + "): it"
                            + " started, stopped or paused inside the window (scaled, restarted, or its profiler did"
                            + " not upload) and was judged on those " + starts.size());
                }
            });
        });
        if (truncated > 0) {
            log.warning(truncated + " profile(s) from " + source.name() + " were truncated (small nodes merged into"
                    + " one): vanished functions and new hot paths may be artefacts of that");
        }
        log.finish();
        return new Fetched(observations, pods, log.gaps(), log.warnings(), skipped, log.warmupOnly(), log.silences());
    }
}
