package io.canaryjudge.verdict;

import java.util.ArrayList;
import java.util.List;

/**
 * What the verdict stands on: observations and samples per type and group, what could not be
 * detected, warnings, and inputs that were skipped.
 *
 * @param types    one entry per profile type seen in either group
 * @param warnings plain-language caveats (few pods, truncated profiles, warm-up excluded, ...)
 * @param skipped  inputs that were not used and why (e.g. "notes.csv: not a profile")
 * @param memory   the after-GC heap the memory-growth check used; null when no heap data was given
 * @param requestMix the request mix the groups served, from per-endpoint counts; null when not given
 */
public record DataQuality(List<TypeQuality> types, List<String> warnings, List<String> skipped, MemoryQuality memory,
                          RequestMix requestMix) {
    public DataQuality {
        types = List.copyOf(types);
        warnings = List.copyOf(warnings);
        skipped = List.copyOf(skipped);
    }

    /** Data quality without per-endpoint counts. */
    public DataQuality(List<TypeQuality> types, List<String> warnings, List<String> skipped, MemoryQuality memory) {
        this(types, warnings, skipped, memory, null);
    }

    /** Data quality without a memory-growth check. */
    public DataQuality(List<TypeQuality> types, List<String> warnings, List<String> skipped) {
        this(types, warnings, skipped, null);
    }

    public DataQuality withSkipped(List<String> moreSkipped) {
        List<String> all = new ArrayList<>(skipped);
        all.addAll(moreSkipped);
        return new DataQuality(types, warnings, all, memory, requestMix);
    }

    public DataQuality withMemory(MemoryQuality newMemory) {
        return new DataQuality(types, warnings, skipped, newMemory, requestMix);
    }
}
