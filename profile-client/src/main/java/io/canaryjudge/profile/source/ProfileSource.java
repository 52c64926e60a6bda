package io.canaryjudge.profile.source;

import io.canaryjudge.profile.ProfileType;
import io.canaryjudge.profile.heap.HeapSeries;
import io.canaryjudge.profile.heap.MemoryAreaSeries;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import reactor.core.publisher.Flux;
import reactor.core.publisher.Mono;

/**
 * Where profiles come from: Grafana Pyroscope, a local directory, or files uploaded with a request.
 * Implementations are non-blocking (or run blocking work on a bounded scheduler), bound every read,
 * and signal failures as {@link ProfileSourceException}. Timeouts, retries and circuit breaking
 * are the caller's (the service wraps each source with Resilience4j).
 */
public interface ProfileSource {

    /** Short name for messages and metrics, e.g. {@code pyroscope} or {@code local}. */
    String name();

    /**
     * The instances (pods) of the selected group that have profiles of {@code type} in the window.
     * Empty when there are none (not an error).
     */
    Mono<List<SourceInstance>> instances(ProfileSelector selector, ProfileType type, TimeWindow window);

    /**
     * The profiles of one instance over the given slices: at most one per slice, none for a slice
     * without data. A source whose profiles carry their own time (files) returns those that fall
     * in the slices' span, each with its own window.
     */
    Flux<SliceProfile> profiles(ProfileSelector selector, SourceInstance instance, ProfileType type,
                                List<TimeWindow> slices);

    /**
     * The profile types the selected group holds any data of in the window, as far as the source can tell without
     * fetching profiles (Pyroscope: its series' {@code __profile_type__} label); empty (no value) when it cannot tell.
     * The service asks it to choose the types a request left to the defaults (a Node service sends wall time only).
     */
    default Mono<Set<ProfileType>> typesHeld(ProfileSelector selector, TimeWindow window) {
        return Mono.empty();
    }

    /**
     * {@link #typesHeld}, with the types the group holds only in series another producer keeps them in
     * ({@link TypesHeld#elsewhere()}: a Node service's CPU time where the source reads a JVM's), in the same calls;
     * empty (no value) when the source cannot tell. A source naming series there reads a type from them for one request
     * ({@link #readingFrom}).
     */
    default Mono<TypesHeld> held(ProfileSelector selector, TimeWindow window) {
        return typesHeld(selector, window).map(TypesHeld::of);
    }

    /**
     * This source for one request, reading {@code type} from {@code series} (what {@link #held} named in
     * {@link TypesHeld#elsewhere()}) in place of its own mapping, everything else as this source does; empty when it
     * cannot. The view shares this source's connections, and closing it is never needed.
     */
    default Optional<ProfileSource> readingFrom(ProfileType type, List<String> series) {
        return Optional.empty();
    }

    /**
     * The heap after GC each instance of the selected group recorded beside its profiles, by instance name:
     * its {@code heap.csv}, else its JFR recordings' {@code jdk.GCHeapSummary} "After GC" events
     * ({@link io.canaryjudge.profile.source.local.InstanceHeapReader}, as {@code compare} reads them). Whole, whatever
     * the window: the caller cuts it. Instances without heap data are left out; sources that hold no files
     * (Pyroscope) have none — there the heap comes from metrics.
     */
    default Mono<Map<String, HeapSeries>> heap(ProfileSelector selector) {
        return Mono.just(Map.of());
    }

    /**
     * The memory outside the heap each instance of the selected group recorded beside its profiles, by instance name:
     * its {@code areas.csv}, else its JFR recordings' metaspace, direct-buffer and thread statistics
     * ({@link io.canaryjudge.profile.source.local.InstanceHeapReader#areas}, as {@code compare} reads them). Whole,
     * whatever the window. Every instance with files is listed, one without any area with none (so the judge can name
     * it); sources that hold no files have none.
     */
    default Mono<Map<String, MemoryAreaSeries>> areas(ProfileSelector selector) {
        return Mono.just(Map.of());
    }

    /**
     * Whether the request counts this source gives are a closed loop's: operations a benchmark completed as fast as
     * it could (uploads with {@code load=closed}, as {@code compare --load closed}), so a canary's lower rate is its
     * own slowness, not a traffic shift. False for served traffic: every source but such an upload.
     */
    default boolean closedLoop() {
        return false;
    }

    /**
     * Why this source can never look {@code application} up (the local directory source: a name that is no path
     * inside its directory), one phrase; null when it can. Callers check it before fetching, so a bad name is a bad
     * request, not missing data.
     */
    default String refusedApplication(String application) {
        return null;
    }

    /** Whether the source answers at all (readiness); completes with a reason when it does not. */
    Mono<Health> health();

    /**
     * Inputs of this instance the source passed over and why (a file that is not a profile, a corrupt
     * one), one line each for a verdict's {@code dataQuality.skipped}. Empty for sources that have
     * nothing to skip.
     */
    default Mono<List<String>> skipped(ProfileSelector selector, SourceInstance instance) {
        return Mono.just(List.of());
    }

    /**
     * Whether the source applies the requested windows. False for sources that return every profile
     * they hold whatever the window (uploads, a local directory by default): the caller then fetches
     * no earlier windows as history (they would be the same profiles) and says so.
     */
    default boolean timeAware() {
        return true;
    }

    /** Caveats every verdict from this source should carry in {@code dataQuality.warnings}; one line each. */
    default List<String> notes() {
        return List.of();
    }

    /**
     * @param up     the source answered
     * @param detail one line: what was checked, or why it failed
     */
    record Health(boolean up, String detail) {
    }
}
