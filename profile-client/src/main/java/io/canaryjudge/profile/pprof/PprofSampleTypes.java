package io.canaryjudge.profile.pprof;

import io.canaryjudge.profile.ProfileType;
import java.util.ArrayList;
import java.util.Collections;
import java.util.Comparator;
import java.util.EnumMap;
import java.util.List;
import java.util.Map;
import java.util.Set;

/**
 * Maps pprof sample types {@code (type, unit)} and Grafana Pyroscope profile type IDs onto the
 * judge's {@link ProfileType}s.
 *
 * <p>Names come from the producers the judge meets: Go's runtime/pprof ({@code cpu},
 * {@code alloc_space}, {@code alloc_objects}, {@code contentions}, {@code delay}), the
 * Pyroscope Java agent ({@code alloc_in_new_tlab_bytes}, {@code alloc_outside_tlab_bytes},
 * {@code alloc_sample_bytes}, {@code wall}, ...) and async-profiler's own pprof converter
 * ({@code allocations}, {@code locks}). A column only maps when its unit is the profile type's
 * unit: values are never rescaled, so a {@code cpu/microseconds} column stays unmapped rather
 * than being judged in the wrong unit.
 *
 * <p>Several columns can claim one profile type. The <em>rank</em> decides (lower wins):
 * allocation bytes are new-TLAB plus outside-TLAB when a profile has them (rank 0, the two are
 * summed into one column), else Go's/async-profiler's totals (rank 1), else the JDK's sampled
 * {@code jdk.ObjectAllocationSample} weight (rank 2) — never both, which would count the same
 * allocations twice.
 *
 * <p>Live objects: {@code inuse_space/bytes} and {@code inuse_objects/count} (Go's heap profile, and
 * what a producer of live-object pprof writes) map to {@code live_bytes} and {@code live_objects}, and so do
 * {@code space/bytes} and {@code objects/count}: the in-use heap as {@code @datadog/pprof} up to 5.15 writes V8's
 * sampling heap profile (the version Pyroscope's Node SDK 0.6.4 pins, whose upload renames them {@code inuse_*}) and as
 * google/pprof converts a legacy in-use heap profile (gperftools, jemalloc). Go writes {@code space/bytes} only as its
 * heap profile's period type, which names no column;
 * Pyroscope's Java live-object profile (type ID {@code memory:live:count:objects:count}, from the
 * agent's {@code PYROSCOPE_ALLOC_LIVE=true}) holds counts only, {@code live/count}, so it gives
 * {@code live_objects} and no {@code live_bytes}.
 */
public final class PprofSampleTypes {
    /**
     * @param heapSnapshot the in-use part of a sampled heap profile (Go's runtime, V8's sampling heap profiler,
     *                     async-profiler's live objects as pprof): a snapshot of the sampled objects alive when written
     */
    private record Mapping(ProfileType profileType, int rank, boolean heapSnapshot) {
        Mapping(ProfileType profileType, int rank) {
            this(profileType, rank, false);
        }
    }

    private static final Set<String> TLAB_BYTES = Set.of("alloc_in_new_tlab_bytes", "alloc_outside_tlab_bytes");
    private static final Set<String> TLAB_OBJECTS = Set.of("alloc_in_new_tlab_objects", "alloc_outside_tlab_objects");

    /** Keyed by {@code type + '/' + unit}. */
    private static final Map<String, Mapping> MAPPINGS = Map.ofEntries(
            Map.entry("cpu/nanoseconds", new Mapping(ProfileType.CPU, 0)),
            Map.entry("wall/nanoseconds", new Mapping(ProfileType.WALL, 0)),
            Map.entry("alloc_in_new_tlab_bytes/bytes", new Mapping(ProfileType.ALLOC_BYTES, 0)),
            Map.entry("alloc_outside_tlab_bytes/bytes", new Mapping(ProfileType.ALLOC_BYTES, 0)),
            Map.entry("alloc_space/bytes", new Mapping(ProfileType.ALLOC_BYTES, 1)),
            Map.entry("allocations/bytes", new Mapping(ProfileType.ALLOC_BYTES, 1)),
            Map.entry("alloc_sample_bytes/bytes", new Mapping(ProfileType.ALLOC_BYTES, 2)),
            Map.entry("alloc_in_new_tlab_objects/count", new Mapping(ProfileType.ALLOC_OBJECTS, 0)),
            Map.entry("alloc_outside_tlab_objects/count", new Mapping(ProfileType.ALLOC_OBJECTS, 0)),
            Map.entry("alloc_objects/count", new Mapping(ProfileType.ALLOC_OBJECTS, 1)),
            Map.entry("alloc_sample_objects/count", new Mapping(ProfileType.ALLOC_OBJECTS, 2)),
            Map.entry("contentions/count", new Mapping(ProfileType.LOCK_COUNT, 0)),
            Map.entry("locks/count", new Mapping(ProfileType.LOCK_COUNT, 1)),
            Map.entry("delay/nanoseconds", new Mapping(ProfileType.LOCK_DELAY, 0)),
            Map.entry("locks/nanoseconds", new Mapping(ProfileType.LOCK_DELAY, 1)),
            // Live objects: Go's and async-profiler's heap profiles (inuse_*), and Pyroscope's
            // memory:live:count:objects:count (jfr-parser writes async-profiler's profiler.LiveObject
            // events as live/count, one per sampled live object).
            Map.entry("inuse_space/bytes", new Mapping(ProfileType.LIVE_BYTES, 0, true)),
            Map.entry("inuse_objects/count", new Mapping(ProfileType.LIVE_OBJECTS, 0, true)),
            // @datadog/pprof up to 5.15 (V8's sampling heap profiler: objects still live when the profile is taken);
            // rank 1 so that an inuse_* column wins should a file hold both
            Map.entry("space/bytes", new Mapping(ProfileType.LIVE_BYTES, 1, true)),
            Map.entry("objects/count", new Mapping(ProfileType.LIVE_OBJECTS, 1, true)),
            // not a heap snapshot: one count per sampled live object, the JVM's live-object counts judged as they are
            Map.entry("live/count", new Mapping(ProfileType.LIVE_OBJECTS, 1)),
            // Go's goroutine profile (runtime/pprof's "goroutine", Pyroscope's goroutine:goroutine:count:…): every
            // goroutine alive, one count each, by its stack
            Map.entry("goroutine/count", new Mapping(ProfileType.GOROUTINES, 0)));

    private PprofSampleTypes() {
    }

    /**
     * The judge's profile type for a pprof sample type, or {@code null} when it maps to none
     * (e.g. {@code samples/count}, {@code alloc_space/megabytes}).
     */
    public static ProfileType profileType(String type, String unit) {
        Mapping mapping = MAPPINGS.get(type + "/" + unit);
        return mapping == null ? null : mapping.profileType();
    }

    /**
     * Every column that maps, {@code type/unit}, by the profile type it maps to (in {@link ProfileType}'s order), the
     * columns of a type in rank order (the winner first), then by name: what a message naming the columns the judge
     * compares lists, so that it cannot fall behind this table.
     */
    public static Map<ProfileType, List<String>> mappedColumns() {
        List<Map.Entry<String, Mapping>> entries = new ArrayList<>(MAPPINGS.entrySet());
        entries.sort(Comparator.<Map.Entry<String, Mapping>>comparingInt(e -> e.getValue().rank())
                .thenComparing(Map.Entry::getKey));
        Map<ProfileType, List<String>> columns = new EnumMap<>(ProfileType.class);
        for (Map.Entry<String, Mapping> entry : entries) {
            columns.computeIfAbsent(entry.getValue().profileType(), t -> new ArrayList<>()).add(entry.getKey());
        }
        columns.replaceAll((type, names) -> List.copyOf(names));
        return Collections.unmodifiableMap(columns);
    }

    /**
     * The judge's profile type for a Pyroscope profile type ID
     * {@code name:sampleType:sampleUnit:periodType:periodUnit}, e.g.
     * {@code process_cpu:cpu:nanoseconds:cpu:nanoseconds} → {@link ProfileType#CPU},
     * {@code memory:alloc_in_new_tlab_bytes:bytes:space:bytes} → {@link ProfileType#ALLOC_BYTES};
     * {@code null} when it maps to none or the ID is malformed.
     */
    public static ProfileType fromPyroscopeId(String profileTypeId) {
        if (profileTypeId == null) {
            return null;
        }
        String[] parts = profileTypeId.split(":", -1);
        return parts.length == 5 ? profileType(parts[1], parts[2]) : null;
    }

    /**
     * Whether a pprof column is a sampled heap profile's in-use part, whatever its producer names it: Go's and
     * async-profiler's {@code inuse_space/bytes}, {@code inuse_objects/count} and {@code @datadog/pprof}'s own
     * {@code space/bytes}, {@code objects/count} (V8's sampling heap profiler). Such a column is a snapshot of the
     * sampled objects still alive, so a process's successive snapshots share their samples (the judge counts them as
     * one) and, with a sampling period in bytes, its values are scaled up from the samples (the reader undoes it).
     * False for every other column, {@code live/count} (Pyroscope's JVM live objects) and unmapped ones included.
     */
    public static boolean heapSnapshot(String type, String unit) {
        Mapping mapping = MAPPINGS.get(type + "/" + unit);
        return mapping != null && mapping.heapSnapshot();
    }

    /** Rank of a column that maps ({@link #profileType} non-null): lower wins; see the class comment. */
    static int rank(String type, String unit) {
        Mapping mapping = MAPPINGS.get(type + "/" + unit);
        return mapping == null ? Integer.MAX_VALUE : mapping.rank();
    }

    /**
     * Whether two columns of one profile are parts of one total and are summed: the new-TLAB and
     * outside-TLAB halves of the Pyroscope Java agent's allocation profile.
     */
    static boolean summable(String type, String otherType) {
        return !type.equals(otherType)
                && (TLAB_BYTES.contains(type) && TLAB_BYTES.contains(otherType)
                    || TLAB_OBJECTS.contains(type) && TLAB_OBJECTS.contains(otherType));
    }
}
