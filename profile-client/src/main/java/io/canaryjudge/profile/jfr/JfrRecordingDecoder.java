package io.canaryjudge.profile.jfr;

import io.canaryjudge.profile.FrameNames;
import io.canaryjudge.profile.InvalidProfileException;
import io.canaryjudge.profile.JitEvents;
import io.canaryjudge.profile.JvmRuntime;
import io.canaryjudge.profile.Profile;
import io.canaryjudge.profile.ProfileBuilder;
import io.canaryjudge.profile.ProfileFormat;
import io.canaryjudge.profile.ProfileType;
import io.canaryjudge.profile.ReadOptions;
import io.canaryjudge.profile.SampleType;
import io.canaryjudge.profile.SamplingSetting;
import io.canaryjudge.profile.StackDepthLimitException;
import io.canaryjudge.profile.TooManySlicesException;
import java.io.IOException;
import java.nio.ByteBuffer;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.Collection;
import java.util.Comparator;
import java.util.HashMap;
import java.util.HashSet;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Set;
import java.util.TreeMap;

/**
 * The second pass over a checked recording ({@link JfrChunkScanner} was the first): chunk by
 * chunk, indexes the constant pools ({@link JfrConstantPools}), then walks the events once,
 * decodes those that feed a wanted column by the chunk's metadata ({@link JfrMetadata}) and adds
 * each to the profile of its time slice. Stack traces and methods are resolved once per chunk
 * and slice (their ids are chunk-local).
 */
final class JfrRecordingDecoder {
    /** Most profiles one file may be sliced into; more is a slice length far too short for the recording. */
    static final int MAX_SLICES = 10_000;

    private final String source;
    private final ChunkBytes chunkBytes;
    private final List<JfrChunk> chunks;
    private final ReadOptions options;

    private final List<SampleType> sampleTypes = new ArrayList<>();
    private int cpu = -1;
    private int wall = -1;
    private int allocBytes = -1;
    private int allocObjects = -1;
    private int lockDelay = -1;
    private int lockCount = -1;
    private int liveBytes = -1;
    private int liveObjects = -1;
    /** The JDK's old-object samples at least {@link ProfileType#OLD_OBJECT_AGE_MINUTES} old when written. */
    private int oldLiveObjects = -1;
    private int mallocBytes = -1;
    private int mallocLeakBytes = -1;
    /** The sampled native blocks not freed so far, by address, and this chunk's malloc and free events in read order. */
    private final NativeBlocks nativeBlocks = new NativeBlocks();
    private final boolean useAllocationSamples;
    /**
     * The recording holds the JDK's CPU-time samples ({@code jdk.CPUTimeSample}): they are the cpu column, and its
     * execution samples (taken beside them by default.jfc) are not added to it a second time.
     */
    private final boolean useCpuTimeSamples;
    /** The allocation columns come from the JDK's throttled {@code jdk.ObjectAllocationSample} events alone. */
    private final boolean allocationSamplesOnly;
    /** The JDK's old-object samples are read only when the recording has no async-profiler live objects (never both). */
    private final boolean useOldObjectSamples;

    private final long originNanos;
    private final long endNanos;
    /** Latest event time seen; some producers stamp events after the chunk's declared end. */
    private long latestEventNanos = Long.MIN_VALUE;
    private final long sliceNanos;
    /**
     * The last slice's index when the recording ends less than half a slice after its last full slice: that tail
     * (a 60.01 s window cut into 10 s slices leaves 10 ms) joins the last full slice instead of becoming an
     * observation of its own with next to no samples. {@link Long#MAX_VALUE} when there is no such tail.
     */
    private final long finalSliceIndex;
    private final Map<Long, Slice> slices = new TreeMap<>();
    private Slice lastSlice;
    private long lastSliceIndex = Long.MIN_VALUE;

    private final JfrConstantPools pools = new JfrConstantPools();
    /** The current chunk's bytes, the chunk at position 0. */
    private ByteBuffer chunkBuffer;
    /** Per {@link JfrEventKind} ordinal: whether such events are decoded. */
    private boolean[] decodedKinds;
    /** Per decoded kind, where its fields are in events of {@link #fieldsMetadata} (the last chunk's metadata). */
    private EventFields[] fields;
    private JfrMetadata fieldsMetadata;
    private int chunkIndex;
    private JfrChunk chunk;
    /** Chunk-relative position of the event being decoded. */
    private int position;
    private long[] methods = new long[64];
    private int[] frames = new int[64];

    /** The profile of one time slice, with caches valid for one chunk. */
    private static final class Slice {
        final ProfileBuilder builder;
        final LongIntMap stacks = new LongIntMap();
        final LongIntMap functions = new LongIntMap();
        int cachedChunk = -1;

        Slice(ProfileBuilder builder) {
            this.builder = builder;
        }
    }

    /**
     * Where the decoder finds each chunk's bytes: the whole file in memory, or a file read one
     * chunk at a time so that a large recording never sits in memory whole.
     */
    interface ChunkBytes {
        /**
         * The bytes of {@code chunk} from position 0, array-backed. A fresh buffer each call; it
         * may share memory with the previous one, which is no longer used.
         */
        ByteBuffer load(JfrChunk chunk) throws IOException;
    }

    JfrRecordingDecoder(String source, ChunkBytes chunkBytes, List<JfrChunk> chunks,
                        ReadOptions options) throws InvalidProfileException {
        this.source = source;
        this.chunkBytes = chunkBytes;
        this.chunks = chunks;
        this.options = options;

        long[] totals = new long[JfrEventKind.values().length];
        long foreign = 0;
        boolean wallMode = false;
        long origin = Long.MAX_VALUE;
        long end = Long.MIN_VALUE;
        for (JfrChunk c : chunks) {
            for (int k = 0; k < totals.length; k++) {
                totals[k] += c.eventCounts()[k];
            }
            wallMode |= c.settings().wallMode() && c.count(JfrEventKind.EXECUTION_SAMPLE) > 0;
            foreign += c.foreignSamples();
            origin = Math.min(origin, c.startNanos());
            end = Math.max(end, c.endNanos());
        }
        this.originNanos = origin;
        this.endNanos = end;
        long events = 0;
        for (int k = 0; k < totals.length; k++) {
            events += JfrEventKind.of(k).stackSample() ? totals[k] : 0;
        }
        if (events > options.maxSamples()) {
            throw new InvalidProfileException(source, ProfileFormat.JFR, 0, "recording holds " + events
                    + " sample events, more than the limit of " + options.maxSamples() + ": "
                    + ReadOptions.TOO_MANY_SAMPLES_REMEDY);
        }
        boolean tlab = totals[JfrEventKind.ALLOCATION_IN_NEW_TLAB.ordinal()]
                + totals[JfrEventKind.ALLOCATION_OUTSIDE_TLAB.ordinal()] > 0;
        this.useAllocationSamples = !tlab;
        this.allocationSamplesOnly = !tlab && totals[JfrEventKind.ALLOCATION_SAMPLE.ordinal()] > 0;
        boolean alloc = tlab || totals[JfrEventKind.ALLOCATION_SAMPLE.ordinal()] > 0;
        boolean lock = totals[JfrEventKind.MONITOR_ENTER.ordinal()] + totals[JfrEventKind.THREAD_PARK.ordinal()] > 0;
        this.useCpuTimeSamples = totals[JfrEventKind.CPU_TIME_SAMPLE.ordinal()] > 0;
        boolean hasCpu = totals[JfrEventKind.EXECUTION_SAMPLE.ordinal()] > 0 || useCpuTimeSamples;
        boolean hasWall = totals[JfrEventKind.WALL_CLOCK_SAMPLE.ordinal()] > 0 || wallMode;
        boolean liveProfiler = totals[JfrEventKind.LIVE_OBJECT.ordinal()] > 0;
        this.useOldObjectSamples = !liveProfiler;
        boolean live = liveProfiler || totals[JfrEventKind.OLD_OBJECT_SAMPLE.ordinal()] > 0;
        // The JDK's old-object samples carry a size only from JDK 22 on: without it, counts only.
        boolean liveSizes = liveProfiler || oldObjectSizes(chunks);
        boolean malloc = totals[JfrEventKind.MALLOC.ordinal()] > 0;
        if (hasCpu && options.wants(ProfileType.CPU)) {
            cpu = column(ProfileType.CPU);
        }
        if (hasWall && options.wants(ProfileType.WALL)) {
            wall = column(ProfileType.WALL);
        }
        if (alloc && options.wants(ProfileType.ALLOC_BYTES)) {
            allocBytes = column(ProfileType.ALLOC_BYTES);
        }
        if (alloc && options.wants(ProfileType.ALLOC_OBJECTS)) {
            allocObjects = column(ProfileType.ALLOC_OBJECTS);
        }
        if (lock && options.wants(ProfileType.LOCK_DELAY)) {
            lockDelay = column(ProfileType.LOCK_DELAY);
        }
        if (lock && options.wants(ProfileType.LOCK_COUNT)) {
            lockCount = column(ProfileType.LOCK_COUNT);
        }
        if (live && liveSizes && options.wants(ProfileType.LIVE_BYTES)) {
            liveBytes = column(ProfileType.LIVE_BYTES);
        }
        if (live && options.wants(ProfileType.LIVE_OBJECTS)) {
            liveObjects = column(ProfileType.LIVE_OBJECTS);
        }
        // Only the JDK's samples carry an allocation time (async-profiler's live objects do not): the age of each.
        if (!liveProfiler && live && options.wants(ProfileType.OLD_LIVE_OBJECTS)) {
            oldLiveObjects = column(ProfileType.OLD_LIVE_OBJECTS);
        }
        if (malloc && options.wants(ProfileType.MALLOC_BYTES)) {
            mallocBytes = column(ProfileType.MALLOC_BYTES);
        }
        if (malloc && options.wants(ProfileType.MALLOC_LEAK_BYTES)) {
            mallocLeakBytes = column(ProfileType.MALLOC_LEAK_BYTES);
        }
        if (!hasCpu && !hasWall && !alloc && !lock && !live && !malloc && foreign > 0) {
            throw new InvalidProfileException(source, ProfileFormat.JFR, 0, "recording holds " + foreign
                    + " samples of dd-trace-java's native profiler (" + String.join(", ", JfrChunkScanner.FOREIGN_SAMPLE_EVENTS)
                    + "), which this reader does not decode yet; record with dd-trace-java's JFR-based profiler"
                    + " (jdk.* events) or async-profiler");
        }
        if (sampleTypes.isEmpty()) {
            // A valid recording without profiling events: an empty CPU profile, so callers see "no samples".
            cpu = column(ProfileType.CPU);
        }
        this.sliceNanos = options.slice() == null ? 0 : Math.max(1, options.slice().toNanos());
        if (sliceNanos > 0 && (end - origin) / sliceNanos >= MAX_SLICES) {
            throw new TooManySlicesException(source, ProfileFormat.JFR, options.slice(), end - origin, MAX_SLICES);
        }
        long fullSlices = sliceNanos == 0 || end < origin ? 0 : (end - origin) / sliceNanos;
        long tailNanos = fullSlices == 0 ? 0 : end - origin - fullSlices * sliceNanos;
        this.finalSliceIndex = tailNanos > 0 && tailNanos < sliceNanos / 2 ? fullSlices - 1 : Long.MAX_VALUE;
    }

    /**
     * Which kinds of event the decoder reads: those that feed a column the caller asked for.
     * Every other event is skipped by its size without being decoded: {@code collapse
     * --profile-type cpu} never reads the millions of allocation events a recording may also hold.
     */
    private boolean[] decodedKinds() {
        boolean[] decoded = new boolean[JfrEventKind.values().length];
        decoded[JfrEventKind.EXECUTION_SAMPLE.ordinal()] = cpu >= 0 && !useCpuTimeSamples || wall >= 0;
        decoded[JfrEventKind.CPU_TIME_SAMPLE.ordinal()] = cpu >= 0 && useCpuTimeSamples;
        decoded[JfrEventKind.WALL_CLOCK_SAMPLE.ordinal()] = wall >= 0;
        boolean allocation = allocBytes >= 0 || allocObjects >= 0;
        decoded[JfrEventKind.ALLOCATION_IN_NEW_TLAB.ordinal()] = allocation;
        decoded[JfrEventKind.ALLOCATION_OUTSIDE_TLAB.ordinal()] = allocation;
        decoded[JfrEventKind.ALLOCATION_SAMPLE.ordinal()] = allocation && useAllocationSamples;
        boolean locks = lockDelay >= 0 || lockCount >= 0;
        decoded[JfrEventKind.MONITOR_ENTER.ordinal()] = locks;
        decoded[JfrEventKind.THREAD_PARK.ordinal()] = locks;
        boolean liveColumns = liveBytes >= 0 || liveObjects >= 0 || oldLiveObjects >= 0;
        decoded[JfrEventKind.LIVE_OBJECT.ordinal()] = liveColumns;
        decoded[JfrEventKind.OLD_OBJECT_SAMPLE.ordinal()] = liveColumns && useOldObjectSamples;
        decoded[JfrEventKind.MALLOC.ordinal()] = mallocBytes >= 0 || mallocLeakBytes >= 0;
        decoded[JfrEventKind.FREE.ordinal()] = mallocLeakBytes >= 0;
        return decoded;
    }

    /** Whether a chunk's metadata gives {@code jdk.OldObjectSample} the object's size (JDK 22 and later). */
    private static boolean oldObjectSizes(List<JfrChunk> chunks) {
        for (JfrChunk c : chunks) {
            int id = c.metadata().classId(JfrEventKind.OLD_OBJECT_SAMPLE.eventName());
            JfrMetadata.Layout layout = id > JfrChunkScanner.EVENT_TYPE_CHECKPOINT ? c.metadata().layout(id) : null;
            if (layout != null && layout.isVarint(layout.field(JfrEventKind.OLD_OBJECT_SAMPLE.weightField()))) {
                return true;
            }
        }
        return false;
    }

    private int column(ProfileType type) {
        sampleTypes.add(SampleType.of(type));
        return sampleTypes.size() - 1;
    }

    List<Profile> decode() throws IOException, InvalidProfileException, JfrFormatException {
        decodedKinds = decodedKinds();
        for (chunkIndex = 0; chunkIndex < chunks.size(); chunkIndex++) {
            chunk = chunks.get(chunkIndex);
            // Chunks are self-contained: only one chunk's bytes and pool index live at a time.
            chunkBuffer = chunkBytes.load(chunk);
            try {
                pools.read(chunkBuffer, chunk);
                decodeChunk();
                nativeBlocks.endChunk();
            } catch (JfrFormatException e) {
                throw new JfrFormatException(chunk.offset() + e.offset(), e.getMessage()); // chunk-relative to file offset
            }
        }
        chunkBuffer = null;
        if (mallocLeakBytes >= 0) {
            addNotFreed();
        }
        if (slices.isEmpty()) {
            slice(originNanos);
        }
        long end = latestEventNanos == Long.MIN_VALUE ? endNanos : Math.max(endNanos, latestEventNanos + 1);
        List<Profile> profiles = new ArrayList<>(slices.size());
        for (Map.Entry<Long, Slice> entry : slices.entrySet()) {
            ProfileBuilder builder = entry.getValue().builder;
            for (int column = 0; column < sampleTypes.size(); column++) {
                builder.addSampleCount(column, 0); // a column without events in this slice has 0 samples, not "unknown"
            }
            if (sliceNanos == 0) {
                builder.interval(originNanos, Math.max(0, end - originNanos));
            } else {
                long start = Math.addExact(originNanos, Math.multiplyExact(entry.getKey(), sliceNanos));
                builder.interval(start, entry.getKey() == finalSliceIndex ? Math.max(end - start, 1)
                        : Math.min(sliceNanos, Math.max(end - start, 1)));
            }
            if (cpu >= 0) {
                builder.cpuSampling(cpuSampling);
            }
            profiles.add(builder.build());
        }
        if (!jitTallies.isEmpty()) {
            List<Long> indexes = new ArrayList<>(slices.keySet());
            for (int i = 0; i < profiles.size(); i++) {
                JitTally tally = jitTallies.get(indexes.get(i));
                profiles.set(i, profiles.get(i).withJitEvents(tally == null ? JitEvents.NONE : tally.events()));
            }
        }
        List<Profile> decoded = withoutStacklessColumns(withoutSampleCountsAsObjects(withoutThrottledSampleCounts(profiles)));
        if (runtime == null || !runtime.known()) {
            return decoded;
        }
        List<Profile> withRuntime = new ArrayList<>(decoded.size());
        for (Profile profile : decoded) {
            withRuntime.add(profile.withRuntime(runtime));
        }
        return withRuntime;
    }

    /**
     * A column none of whose events carried a stack trace holds nothing to compare: the JDK's {@code default.jfc}
     * samples old objects ({@code jdk.OldObjectSample}) without stack traces ({@code old-objects-stack-trace} is
     * false there, true in {@code profile.jfc}), so such a recording would offer live objects and have none. The
     * type is left out with the reason (which events, and how to record them with stacks) instead of reading as a
     * profile without samples.
     */
    private List<Profile> withoutStacklessColumns(List<Profile> profiles) throws InvalidProfileException {
        for (int column = 0; column < sampleTypes.size(); column++) {
            ProfileType type = sampleTypes.get(column).profileType();
            if (stacklessEvents[column] == 0 || sampled(profiles, type)) {
                continue;
            }
            String event = stacklessEventName[column];
            // No event count in the reason: one warning groups every recording of the same settings.
            String reason = String.format(Locale.ROOT, "the recording's %s events carry no stack trace"
                    + "%s, so there is no %s profile to compare", event,
                    event.equals(JfrEventKind.OLD_OBJECT_SAMPLE.eventName())
                            ? " (the JDK's default.jfc samples old objects without one: record with settings=profile,"
                            + " or add jdk.OldObjectSample#stackTrace=true)"
                            : " (the recording's settings turn stackTrace off for them)", type.id());
            if (profiles.get(0).sampleTypes().size() == 1) {
                throw new InvalidProfileException(source, ProfileFormat.JFR, -1, "no " + type.id() + ": " + reason);
            }
            List<Profile> kept = new ArrayList<>(profiles.size());
            for (Profile profile : profiles) {
                kept.add(profile.withoutType(type, reason));
            }
            profiles = kept;
        }
        return profiles;
    }

    private static boolean sampled(List<Profile> profiles, ProfileType type) {
        for (Profile profile : profiles) {
            int column = profile.sampleTypeIndex(type);
            if (column < 0 || profile.sampleCount(column) > 0) {
                return true;
            }
        }
        return false;
    }

    /**
     * async-profiler samples allocations every {@code alloc} bytes (JVMTI SampledObjectAlloc, JDK 11+) and writes
     * each sample as a {@code jdk.ObjectAllocationInNewTLAB} of weight ({@code tlabSize}) max(interval, object
     * size): one count per event is then the number of samples, alloc_bytes / interval in every stack of objects
     * under the interval — not objects allocated (a 24-byte sample stands for ~21,800 objects, a 500 KiB array for
     * one). Judged beside alloc_bytes it would test every allocation change twice, so such recordings have no
     * alloc_objects column: async-profiler's converter, too, offers these events only as sample counts or bytes.
     * Recordings whose new-TLAB events weigh less than the interval (the JDK's own events, async-profiler's
     * TLAB-driven mode on JDK 8, whose events are TLAB refills) keep the column as Pyroscope reads them.
     */
    private List<Profile> withoutSampleCountsAsObjects(List<Profile> profiles) throws InvalidProfileException {
        if (allocObjects < 0 || newTlabEvents == 0 || !everyNewTlabWeighsTheInterval) {
            return profiles;
        }
        String reason = String.format(Locale.ROOT, "async-profiler sampled allocations every %d bytes"
                + " (alloc), each sample weighing at least that: their count is alloc_bytes / %d, not a number of"
                + " objects, so alloc_bytes alone is judged", sampledAllocInterval, sampledAllocInterval);
        return withoutAllocObjects(profiles, reason);
    }

    /**
     * The JDK's {@code jdk.ObjectAllocationSample} (what {@code default.jfc} and {@code profile.jfc} record of
     * allocations) is throttled: at most 150 events a second ({@code default.jfc}) or 300 ({@code profile.jfc}), taken
     * where an allocation leaves the TLAB fast path, each weighing ({@code weight}) the bytes its thread allocated
     * since its previous sample. Their count is a number of samples, not of objects: a method allocating one large
     * array per request, which always takes the slow path, drew 95 % of one recording's samples while allocating
     * about 1 % of its objects (qa19). Such recordings judge alloc_bytes alone, as Pyroscope names these counts
     * {@code alloc_sample_objects}. Recordings with the JDK's TLAB events ({@code gc=high}) keep alloc_objects as
     * Pyroscope reads those (events), as before.
     */
    private List<Profile> withoutThrottledSampleCounts(List<Profile> profiles) throws InvalidProfileException {
        if (allocObjects < 0 || !allocationSamplesOnly) {
            return profiles;
        }
        String reason = "the JDK's jdk.ObjectAllocationSample events are throttled samples (default.jfc takes at most"
                + " 150 a second, profile.jfc 300), each weighing the bytes its thread allocated since its previous"
                + " sample: their count is a number of samples, not of objects, so alloc_bytes alone is judged";
        return withoutAllocObjects(profiles, reason);
    }

    /**
     * The profiles without their alloc_objects column, each saying why ({@link Profile#leftOutTypes}); invalid input
     * when that column was the only one asked for ({@code collapse --profile-type alloc_objects}).
     */
    private List<Profile> withoutAllocObjects(List<Profile> profiles, String reason) throws InvalidProfileException {
        if (sampleTypes.size() == 1) {
            throw new InvalidProfileException(source, ProfileFormat.JFR, -1, "no alloc_objects: " + reason);
        }
        List<Profile> kept = new ArrayList<>(profiles.size());
        for (Profile profile : profiles) {
            kept.add(profile.withoutType(ProfileType.ALLOC_OBJECTS, reason));
        }
        return kept;
    }

    /** Tallies whether every new-TLAB event weighs at least its chunk's declared {@code alloc} interval. */
    private void noteNewTlabWeight(long weight) {
        newTlabEvents++;
        if (declaredAllocInterval > 0 && weight >= declaredAllocInterval) {
            sampledAllocInterval = Math.min(sampledAllocInterval, declaredAllocInterval);
        } else {
            everyNewTlabWeighsTheInterval = false;
        }
    }

    /** How to read one kind of event: its layout and the indexes of the fields the profile needs. */
    private static final class EventFields {
        final JfrMetadata.Layout layout;
        final int time;
        final int stackTrace;
        final int state;
        final int weight;
        /** The native block's {@code address} ({@link JfrEventKind#MALLOC}, {@link JfrEventKind#FREE}); -1 otherwise. */
        final int address;
        /** The old object's {@code allocationTime} ({@link JfrEventKind#OLD_OBJECT_SAMPLE}); -1 otherwise or without one. */
        final int allocationTime;
        /** The last field read; the rest of the event is not decoded. */
        final int last;

        EventFields(JfrMetadata.Layout layout, JfrEventKind kind) throws JfrFormatException {
            this.layout = layout;
            this.time = layout.field("startTime");
            this.stackTrace = layout.field("stackTrace");
            this.state = kind == JfrEventKind.EXECUTION_SAMPLE ? layout.field("state") : -1;
            this.weight = kind.weightField() == null ? -1 : layout.field(kind.weightField());
            boolean nativeBlock = kind == JfrEventKind.MALLOC || kind == JfrEventKind.FREE;
            this.address = nativeBlock ? layout.field("address") : -1;
            int allocated = kind == JfrEventKind.OLD_OBJECT_SAMPLE ? layout.field("allocationTime") : -1;
            this.allocationTime = allocated >= 0 && layout.isVarint(allocated) ? allocated : -1;
            String name = layout.type.name;
            if (nativeBlock && !layout.isVarint(address)) {
                throw new JfrFormatException(0, name + " has no numeric address field");
            }
            if (!layout.isVarint(stackTrace) || !layout.isVarint(time)) {
                throw new JfrFormatException(0, name + " has no startTime and stackTrace fields to read");
            }
            boolean optionalWeight = kind == JfrEventKind.WALL_CLOCK_SAMPLE || kind == JfrEventKind.OLD_OBJECT_SAMPLE;
            if (kind.weightField() != null && !layout.isVarint(weight) && !optionalWeight) {
                throw new JfrFormatException(0, name + " has no numeric " + kind.weightField() + " field");
            }
            if (state >= 0 && !layout.isVarint(state)) {
                throw new JfrFormatException(0, name + "'s state is not a thread state");
            }
            this.last = Math.max(Math.max(Math.max(Math.max(time, stackTrace), Math.max(state, layout.isVarint(weight) ? weight : -1)),
                    address), allocationTime);
        }
    }

    /** The fields of each decoded kind of event, for {@code metadata}; reused while the metadata is the same. */
    private EventFields[] eventFields(JfrMetadata metadata) throws JfrFormatException {
        if (metadata == fieldsMetadata) {
            return fields;
        }
        EventFields[] result = new EventFields[decodedKinds.length];
        for (int k = 0; k < result.length; k++) {
            int typeId = metadata.classId(JfrEventKind.of(k).eventName());
            if (decodedKinds[k] && typeId > JfrChunkScanner.EVENT_TYPE_CHECKPOINT) {
                result[k] = new EventFields(metadata.layout(typeId), JfrEventKind.of(k));
            }
        }
        fieldsMetadata = metadata;
        fields = result;
        return result;
    }

    /** Per-chunk state of {@link #decodeEvent}: set by {@link #decodeChunk}. */
    private EventFields[] chunkKinds;
    private int[] chunkTypeIds;
    private long cpuInterval;
    private long wallInterval;
    private boolean wallMode;
    private long sleepingState;
    private long allocInterval;
    /** async-profiler's declared {@code alloc} interval in the current chunk, bytes; 0 when the chunk declares none. */
    private long declaredAllocInterval;
    /** The current chunk's declared settings: what a native allocation sample weighs. */
    private JfrSamplingSettings chunkSettings = JfrSamplingSettings.NONE;
    /** New-TLAB allocation events seen, and whether each weighed at least its chunk's declared {@code alloc} interval. */
    private long newTlabEvents;
    private boolean everyNewTlabWeighsTheInterval = true;
    /** The smallest declared {@code alloc} interval among chunks with new-TLAB events, bytes, for the reason given. */
    private long sampledAllocInterval = Long.MAX_VALUE;
    /** The recording's JVM, from its first {@code jdk.JVMInformation} event; null before one is read. */
    private JvmRuntime runtime;
    /** How the first chunk with CPU samples declares they were taken; null when none does. */
    private SamplingSetting cpuSampling;
    /** An event's time, stack trace, state, weight and address, as {@link #readFields} read them. */
    private final long[] values = new long[6];
    /** The kind of the event being decoded. */
    private JfrEventKind eventKind;
    /** Per column: events left out because they carried no stack trace, and the last such event's name. */
    private final long[] stacklessEvents = new long[ProfileType.values().length];
    private final String[] stacklessEventName = new String[ProfileType.values().length];

    private void decodeChunk() throws InvalidProfileException, JfrFormatException {
        chunkKinds = eventFields(chunk.metadata());
        chunkTypeIds = chunk.typeIds();
        JfrSamplingSettings settings = chunk.settings();
        cpuInterval = settings.cpuIntervalNanos();
        wallInterval = settings.wallIntervalNanos();
        wallMode = settings.wallMode();
        allocInterval = settings.allocIntervalBytes();
        declaredAllocInterval = settings.allocBytes();
        chunkSettings = settings;
        if (cpuSampling == null && cpu >= 0 && !useCpuTimeSamples && chunk.count(JfrEventKind.EXECUTION_SAMPLE) > 0) {
            cpuSampling = settings.cpuSampling();
        }
        sleepingState = pools.sleepingState();
        int end = chunk.size();
        JfrBytes in = new JfrBytes(chunkBuffer, JfrChunkScanner.CHUNK_HEADER_SIZE, end);
        // A batch of events per call, for the JIT (see JfrChunkScanner.countEvents).
        for (int at = JfrChunkScanner.CHUNK_HEADER_SIZE; at < end; ) {
            at = decodeEvents(in, at, end);
        }
    }

    /**
     * The {@code jvmVersion} and {@code jvmArguments} of the {@code jdk.JVMInformation} event at the cursor (inline
     * strings or references into the string pool); a field the chunk does not declare as a string is unknown.
     */
    private JvmRuntime readRuntime(JfrBytes in, int next) throws JfrFormatException {
        JfrMetadata.Layout layout = chunk.metadata().layout(chunkTypeIds[JfrEventKind.JVM_INFORMATION.ordinal()]);
        int versionField = stringField(layout, "jvmVersion");
        int argumentsField = stringField(layout, "jvmArguments");
        String version = null;
        String arguments = null;
        int last = Math.max(versionField, argumentsField);
        for (int f = 0; f <= last; f++) {
            if (f == versionField || f == argumentsField) {
                int at = in.position();
                String value = pools.stringAt(at, next);
                in.seek(at);
                if (f == versionField) {
                    version = value;
                } else {
                    arguments = value;
                }
            }
            layout.skipField(in, f, 0);
        }
        return JvmRuntime.of(version, arguments);
    }

    private static int stringField(JfrMetadata.Layout layout, String name) {
        int f = layout == null ? -1 : layout.field(name);
        return f >= 0 && layout.encodings[f] == JfrMetadata.STRING && !layout.arrays[f] ? f : -1;
    }

    /**
     * The JIT's events of each slice (by slice index), for {@link Profile#jitEvents()}: kept apart from the slices
     * themselves so that an event outside every sampled slice makes no profile of its own.
     */
    private final Map<Long, JitTally> jitTallies = new TreeMap<>();

    /** One slice's JIT events, counted by name. */
    private static final class JitTally {
        final Map<String, long[]> compiled = new HashMap<>();
        final Map<List<String>, long[]> deoptimised = new HashMap<>();
        final Map<String, long[]> defined = new HashMap<>();

        JitEvents events() {
            List<JitEvents.Count> compilations = new ArrayList<>();
            compiled.forEach((name, c) -> compilations.add(new JitEvents.Count(name, c[0], c[1], c[2])));
            List<JitEvents.Deoptimisation> deoptimisations = new ArrayList<>();
            deoptimised.forEach((key, c) -> deoptimisations.add(
                    new JitEvents.Deoptimisation(key.get(0), key.get(1), key.get(2), c[0])));
            List<JitEvents.Count> classes = new ArrayList<>();
            defined.forEach((name, c) -> classes.add(new JitEvents.Count(name, c[0], 0, 0)));
            return new JitEvents(compilations, deoptimisations, classes);
        }
    }

    /** The tier of HotSpot's optimising compiler (C2) in {@code jdk.Compilation}'s {@code compileLevel}. */
    private static final long TOP_TIER = 4;

    /**
     * Counts the {@code jdk.Compilation}, {@code jdk.Deoptimization} or {@code jdk.ClassDefine} event at the cursor in
     * its slice: the method compiled (its tier, whether it was installed), the method deoptimised (reason, action), the
     * class defined. A name the chunk does not define, or an event without a start time, is not counted.
     */
    private void readJitEvent(JfrBytes in, JfrEventKind kind) throws JfrFormatException, InvalidProfileException {
        JfrMetadata.Layout layout = chunk.metadata().layout(chunkTypeIds[kind.ordinal()]);
        if (layout == null) {
            return;
        }
        int timeField = layout.field("startTime");
        int nameField = layout.field(kind == JfrEventKind.CLASS_DEFINE ? "definedClass" : "method");
        int levelField = kind == JfrEventKind.COMPILATION ? layout.field("compileLevel") : -1;
        int installedField = kind == JfrEventKind.COMPILATION ? layout.field("succeded") : -1;
        int reasonField = kind == JfrEventKind.DEOPTIMIZATION ? layout.field("reason") : -1;
        int actionField = kind == JfrEventKind.DEOPTIMIZATION ? layout.field("action") : -1;
        if (!layout.isVarint(timeField) || !layout.isVarint(nameField)) {
            return;
        }
        int last = Math.max(Math.max(Math.max(timeField, nameField), Math.max(levelField, installedField)),
                Math.max(reasonField, actionField));
        long ticks = 0;
        long name = 0;
        long level = -1;
        boolean installed = true;
        long reason = -1;
        long action = -1;
        for (int f = 0; f <= last; f++) {
            if (f == installedField && layout.encodings[f] == JfrMetadata.ONE_BYTE && !layout.arrays[f]) {
                installed = in.get() != 0;
            } else if (layout.isVarint(f) && (f == timeField || f == nameField || f == levelField || f == reasonField
                    || f == actionField)) {
                long value = in.varlong();
                if (f == timeField) {
                    ticks = value;
                } else if (f == nameField) {
                    name = value;
                } else if (f == levelField) {
                    level = value;
                } else if (f == reasonField) {
                    reason = value;
                } else {
                    action = value;
                }
            } else {
                layout.skipField(in, f, 0);
            }
        }
        String raw = kind == JfrEventKind.CLASS_DEFINE ? pools.className(name) : pools.frameName(name);
        if (raw == null || raw.isEmpty()) {
            return;
        }
        long time = chunk.ticksToEpochNanos(ticks);
        long index = sliceNanos == 0 ? 0
                : Math.min(finalSliceIndex, Math.max(0, Math.floorDiv(time - originNanos, sliceNanos)));
        JitTally tally = jitTallies.computeIfAbsent(index, k -> new JitTally());
        // A class name as a frame name: "io/x/A$$Lambda$12+0x…" as "io.x.A$$Lambda", one name for every class spun so.
        String named = FrameNames.normalize(kind == JfrEventKind.CLASS_DEFINE ? raw.replace('/', '.') : raw);
        switch (kind) {
            case COMPILATION: {
                long[] c = tally.compiled.computeIfAbsent(named, k -> new long[3]);
                c[0]++;
                c[1] += level == TOP_TIER ? 1 : 0;
                c[2] += installed ? 0 : 1;
                break;
            }
            case DEOPTIMIZATION: {
                String why = reason < 0 ? null : pools.deoptimizationReason(reason);
                String then = action < 0 ? null : pools.deoptimizationAction(action);
                tally.deoptimised.computeIfAbsent(Arrays.asList(named, why == null ? "unknown" : why,
                        then == null ? "unknown" : then), k -> new long[1])[0]++;
                break;
            }
            default:
                tally.defined.computeIfAbsent(named, k -> new long[1])[0]++;
                break;
        }
    }

    private static final long OLD_OBJECT_AGE_NANOS = java.util.concurrent.TimeUnit.MINUTES.toNanos(ProfileType.OLD_OBJECT_AGE_MINUTES);

    /** Events per call of {@link #decodeEvents}: few enough that the method is compiled after ~100 calls. */
    private static final int BATCH = 16;

    /** Decodes up to {@link #BATCH} events from chunk position {@code at}; returns where the next one starts. */
    private int decodeEvents(JfrBytes in, int at, int end) throws InvalidProfileException, JfrFormatException {
        for (int n = 0; n < BATCH && at < end; n++) {
            at = decodeEvent(in, at, end);
        }
        return at;
    }

    /** Decodes the event at chunk position {@code at} if its kind is wanted; returns where the next event starts. */
    private int decodeEvent(JfrBytes in, int at, int end) throws InvalidProfileException, JfrFormatException {
        in.region(at, end);
        int size = in.eventSize(at, "event size");
        int next = at + size;
        int kind = JfrChunkScanner.kindOf(chunkTypeIds, in.varint());
        if (kind == JfrEventKind.JVM_INFORMATION.ordinal() && runtime == null) {
            in.region(in.position(), next);
            runtime = readRuntime(in, next);
            return next;
        }
        if (kind >= 0 && JfrEventKind.of(kind).jit() && cpu >= 0) {
            in.region(in.position(), next);
            readJitEvent(in, JfrEventKind.of(kind));
            return next;
        }
        if (kind < 0 || chunkKinds[kind] == null) {
            return next;
        }
        in.region(in.position(), next);
        EventFields event = chunkKinds[kind];
        long[] values = this.values;
        values[3] = 0; // a kind whose weight field is optional may not set it
        values[5] = Long.MIN_VALUE; // no allocation time read
        readFields(in, event, values);
        position = at;
        eventKind = JfrEventKind.of(kind);
        long time = values[0];
        long stackTrace = values[1];
        switch (JfrEventKind.of(kind)) {
            case EXECUTION_SAMPLE: {
                boolean asleep = sleepingState >= 0 && event.state >= 0 && values[2] == sleepingState;
                add(time, stackTrace, asleep || useCpuTimeSamples ? -1 : cpu, cpuInterval, wallMode ? wall : -1,
                        cpuInterval);
                break;
            }
            case CPU_TIME_SAMPLE: {
                long period = chunk.ticksToNanos(values[3]);
                if (cpuSampling == null) {
                    cpuSampling = new SamplingSetting("JDK CPU-time sampling", period);
                }
                add(time, stackTrace, cpu, period, -1, 0);
                break;
            }
            case WALL_CLOCK_SAMPLE: {
                long samples = event.layout.isVarint(event.weight) ? values[3] : 1;
                add(time, stackTrace, wall, Math.multiplyExact(samples, wallInterval), -1, 0);
                break;
            }
            case ALLOCATION_IN_NEW_TLAB:
            case ALLOCATION_OUTSIDE_TLAB:
            case ALLOCATION_SAMPLE:
                if (JfrEventKind.of(kind) == JfrEventKind.ALLOCATION_IN_NEW_TLAB) {
                    noteNewTlabWeight(values[3]);
                }
                add(time, stackTrace, allocBytes, values[3], allocObjects, 1);
                break;
            case MONITOR_ENTER:
            case THREAD_PARK:
                add(time, stackTrace, lockDelay, chunk.ticksToNanos(values[3]), lockCount, 1);
                break;
            case LIVE_OBJECT:
                // Sampled with probability ~ size / interval: one sample stands for max(size, interval)
                // bytes, as async-profiler weighs its allocation samples (JfrSamplingSettings).
                add(time, stackTrace, liveBytes, Math.max(values[3], allocInterval), liveObjects, 1);
                break;
            case OLD_OBJECT_SAMPLE:
                // The JDK defines no sampling weight for old objects: live bytes are the sampled objects'
                // own sizes (JDK 22+), live objects their number.
                add(time, stackTrace, event.layout.isVarint(event.weight) ? liveBytes : -1, values[3], liveObjects, 1);
                // Written when the recording stops (or is dumped): its time less the allocation time is the object's age.
                if (oldLiveObjects >= 0 && values[5] != Long.MIN_VALUE
                        && chunk.ticksToNanos(time - values[5]) >= OLD_OBJECT_AGE_NANOS) {
                    add(time, stackTrace, oldLiveObjects, 1, -1, 0);
                }
                break;
            case MALLOC: {
                // One sample per nativemem interval of bytes allocated: it stands for max(size, interval) bytes.
                long weight = chunkSettings.nativeSampleBytes(values[3]);
                add(time, stackTrace, mallocBytes, weight, -1, 0);
                if (mallocLeakBytes >= 0) {
                    noteMalloc(time, stackTrace, values[4], values[3], weight);
                }
                break;
            }
            case FREE:
                nativeBlocks.free(time, values[4]);
                break;
            default:
                break;
        }
        return next;
    }

    /** Reads an event's fields up to the last one needed: time, stack trace, state, weight into {@code values}. */
    private static void readFields(JfrBytes in, EventFields event, long[] values) throws JfrFormatException {
        JfrMetadata.Layout layout = event.layout;
        for (int f = 0; f <= event.last; f++) {
            if (!layout.isVarint(f)) {
                layout.skipField(in, f, 0);
                continue;
            }
            long value = in.varlong();
            if (f == event.time) {
                values[0] = value;
            } else if (f == event.stackTrace) {
                values[1] = value;
            } else if (f == event.state) {
                values[2] = value;
            } else if (f == event.weight) {
                values[3] = value;
            } else if (f == event.address) {
                values[4] = value;
            } else if (f == event.allocationTime) {
                values[5] = value;
            }
        }
    }

    /** Adds one event to up to two columns of its slice's profile; column -1 is skipped. */
    private void add(long ticks, long stackTraceId, int column, long value, int secondColumn, long secondValue)
            throws InvalidProfileException, JfrFormatException {
        if (value < 0) {
            throw new JfrFormatException(position, "an event with a negative weight (" + value + ")");
        }
        long time = chunk.ticksToEpochNanos(ticks);
        latestEventNanos = Math.max(latestEventNanos, time);
        if (column < 0 && secondColumn < 0) {
            return; // a column the caller did not ask for (ReadOptions.types), or a sleeping thread's CPU sample
        }
        Slice slice = slice(time);
        int stack = stack(slice, stackTraceId);
        if (stack < 0) {
            // No such stack trace (recorded with stackTrace=false): Pyroscope drops these samples too.
            noteStackless(column);
            noteStackless(secondColumn);
            return;
        }
        if (column >= 0) {
            slice.builder.add(stack, column, value);
            slice.builder.addSampleCount(column, 1);
        }
        if (secondColumn >= 0) {
            slice.builder.add(stack, secondColumn, secondValue);
            slice.builder.addSampleCount(secondColumn, 1);
        }
    }

    /** Counts an event of {@link #eventKind} that had no stack trace, for {@code column} (-1: none). */
    private void noteStackless(int column) {
        if (column >= 0) {
            stacklessEvents[column]++;
            stacklessEventName[column] = eventKind.eventName();
        }
    }

    /**
     * Notes a sampled native allocation for the malloc_leak_bytes column: its slice and stack now (stack trace ids are
     * chunk-local), whether it is freed later.
     */
    private void noteMalloc(long ticks, long stackTraceId, long address, long size, long weight)
            throws InvalidProfileException, JfrFormatException {
        Slice slice = slice(chunk.ticksToEpochNanos(ticks));
        int stack = stack(slice, stackTraceId);
        if (stack < 0) {
            noteStackless(mallocLeakBytes);
        }
        nativeBlocks.malloc(ticks, address, weight, slice, stack);
    }

    /**
     * Adds the sampled native blocks no free released to the malloc_leak_bytes column, as async-profiler's converter
     * does with {@code --nativemem --leak}: blocks allocated in the recording's last {@value NativeBlocks#TAIL} of its
     * time are left out (recent allocations not yet freed are not leaks), the rest weigh what their sample stands for,
     * as in the malloc_bytes column.
     */
    private void addNotFreed() {
        long cutoff = nativeBlocks.cutoff();
        for (NativeBlocks.Block block : nativeBlocks.notFreed()) {
            if (block.ticks() <= cutoff && block.stack() >= 0) {
                block.slice().builder.add(block.stack(), mallocLeakBytes, block.weight());
                block.slice().builder.addSampleCount(mallocLeakBytes, 1);
            }
        }
    }

    /**
     * The sampled native blocks of {@code nativemem} not freed so far. Events are applied a chunk at a time in time
     * order (the profiler writes each thread's buffer in turn, so a free can be read before the malloc it frees).
     */
    private static final class NativeBlocks {
        /** The fraction of the recording's time, at its end, whose allocations are left out: the converter's default. */
        static final double TAIL = 0.1;

        /**
         * A sampled block not freed: when (ticks) and where (slice, stack in its builder; -1 without a stack) it was
         * allocated, and the bytes its sample stands for.
         */
        record Block(long ticks, long weight, Slice slice, int stack) {
        }

        /** One sampled malloc read in the current chunk. */
        private record Pending(long ticks, long address, long weight, Slice slice, int stack) {
        }

        private final Map<Long, Block> blocks = new HashMap<>();
        private final List<Pending> chunkMallocs = new ArrayList<>();
        /**
         * The chunk's frees, (ticks, address) pairs in two primitive arrays: async-profiler writes every free, sampled
         * block or not (qa48: 3,847 frees beside 109 sampled mallocs a minute), so a record each would hold about 64
         * bytes per free until the chunk ends; these hold 16.
         */
        private long[] freeTicks = new long[1024];
        private long[] freeAddresses = new long[1024];
        private int frees;
        private long minTicks = Long.MAX_VALUE;
        private long maxTicks = Long.MIN_VALUE;

        void malloc(long ticks, long address, long weight, Slice slice, int stack) {
            chunkMallocs.add(new Pending(ticks, address, weight, slice, stack));
            seen(ticks);
        }

        void free(long ticks, long address) {
            if (frees == freeTicks.length) {
                freeTicks = Arrays.copyOf(freeTicks, frees * 2);
                freeAddresses = Arrays.copyOf(freeAddresses, frees * 2);
            }
            freeTicks[frees] = ticks;
            freeAddresses[frees++] = address;
            seen(ticks);
        }

        private void seen(long ticks) {
            minTicks = Math.min(minTicks, ticks);
            maxTicks = Math.max(maxTicks, ticks);
        }

        /**
         * Applies the chunk's events in time order (a stable sort: a malloc and a free of the same tick keep their read
         * order). Only frees of a sampled block matter: of one still held from earlier chunks, or of an address a
         * sampled malloc of this chunk returned; the rest are dropped before sorting.
         */
        void endChunk() {
            Set<Long> sampled = new HashSet<>(blocks.keySet());
            for (Pending m : chunkMallocs) {
                sampled.add(m.address());
            }
            List<Pending> events = new ArrayList<>(chunkMallocs);
            for (int i = 0; i < frees; i++) {
                if (sampled.contains(freeAddresses[i])) {
                    events.add(new Pending(freeTicks[i], freeAddresses[i], 0, null, -1)); // weight 0: a free
                }
            }
            events.sort(Comparator.comparingLong(Pending::ticks));
            for (Pending e : events) {
                if (e.slice() != null) {
                    blocks.put(e.address(), new Block(e.ticks(), e.weight(), e.slice(), e.stack()));
                } else {
                    blocks.remove(e.address());
                }
            }
            chunkMallocs.clear();
            frees = 0;
            if (freeTicks.length > 1 << 16) {
                freeTicks = new long[1024]; // a burst of frees in one chunk is not held for the rest of the recording
                freeAddresses = new long[1024];
            }
        }

        /** The last tick whose allocations count: the same arithmetic as the converter's. */
        long cutoff() {
            return (long) (minTicks * TAIL + maxTicks * (1 - TAIL));
        }

        Collection<Block> notFreed() {
            return blocks.values();
        }
    }

    /** File offset of the event being decoded: where a failure is reported. */
    long position() {
        return chunk == null ? 0 : chunk.offset() + (long) position;
    }

    private Slice slice(long epochNanos) throws InvalidProfileException {
        long index = sliceNanos == 0 ? 0
                : Math.min(finalSliceIndex, Math.max(0, Math.floorDiv(epochNanos - originNanos, sliceNanos)));
        if (index == lastSliceIndex) {
            return lastSlice;
        }
        Slice slice = slices.get(index);
        if (slice == null) {
            if (slices.size() >= MAX_SLICES) {
                throw new TooManySlicesException(source, ProfileFormat.JFR, options.slice(), -1, MAX_SLICES);
            }
            slice = new Slice(new ProfileBuilder(source, ProfileFormat.JFR, sampleTypes, options.maxStackDepth()));
            slices.put(index, slice);
        }
        lastSlice = slice;
        lastSliceIndex = index;
        return slice;
    }

    private int stack(Slice slice, long stackTraceId) throws InvalidProfileException, JfrFormatException {
        if (slice.cachedChunk != chunkIndex) {
            slice.stacks.clear();
            slice.functions.clear();
            slice.cachedChunk = chunkIndex;
        }
        int cached = slice.stacks.get(stackTraceId);
        return cached >= 0 ? cached : newStack(slice, stackTraceId);
    }

    /** Resolves a stack trace the slice has not seen in this chunk (its own method: the JIT keeps {@link #stack} small). */
    private int newStack(Slice slice, long stackTraceId) throws InvalidProfileException, JfrFormatException {
        int depth = pools.stackDepth(stackTraceId);
        if (depth < 0) {
            return -1;
        }
        if (depth > options.maxStackDepth()) {
            throw new StackDepthLimitException(source, ProfileFormat.JFR, -1, "stack trace " + stackTraceId + " has "
                    + depth + " frames, more than the limit of " + options.maxStackDepth(), options.maxStackDepth());
        }
        if (methods.length < depth) {
            methods = new long[Math.max(depth, methods.length * 2)];
            frames = new int[methods.length];
        }
        pools.readFrames(methods, depth);
        int kept = 0;
        // async-profiler's interposer (malloc_hook, ...) is the leaf of every native allocation it samples: the
        // allocation is its caller's (os::malloc, Unsafe_AllocateMemory0), as a Java allocation sample's leaf is the
        // allocating method, not the profiler's callback.
        int from = depth > 1 && allocationHook(pools.frameName(methods[0])) ? 1 : 0;
        for (int d = from; d < depth; d++) {
            int function = function(slice, methods[d]);
            if (function >= 0) {
                frames[kept++] = function;
            }
        }
        int index = slice.builder.stack(frames, kept, 0);
        slice.stacks.put(stackTraceId, index);
        return index;
    }

    /** async-profiler's malloc, calloc, realloc, posix_memalign and aligned_alloc interposers (nativemem, 4.x). */
    private static final Set<String> ALLOCATION_HOOKS = Set.of("malloc_hook", "calloc_hook", "realloc_hook",
            "posix_memalign_hook", "aligned_alloc_hook", "calloc_hook_dummy", "posix_memalign_hook_dummy");

    /** Whether a frame (its raw name, {@code libasyncProfiler.so.malloc_hook}) is one of async-profiler's interposers. */
    private static boolean allocationHook(String raw) {
        if (raw == null || !raw.startsWith("libasyncProfiler")) {
            return false;
        }
        return ALLOCATION_HOOKS.contains(raw.substring(raw.lastIndexOf('.') + 1));
    }

    /** Function id of a method in the slice's builder; -1 when the recording does not define it or its class. */
    private int function(Slice slice, long methodId) throws JfrFormatException {
        int cached = slice.functions.get(methodId);
        if (cached >= 0) {
            return cached;
        }
        String raw = pools.frameName(methodId);
        if (raw == null) {
            return -1;
        }
        int function = slice.builder.function(raw);
        slice.functions.put(methodId, function);
        return function;
    }
}
