package io.canaryjudge.profile;

import java.util.Objects;

/**
 * One value column of a profile, as pprof names it: {@code (type, unit)}, e.g. {@code (cpu, nanoseconds)}.
 *
 * @param type        the producer's type name, e.g. {@code cpu}, {@code alloc_space}, {@code samples}
 * @param unit        the producer's unit, e.g. {@code nanoseconds}, {@code bytes}, {@code count}
 * @param profileType what the judge understands this column as; {@code null} when it maps to none
 *                    (such columns are kept for {@code collapse} but never judged)
 */
public record SampleType(String type, String unit, ProfileType profileType) {
    public SampleType {
        Objects.requireNonNull(type, "type");
        Objects.requireNonNull(unit, "unit");
    }

    /** A column that is exactly one of the judge's profile types. */
    public static SampleType of(ProfileType profileType) {
        return new SampleType(profileType.id(), profileType.unit(), profileType);
    }
}
