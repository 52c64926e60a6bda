package io.canaryjudge.profile.source;

import java.time.Instant;
import java.util.Objects;

/**
 * One instance (pod, one JVM) a source has profiles for.
 *
 * @param name      value of the instance label (default {@code pod}); equal names = same JVM
 * @param firstSeen earliest time the source has data for this instance, or null when unknown; used to
 *                  exclude a young canary's warm-up (a pod seen first inside the window started then)
 */
public record SourceInstance(String name, Instant firstSeen) {
    public SourceInstance {
        Objects.requireNonNull(name, "name");
    }
}
