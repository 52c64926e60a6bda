package io.canaryjudge.profile.source;

import io.canaryjudge.profile.Profile;
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
 */
public record SliceProfile(String instance, TimeWindow window, Profile profile, Long requests, boolean truncated) {
    public SliceProfile {
        Objects.requireNonNull(instance, "instance");
        Objects.requireNonNull(window, "window");
        Objects.requireNonNull(profile, "profile");
    }

    /** The same slice with {@code other} as its profile. */
    public SliceProfile withProfile(Profile other) {
        return new SliceProfile(instance, window, other, requests, truncated);
    }
}
