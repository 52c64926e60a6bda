package io.canaryjudge.profile;

import java.util.Arrays;
import java.util.Locale;
import java.util.stream.Collectors;

/**
 * The profile types the judge compares, with the unit every reader converts its values to.
 * Readers map pprof sample types, Pyroscope profile type IDs and JFR events onto these.
 */
public enum ProfileType {
    /** On-CPU time, nanoseconds. */
    CPU("cpu", "nanoseconds"),
    /** Wall-clock time, nanoseconds. */
    WALL("wall", "nanoseconds"),
    /** Allocated bytes: new-TLAB + outside-TLAB, or the JDK's sampled allocation weight, never both. */
    ALLOC_BYTES("alloc_bytes", "bytes"),
    /** Allocated objects, count. */
    ALLOC_OBJECTS("alloc_objects", "count"),
    /** Time blocked on monitors and parked, nanoseconds. */
    LOCK_DELAY("lock_delay", "nanoseconds"),
    /** Lock contention events, count. */
    LOCK_COUNT("lock_count", "count"),
    /**
     * Live (retained) bytes by allocation stack, bytes: allocation samples of objects still reachable
     * when the profile was taken (async-profiler {@code --live}, the JDK's {@code jdk.OldObjectSample},
     * pprof {@code inuse_space}). Each sample weighs what the profiler says it stands for (see the readers).
     */
    LIVE_BYTES("live_bytes", "bytes"),
    /** Live (retained) objects by allocation stack, count of sampled objects (pprof {@code inuse_objects}). */
    LIVE_OBJECTS("live_objects", "count"),
    /**
     * The sampled live objects of {@link #LIVE_OBJECTS} allocated at least {@link #OLD_OBJECT_AGE_MINUTES} minutes before
     * the recording wrote them, count: the JDK's {@code jdk.OldObjectSample} events carry each object's allocation time.
     * A cache whose expiry broke keeps objects older than its expiry at its site; a healthy one holds none there once
     * collected, though both hold as many live objects there in a short recording (docs/EVALUATION.md "(qa72)"). Read by
     * the memory-growth check to name such a leak's site; not judged as a profile of its own.
     */
    OLD_LIVE_OBJECTS("old_live_objects", "count"),
    /**
     * Native bytes allocated by call site, bytes: async-profiler's {@code nativemem} samples of {@code malloc},
     * {@code calloc}, {@code realloc}, {@code posix_memalign} and {@code aligned_alloc} (JFR {@code profiler.Malloc};
     * its converter's value type {@code malloc}). async-profiler samples a block each time its count of allocated bytes
     * passes another {@code nativemem} interval, so each sample weighs max(its size, the interval), as the reader weighs
     * its Java allocation samples; its converter's {@code --nativemem --total} sums the sampled sizes instead.
     */
    MALLOC_BYTES("malloc_bytes", "bytes"),
    /**
     * Native bytes still allocated at the end of the recording, by call site, bytes: the {@code nativemem} samples whose
     * address no {@code profiler.Free} released by the end of the recording, those of its last tenth left out (freed
     * soon after it, most of them) — the blocks async-profiler's converter gives with {@code --nativemem --leak}, each
     * weighing as in {@link #MALLOC_BYTES}.
     */
    MALLOC_LEAK_BYTES("malloc_leak_bytes", "bytes"),
    /**
     * Goroutines alive when the profile was taken, by the stack each is parked or running in, count: Go's goroutine
     * profile ({@code /debug/pprof/goroutine}, sample type {@code goroutine/count}; Pyroscope's Go SDK's
     * {@code goroutine:goroutine:count:goroutine:count}). A snapshot, not a flow: every goroutine counts once, sampled or
     * not. A goroutine that never returns (blocked on a channel nobody closes) keeps its stack and what it references;
     * its stack names where it waits.
     */
    GOROUTINES("goroutines", "count");

    /** The age in minutes from which a sampled live object counts in {@link #OLD_LIVE_OBJECTS}. */
    public static final int OLD_OBJECT_AGE_MINUTES = 5;

    private final String id;
    private final String unit;

    ProfileType(String id, String unit) {
        this.id = id;
        this.unit = unit;
    }

    /** The name used on the command line, in JSON and in docs, e.g. {@code alloc_bytes}. */
    public String id() {
        return id;
    }

    /** The unit of values of this type: {@code nanoseconds}, {@code bytes} or {@code count}. */
    public String unit() {
        return unit;
    }

    /**
     * Whether this type's values count sampled events rather than what its name says: the JVM profilers the readers
     * take objects counts from (async-profiler, the JDK's allocation and old-object samples, the Pyroscope Java agent)
     * record one event per sampled allocation, one in hundreds of kilobytes, so a count of "objects" per request or per
     * second is a count of samples (0.002 per request for requests that allocate 4 KiB), and only its ratios mean
     * something.
     */
    public boolean countsSamples() {
        return this == ALLOC_OBJECTS || this == LIVE_OBJECTS || this == OLD_LIVE_OBJECTS;
    }

    /**
     * Whether this type is native memory by allocating call site ({@code malloc_bytes}, {@code malloc_leak_bytes}): every
     * stack ends in native code (the JVM's {@code os::malloc}, {@code Unsafe_AllocateMemory0}, zlib's
     * {@code inflateInit2_}), which is the allocation the code above it asked for, not the JVM's own work.
     */
    public boolean nativeAllocation() {
        return this == MALLOC_BYTES || this == MALLOC_LEAK_BYTES;
    }

    /**
     * Whether this type holds what a healthy program does not keep ({@code malloc_leak_bytes}): a few blocks of the JVM's
     * own (compiler arenas) where the baseline is healthy, so a leak is a site the baseline lacks — by nature a new
     * path, not a different program — and the shares of the baseline's few functions are not what it is judged on.
     */
    public boolean keptOnlyWhenLeaking() {
        // not GOROUTINES: a healthy Go service's goroutines (its workers, its listeners) are in every baseline window
        return this == MALLOC_LEAK_BYTES;
    }

    /**
     * Parses a profile type id ({@code cpu}, {@code alloc_bytes}, ...).
     *
     * @throws IllegalArgumentException naming the bad value and listing the valid ones
     */
    public static ProfileType fromId(String id) {
        String wanted = id == null ? "" : id.trim().toLowerCase(Locale.ROOT);
        for (ProfileType type : values()) {
            if (type.id.equals(wanted)) {
                return type;
            }
        }
        throw new IllegalArgumentException("profile type \"" + id + "\" must be one of: " + validIds());
    }

    /**
     * Whether a user may ask for this type to be judged ({@code compare --profile-type}, a request's
     * {@code profileTypes}, a config's types): every type but {@link #OLD_LIVE_OBJECTS}, which the memory check reads
     * beside {@code live_objects} from JDK recordings and which no collapsed file or profile source gives on its own.
     */
    public boolean judgedOnItsOwn() {
        return this != OLD_LIVE_OBJECTS;
    }

    /**
     * Parses the id of a type to judge: as {@link #fromId}, but {@code old_live_objects} is refused by name.
     *
     * @throws IllegalArgumentException naming the bad value and listing the valid ones
     */
    public static ProfileType judgedFromId(String id) {
        ProfileType type = fromId(id);
        if (!type.judgedOnItsOwn()) {
            throw new IllegalArgumentException("profile type \"" + id + "\": " + type.id + " is read from JDK recordings"
                    + " beside live_objects (their sampled objects' ages), not judged on its own; one of: " + validIds());
        }
        return type;
    }

    /** The ids of the types a user may ask to judge, for usage and error messages: {@code [cpu, wall, ...]}. */
    public static String validIds() {
        return Arrays.stream(values()).filter(ProfileType::judgedOnItsOwn).map(ProfileType::id)
                .collect(Collectors.joining(", ", "[", "]"));
    }

    @Override
    public String toString() {
        return id;
    }
}
