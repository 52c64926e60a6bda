package io.canaryjudge.profile.source;

import io.canaryjudge.profile.ProfileType;
import java.util.EnumMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.Set;

/**
 * What a group of pods holds in a window, as far as a source can tell without fetching profiles
 * ({@link ProfileSource#held}).
 *
 * @param types     the profile types it holds data of, as the source reads them (its type mapping)
 * @param elsewhere types it holds none of as the source reads them but holds in series another producer keeps them in,
 *                  with those series in the source's own names (Pyroscope: a Node service's CPU time under the Java
 *                  agent's mapping, {@code process_cpu:cpu:nanoseconds:wall:nanoseconds}); a source can read a type
 *                  from them for one request ({@link ProfileSource#readingFrom})
 */
public record TypesHeld(Set<ProfileType> types, Map<ProfileType, List<String>> elsewhere) {
    public TypesHeld {
        types = Set.copyOf(types);
        Map<ProfileType, List<String>> copy = new EnumMap<>(ProfileType.class);
        elsewhere.forEach((type, series) -> copy.put(Objects.requireNonNull(type), List.copyOf(series)));
        elsewhere = Map.copyOf(copy);
    }

    /** Types held as the source reads them, nothing elsewhere. */
    public static TypesHeld of(Set<ProfileType> types) {
        return new TypesHeld(types, Map.of());
    }
}
