package io.canaryjudge.analysis;

import io.canaryjudge.profile.ProfileType;
import io.canaryjudge.profile.source.ProfileSelector;
import io.canaryjudge.profile.source.ProfileSource;
import io.canaryjudge.profile.source.TypesHeld;
import io.canaryjudge.source.Deadline;
import io.canaryjudge.source.SourceGuard;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import reactor.core.publisher.Mono;

/**
 * The profile types of a request that left them to the service's defaults ({@code cpu}, {@code alloc_bytes}), chosen by
 * what the source holds of the two groups in the window.
 *
 * <p>Pyroscope's Node SDK ({@code @pyroscope/nodejs} 0.6.4) started as its README says uploads wall time only: Pyroscope
 * holds no {@code cpu} series for such a service, so an analysis asked as Argo and Flagger ask it (no profile types)
 * found no cpu profiles and was INCONCLUSIVE for want of data while the wall profiles were there. When neither group holds
 * cpu and either holds wall, wall is fetched in cpu's place and the verdict says so; the judge then treats Node's wall as
 * CPU exactly as {@code compare} does (its NodeBusyWall rule: only Node frames, no idle frame carrying wall time,
 * {@code failOnTypes} left at the default).
 *
 * <p>With the SDK's {@code collectCpuTime}, Pyroscope keeps the CPU time of those wall uploads as a series of its own,
 * {@code process_cpu:cpu:nanoseconds:wall:nanoseconds}, which the Java agent's mapping (the default) does not read as
 * cpu: the fallback above fetched wall, whose profiles say CPU time was collected, so wall was reported only and nothing
 * could FAIL such a canary where {@code compare} on the same uploads judges their CPU column. Where a group holds cpu
 * in such a series ({@link TypesHeld#elsewhere()}), cpu is read from it for this request
 * ({@link ProfileSource#readingFrom}) and wall is fetched beside it, reported as {@code compare} reports it: the
 * types {@code compare} judges in the uploads. Types a request or its config named are never replaced (a config naming
 * exactly the defaults names none, as {@code web.AnalysisRequests#typesDefaulted} reads it); where either group holds cpu, or the source
 * cannot say (files, a failed or late answer), the defaults stand as before.
 *
 * <p>The question costs two source calls (Pyroscope: {@code LabelValues}) before anything is fetched, on every request
 * left at the defaults, JVM services included, though it only matters for Node. So the answer is remembered per
 * source and group selectors for {@link #REMEMBERED_FOR} (what a service's pods upload does not change between one
 * analysis step and the next), the wait is bounded by {@link #ASK_AT_MOST} whatever the source's call timeout, and the
 * calls are {@linkplain SourceGuard#noiseOnly noise-only}: their failures never open the source's circuit.
 */
final class HeldTypes {
    /**
     * Longest wait for the source's answer by default (a late answer keeps the defaults): a small share of the 8 s
     * deadline; {@code canary-judge.pyroscope.types-held-wait} sets it.
     */
    static final Duration ASK_AT_MOST = Duration.ofSeconds(1);
    /** How long an answer is reused for the same source and groups. */
    static final Duration REMEMBERED_FOR = Duration.ofMinutes(5);
    /** Answers kept at most; the least recently used goes first. */
    static final int MAX_REMEMBERED = 1_000;

    /** Longest wait for the source's answer. */
    private final Duration askAtMost;
    private final Clock clock;
    /** Answers by source and groups, least recently used first; guarded by itself. */
    private final Map<Groups, Held> remembered = new LinkedHashMap<>(16, 0.75f, true) {
        @Override
        protected boolean removeEldestEntry(Map.Entry<Groups, Held> eldest) {
            return size() > MAX_REMEMBERED;
        }
    };

    /** @param clock when answers were given, for {@link #REMEMBERED_FOR} */
    HeldTypes(Clock clock) {
        this(clock, ASK_AT_MOST);
    }

    /**
     * @param clock     when answers were given, for {@link #REMEMBERED_FOR}
     * @param askAtMost longest wait for the source's answer
     */
    HeldTypes(Clock clock, Duration askAtMost) {
        this.clock = clock;
        this.askAtMost = askAtMost;
    }

    /** Whose types were asked: the source (by name) and the two groups' selectors. */
    private record Groups(String source, ProfileSelector baseline, ProfileSelector canary) {
    }

    /** What the two groups held, and when the source said so. */
    private record Held(TypesHeld baseline, TypesHeld canary, Instant answeredAt) {
    }

    /**
     * The request to run and what its verdict's {@code dataQuality.warnings} should say of the types chosen.
     *
     * @param cpuSeries the series (the source's names) cpu is read from for this request in place of the source's
     *                  mapping; empty for the mapping's own
     */
    record Choice(AnalysisRequest request, List<String> warnings, List<String> cpuSeries) {
        static Choice unchanged(AnalysisRequest request) {
            return new Choice(request, List.of(), List.of());
        }

        /** {@code source}, reading cpu from {@link #cpuSeries} when named. */
        ProfileSource source(ProfileSource source) {
            return cpuSeries.isEmpty() ? source
                    : source.readingFrom(ProfileType.CPU, cpuSeries).orElse(source);
        }
    }

    /**
     * Which types the baseline and canary hold in the window, as remembered or asked of {@code source} (at most
     * {@link #ASK_AT_MOST}, never past {@code by}, fetching's own end), and the choice ({@link #choose}); the request
     * unchanged when it named its types or the source cannot say.
     */
    Mono<Choice> resolve(AnalysisRequest request, ProfileSource source, Instant by) {
        if (!replaceable(request)) {
            return Mono.just(Choice.unchanged(request));
        }
        Groups groups = new Groups(source.name(), request.baseline(), request.canary());
        Held known = remembered(groups);
        if (known != null) {
            return Mono.just(choose(request, source.name(), known.baseline(), known.canary()));
        }
        Duration left = Duration.between(request.deadline().clock().instant(), by);
        if (left.isNegative() || left.isZero()) {
            return Mono.just(Choice.unchanged(request));
        }
        Duration wait = left.compareTo(askAtMost) < 0 ? left : askAtMost;
        Mono<TypesHeld> baseline = SourceGuard.noiseOnly(source.held(request.baseline(), request.window()));
        Mono<TypesHeld> canary = SourceGuard.noiseOnly(source.held(request.canary(), request.window()));
        return Mono.zip(baseline, canary)
                .map(held -> remember(groups, new Held(held.getT1(), held.getT2(), clock.instant())))
                .map(held -> choose(request, source.name(), held.baseline(), held.canary()))
                .timeout(wait)
                .contextWrite(context -> context.put(Deadline.class, request.deadline()))
                // what the source holds only refines the defaults: a failed or late answer leaves them as they were
                .onErrorResume(e -> Mono.just(Choice.unchanged(request)))
                .defaultIfEmpty(Choice.unchanged(request));
    }

    /** The answer for {@code groups} given within {@link #REMEMBERED_FOR}, or null. */
    private Held remembered(Groups groups) {
        synchronized (remembered) {
            Held held = remembered.get(groups);
            if (held == null || !held.answeredAt().plus(REMEMBERED_FOR).isAfter(clock.instant())) {
                return null;
            }
            return held;
        }
    }

    private Held remember(Groups groups, Held held) {
        synchronized (remembered) {
            remembered.put(groups, held);
        }
        return held;
    }

    /** Whether the request's types may be replaced: the defaults, cpu among them, wall not. */
    static boolean replaceable(AnalysisRequest request) {
        return request.typesDefaulted() && request.profileTypes().contains(ProfileType.CPU)
                && !request.profileTypes().contains(ProfileType.WALL);
    }

    /**
     * When neither group holds cpu as the source reads it: cpu from the series either holds it in elsewhere, wall beside
     * it where either holds wall; else wall in cpu's place where either holds wall; the request unchanged otherwise.
     *
     * @param baseline what the baseline pods hold in the window
     * @param canary   what the canary pods hold in the window
     */
    static Choice choose(AnalysisRequest request, String sourceName, TypesHeld baseline, TypesHeld canary) {
        if (!replaceable(request) || baseline.types().contains(ProfileType.CPU)
                || canary.types().contains(ProfileType.CPU)) {
            return Choice.unchanged(request);
        }
        boolean wall = baseline.types().contains(ProfileType.WALL) || canary.types().contains(ProfileType.WALL);
        List<String> cpuSeries = cpuSeries(baseline, canary);
        List<ProfileType> types = new ArrayList<>(request.profileTypes());
        if (!cpuSeries.isEmpty()) {
            if (wall) {
                types.add(types.indexOf(ProfileType.CPU) + 1, ProfileType.WALL);
            }
            String note = "profile types: the request named none, and " + sourceName + " holds no cpu profiles of the"
                    + " baseline or canary pods in the window as it reads cpu, but CPU time in the series "
                    + String.join(", ", cpuSeries) + " (another producer's series, e.g. a Node.js service's under"
                    + " Pyroscope's Node SDK with collectCpuTime), so cpu was read from that series"
                    + (wall ? " and wall fetched beside it, reported as compare reports it" : "") + " ("
                    + types.stream().map(ProfileType::id).toList() + "); name profileTypes to choose them";
            return new Choice(request.withProfileTypes(types), List.of(note), cpuSeries);
        }
        if (!wall) {
            return Choice.unchanged(request);
        }
        types.set(types.indexOf(ProfileType.CPU), ProfileType.WALL);
        String note = "profile types: the request named none, and " + sourceName + " holds no cpu profiles of the"
                + " baseline or canary pods in the window but wall ones (a Node.js service under Pyroscope's Node SDK at"
                + " its defaults sends wall time only), so wall was fetched in cpu's place ("
                + types.stream().map(ProfileType::id).toList() + "); name profileTypes to choose them";
        return new Choice(request.withProfileTypes(types), List.of(note), List.of());
    }

    /**
     * The series the groups hold cpu in where the source does not read it: the baseline's and the canary's, each once,
     * so a canary holding it where the baseline does not is still read (and judged against a baseline without cpu, as
     * a canary whose producer changed should be).
     */
    private static List<String> cpuSeries(TypesHeld baseline, TypesHeld canary) {
        Set<String> series = new LinkedHashSet<>();
        series.addAll(baseline.elsewhere().getOrDefault(ProfileType.CPU, List.of()));
        series.addAll(canary.elsewhere().getOrDefault(ProfileType.CPU, List.of()));
        return List.copyOf(series);
    }
}
