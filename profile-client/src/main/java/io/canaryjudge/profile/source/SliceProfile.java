package io.canaryjudge.profile.source;

import io.canaryjudge.profile.Profile;
import java.util.Map;
import java.util.Objects;

/**
 * One profile of one instance over one time slice, as a source delivered it.
 *
 * @param instance  instance (pod) name
 * @param window    the slice; for sources whose files carry no time, the window asked for
 * @param profile   the profile
 * @param requests  requests served in the slice when the source knows them (local {@code requests.csv}),
 *                  else null (the service asks Prometheus)
 * @param truncated true when the source dropped small nodes (Pyroscope's {@code maxNodes}: an
 *                  {@code other} node): vanished functions and new hot paths are then unreliable
 * @param endpointRequests requests served in the slice per endpoint when the source knows them (local and uploaded
 *                  {@code endpoints.csv}), else null (the service asks Prometheus): the request mix
 */
public record SliceProfile(String instance, TimeWindow window, Profile profile, Long requests, boolean truncated,
                           Map<String, Long> endpointRequests) {
    public SliceProfile {
        Objects.requireNonNull(instance, "instance");
        Objects.requireNonNull(window, "window");
        Objects.requireNonNull(profile, "profile");
        endpointRequests = endpointRequests == null ? null : Map.copyOf(endpointRequests);
    }

    /** A slice without per-endpoint counts. */
    public SliceProfile(String instance, TimeWindow window, Profile profile, Long requests, boolean truncated) {
        this(instance, window, profile, requests, truncated, null);
    }

    /** The same slice with {@code other} as its profile. */
    public SliceProfile withProfile(Profile other) {
        return new SliceProfile(instance, window, other, requests, truncated, endpointRequests);
    }
}
