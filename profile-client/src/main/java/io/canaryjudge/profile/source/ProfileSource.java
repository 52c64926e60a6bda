package io.canaryjudge.profile.source;

import io.canaryjudge.profile.ProfileType;
import java.util.List;
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

    /** Whether the source answers at all (readiness); completes with a reason when it does not. */
    Mono<Health> health();

    /**
     * @param up     the source answered
     * @param detail one line: what was checked, or why it failed
     */
    record Health(boolean up, String detail) {
    }
}
