package io.canaryjudge.analysis;

import io.canaryjudge.profile.ProfileType;
import io.canaryjudge.profile.source.ProfileSource;
import io.canaryjudge.source.Deadline;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
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
 * {@code failOnTypes} left at the default). Types a request or its config named are never replaced; where either group
 * holds cpu, or the source cannot say (files, a failed or late answer), the defaults stand as before.
 */
final class HeldTypes {
    private HeldTypes() {
    }

    /** The request to run and what its verdict's {@code dataQuality.warnings} should say of the types chosen. */
    record Choice(AnalysisRequest request, List<String> warnings) {
        static Choice unchanged(AnalysisRequest request) {
            return new Choice(request, List.of());
        }
    }

    /**
     * Asks {@code source} which types the baseline and canary hold in the window, at most until {@code by} (fetching's
     * own end), and chooses ({@link #choose}); the request unchanged when it named its types or the source cannot say.
     */
    static Mono<Choice> resolve(AnalysisRequest request, ProfileSource source, Instant by) {
        if (!replaceable(request)) {
            return Mono.just(Choice.unchanged(request));
        }
        Duration left = Duration.between(request.deadline().clock().instant(), by);
        if (left.isNegative() || left.isZero()) {
            return Mono.just(Choice.unchanged(request));
        }
        Mono<Set<ProfileType>> baseline = source.typesHeld(request.baseline(), request.window());
        Mono<Set<ProfileType>> canary = source.typesHeld(request.canary(), request.window());
        return Mono.zip(baseline, canary)
                .map(held -> choose(request, source.name(), held.getT1(), held.getT2()))
                .timeout(left)
                .contextWrite(context -> context.put(Deadline.class, request.deadline()))
                // what the source holds only refines the defaults: a failed or late answer leaves them as they were
                .onErrorResume(e -> Mono.just(Choice.unchanged(request)))
                .defaultIfEmpty(Choice.unchanged(request));
    }

    /** Whether the request's types may be replaced: the defaults, cpu among them, wall not. */
    static boolean replaceable(AnalysisRequest request) {
        return request.typesDefaulted() && request.profileTypes().contains(ProfileType.CPU)
                && !request.profileTypes().contains(ProfileType.WALL);
    }

    /**
     * Wall in cpu's place when neither group holds cpu and either holds wall; the request unchanged otherwise.
     *
     * @param baseline what the baseline pods hold in the window
     * @param canary   what the canary pods hold in the window
     */
    static Choice choose(AnalysisRequest request, String sourceName, Set<ProfileType> baseline, Set<ProfileType> canary) {
        if (!replaceable(request) || baseline.contains(ProfileType.CPU) || canary.contains(ProfileType.CPU)
                || !(baseline.contains(ProfileType.WALL) || canary.contains(ProfileType.WALL))) {
            return Choice.unchanged(request);
        }
        List<ProfileType> types = new ArrayList<>(request.profileTypes());
        types.set(types.indexOf(ProfileType.CPU), ProfileType.WALL);
        String note = "profile types: the request named none, and " + sourceName + " holds no cpu profiles of the"
                + " baseline or canary pods in the window but wall ones (a Node.js service under Pyroscope's Node SDK at"
                + " its defaults sends wall time only), so wall was fetched in cpu's place ("
                + types.stream().map(ProfileType::id).toList() + "); name profileTypes to choose them";
        return new Choice(request.withProfileTypes(types), List.of(note));
    }
}
