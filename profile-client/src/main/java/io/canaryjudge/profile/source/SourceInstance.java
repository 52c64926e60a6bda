package io.canaryjudge.profile.source;

import java.time.Instant;
import java.util.List;
import java.util.Objects;

/**
 * One instance (pod, one JVM) a source has profiles for.
 *
 * @param name      value of the instance label (default {@code pod}); equal names = same JVM
 * @param firstSeen earliest time the source has data for this instance, or null when unknown; used to
 *                  exclude a young canary's warm-up (a pod seen first inside the window started then)
 * @param silences  spans after its first profile in which the source had none, then profiles again: each from the
 *                  end of the last series step with profiles ({@code start}) to the end of the first step with profiles
 *                  again ({@code end}, when they had resumed at the latest). The pod restarted (a new JVM under the
 *                  same name: OOMKilled, a failed liveness probe) or its profiler did not upload. Empty when the source
 *                  cannot tell (files, uploads) or saw none; oldest first
 */
public record SourceInstance(String name, Instant firstSeen, List<TimeWindow> silences) {
    public SourceInstance {
        Objects.requireNonNull(name, "name");
        silences = silences == null ? List.of() : List.copyOf(silences);
    }

    /** An instance without known silences. */
    public SourceInstance(String name, Instant firstSeen) {
        this(name, firstSeen, List.of());
    }
}
