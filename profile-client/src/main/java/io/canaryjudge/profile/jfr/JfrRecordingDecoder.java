package io.canaryjudge.profile.jfr;

import io.canaryjudge.profile.InvalidProfileException;
import io.canaryjudge.profile.Profile;
import io.canaryjudge.profile.ProfileBuilder;
import io.canaryjudge.profile.ProfileFormat;
import io.canaryjudge.profile.ProfileType;
import io.canaryjudge.profile.ReadOptions;
import io.canaryjudge.profile.SampleType;
import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import one.jfr.ClassRef;
import one.jfr.JfrReader;
import one.jfr.MethodRef;
import one.jfr.StackTrace;
import one.jfr.event.AllocationSample;
import one.jfr.event.ContendedLock;
import one.jfr.event.Event;
import one.jfr.event.ExecutionSample;

/**
 * One decoding of a checked recording: drives async-profiler's reader chunk by chunk, pairs each
 * decoded event with the kind the scan saw at that place, and adds it to the profile of its time
 * slice. Stack traces and methods are resolved once per chunk and slice (ids are chunk-local).
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
    private final boolean useAllocationSamples;

    private final long originNanos;
    private final long endNanos;
    /** Latest event time seen; some producers stamp events after the chunk's declared end. */
    private long latestEventNanos = Long.MIN_VALUE;
    private final long sliceNanos;
    private final Map<Long, Slice> slices = new TreeMap<>();
    private Slice lastSlice;
    private long lastSliceIndex = Long.MIN_VALUE;

    private JfrReader reader;
    /** The current chunk's bytes, the chunk at position 0; the reader's buffer. */
    private ByteBuffer chunkBuffer;
    /** See {@link #decodedClass()}. */
    private Class<? extends Event> decodedClass;
    /** Per {@link JfrEventKind} ordinal: whether the reader hands such events out. */
    private boolean[] handedOut;
    private int chunkIndex;
    private JfrChunk chunk;
    private int sleepingState;
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
         * The bytes of {@code chunk} from position 0, followed by up to {@value JfrChunkScanner#CHUNK_HEADER_SIZE}
         * bytes of the file after it (the next chunk's header): async-profiler's reader reads an
         * event only with that many bytes left in its buffer, and stops at the next chunk's magic,
         * so it sees exactly what it sees when it reads the whole file. A fresh buffer each call;
         * it may share memory with the previous one, which is no longer used.
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
            if (JfrEventKind.of(k).sample()) {
                events += totals[k];
            }
        }
        if (events > options.maxSamples()) {
            throw new InvalidProfileException(source, ProfileFormat.JFR, 0, "recording holds " + events
                    + " sample events, more than the limit of " + options.maxSamples());
        }
        boolean tlab = totals[JfrEventKind.ALLOCATION_IN_NEW_TLAB.ordinal()]
                + totals[JfrEventKind.ALLOCATION_OUTSIDE_TLAB.ordinal()] > 0;
        this.useAllocationSamples = !tlab;
        boolean alloc = tlab || totals[JfrEventKind.ALLOCATION_SAMPLE.ordinal()] > 0;
        boolean lock = totals[JfrEventKind.MONITOR_ENTER.ordinal()] + totals[JfrEventKind.THREAD_PARK.ordinal()] > 0;
        boolean hasCpu = totals[JfrEventKind.EXECUTION_SAMPLE.ordinal()] > 0;
        boolean hasWall = totals[JfrEventKind.WALL_CLOCK_SAMPLE.ordinal()] > 0 || wallMode;
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
        if (!hasCpu && !hasWall && !alloc && !lock && foreign > 0) {
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
            throw new InvalidProfileException(source, ProfileFormat.JFR, 0, "slicing " + (end - origin)
                    + " ns of recording by " + options.slice() + " gives more than " + MAX_SLICES
                    + " slices; choose a longer slice");
        }
    }

    /**
     * The one event class async-profiler's reader is asked for ({@code readEvent(Class)}, which
     * skips every other event by its size without decoding it), or {@code null} to decode all.
     * Only when the caller restricted {@link ReadOptions#types()} and every column wanted comes
     * from events of one class: {@code collapse --profile-type cpu} then never builds the
     * millions of allocation events a recording may also hold.
     */
    private Class<? extends Event> decodedClass() {
        if (options.types() == null) {
            return null;
        }
        boolean execution = cpu >= 0 || wall >= 0;
        boolean allocation = allocBytes >= 0 || allocObjects >= 0;
        boolean locks = lockDelay >= 0 || lockCount >= 0;
        int classes = (execution ? 1 : 0) + (allocation ? 1 : 0) + (locks ? 1 : 0);
        if (classes > 1) {
            return null;
        }
        return allocation ? AllocationSample.class : locks ? ContendedLock.class : ExecutionSample.class;
    }

    private int column(ProfileType type) {
        sampleTypes.add(SampleType.of(type));
        return sampleTypes.size() - 1;
    }

    List<Profile> decode() throws IOException, InvalidProfileException, JfrFormatException {
        decodedClass = decodedClass();
        handedOut = new boolean[JfrEventKind.values().length];
        for (int k = 0; k < handedOut.length; k++) {
            handedOut[k] = decodedClass == null || JfrEventKind.of(k).decodedAs() == decodedClass;
        }
        for (chunkIndex = 0; chunkIndex < chunks.size(); chunkIndex++) {
            chunk = chunks.get(chunkIndex);
            // One reader per chunk (chunks are self-contained): only one chunk's bytes and pools live at a time.
            chunkBuffer = chunkBytes.load(chunk);
            reader = new JfrReader(chunkBuffer);
            reader.stopAtNewChunk = true;
            if (reader.chunkStartNanos != chunk.startNanos()) {
                throw new JfrFormatException(chunk.offset(), "async-profiler's reader lost track of the chunks");
            }
            try {
                decodeChunk(new JfrEventCursor(chunkBuffer, chunk, handedOut));
            } catch (JfrFormatException e) {
                throw new JfrFormatException(chunk.offset() + e.offset(), e.getMessage()); // chunk-relative to file offset
            }
        }
        reader = null;
        chunkBuffer = null;
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
                builder.interval(start, Math.min(sliceNanos, Math.max(end - start, 1)));
            }
            profiles.add(builder.build());
        }
        return profiles;
    }

    private void decodeChunk(JfrEventCursor cursor) throws IOException, InvalidProfileException, JfrFormatException {
        sleepingState = reader.getEnumKey("jdk.types.ThreadState", "STATE_SLEEPING");
        JfrSamplingSettings settings = chunk.settings();
        long cpuInterval = settings.cpuIntervalNanos();
        long wallInterval = settings.wallIntervalNanos();
        boolean wallMode = settings.wallMode();
        if (chunkBuffer.position() != cursor.position()) {
            throw new JfrFormatException(chunk.offset(), "async-profiler's reader did not start at the chunk's first event");
        }
        while (true) {
            int expected = cursor.next();
            Event event = decodedClass == null ? reader.readEvent() : reader.readEvent(decodedClass);
            if (event == null) {
                return; // chunk end (events in a file's last 68 bytes are never read by the library)
            }
            if (expected < 0 || event.getClass() != JfrEventKind.of(expected).decodedAs()) {
                throw new JfrFormatException(cursor.position(), "events decoded out of step with the chunk's structure");
            }
            // The reader continues where its field parsing stopped; put it at the event's declared end.
            chunkBuffer.position(cursor.eventEnd());
            JfrEventKind kind = JfrEventKind.of(expected);
            switch (kind) {
                case EXECUTION_SAMPLE: {
                    ExecutionSample sample = (ExecutionSample) event;
                    boolean sleeping = sample.threadState == sleepingState && sleepingState >= 0;
                    if (!sleeping) {
                        add(event, cpu, cpuInterval, -1, 0);
                    }
                    if (wallMode) {
                        add(event, wall, cpuInterval, -1, 0);
                    }
                    break;
                }
                case WALL_CLOCK_SAMPLE: {
                    ExecutionSample sample = (ExecutionSample) event;
                    add(event, wall, Math.multiplyExact((long) sample.samples, wallInterval), -1, 0);
                    break;
                }
                case ALLOCATION_IN_NEW_TLAB: {
                    AllocationSample sample = (AllocationSample) event;
                    add(event, allocBytes, sample.tlabSize, allocObjects, 1);
                    break;
                }
                case ALLOCATION_OUTSIDE_TLAB: {
                    AllocationSample sample = (AllocationSample) event;
                    add(event, allocBytes, sample.allocationSize, allocObjects, 1);
                    break;
                }
                case ALLOCATION_SAMPLE: {
                    if (useAllocationSamples) {
                        AllocationSample sample = (AllocationSample) event;
                        add(event, allocBytes, sample.allocationSize, allocObjects, 1);
                    }
                    break;
                }
                case MONITOR_ENTER:
                case THREAD_PARK: {
                    ContendedLock lock = (ContendedLock) event;
                    add(event, lockDelay, chunk.ticksToNanos(lock.duration), lockCount, 1);
                    break;
                }
                default:
                    // native-method and CPU-time samples, counters, traces: decoded to stay in step, not profiled.
                    break;
            }
        }
    }

    /** Adds one event to up to two columns of its slice's profile; column -1 is skipped. */
    private void add(Event event, int column, long value, int secondColumn, long secondValue)
            throws InvalidProfileException, JfrFormatException {
        if (value < 0) {
            throw new JfrFormatException(chunkBuffer.position(), "an event with a negative weight (" + value + ")");
        }
        long time = chunk.ticksToEpochNanos(event.time);
        latestEventNanos = Math.max(latestEventNanos, time);
        if (column < 0 && secondColumn < 0) {
            return; // a column the caller did not ask for (ReadOptions.types)
        }
        Slice slice = slice(time);
        int stack = stack(slice, event.stackTraceId);
        if (stack < 0) {
            return; // no such stack trace: Pyroscope drops these samples too
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

    /** File offset the reader stands at: where a failure of the library is reported. */
    long position() {
        return chunk == null || chunkBuffer == null ? 0 : chunk.offset() + (long) chunkBuffer.position();
    }

    private Slice slice(long epochNanos) throws InvalidProfileException {
        long index = sliceNanos == 0 ? 0 : Math.max(0, Math.floorDiv(epochNanos - originNanos, sliceNanos));
        if (index == lastSliceIndex) {
            return lastSlice;
        }
        Slice slice = slices.get(index);
        if (slice == null) {
            if (slices.size() >= MAX_SLICES) {
                throw new InvalidProfileException(source, ProfileFormat.JFR, -1, "slicing by " + options.slice()
                        + " gives more than " + MAX_SLICES + " slices; choose a longer slice");
            }
            slice = new Slice(new ProfileBuilder(source, ProfileFormat.JFR, sampleTypes, options.maxStackDepth()));
            slices.put(index, slice);
        }
        lastSlice = slice;
        lastSliceIndex = index;
        return slice;
    }

    private int stack(Slice slice, int stackTraceId) throws InvalidProfileException {
        if (slice.cachedChunk != chunkIndex) {
            slice.stacks.clear();
            slice.functions.clear();
            slice.cachedChunk = chunkIndex;
        }
        int cached = slice.stacks.get(stackTraceId);
        if (cached >= 0) {
            return cached;
        }
        StackTrace trace = reader.stackTraces.get(stackTraceId);
        if (trace == null) {
            return -1;
        }
        long[] methods = trace.methods;
        if (methods.length > options.maxStackDepth()) {
            throw new InvalidProfileException(source, ProfileFormat.JFR, -1, "stack trace " + stackTraceId + " has "
                    + methods.length + " frames, more than the limit of " + options.maxStackDepth());
        }
        if (frames.length < methods.length) {
            frames = new int[Math.max(methods.length, frames.length * 2)];
        }
        int depth = 0;
        for (long method : methods) {
            int function = function(slice, method);
            if (function >= 0) {
                frames[depth++] = function;
            }
        }
        int index = slice.builder.stack(frames, depth, 0);
        slice.stacks.put(stackTraceId, index);
        return index;
    }

    /** Function id of a method in the slice's builder; -1 when the recording does not define it. */
    private int function(Slice slice, long methodId) {
        int cached = slice.functions.get(methodId);
        if (cached >= 0) {
            return cached;
        }
        MethodRef method = reader.methods.get(methodId);
        if (method == null) {
            return -1;
        }
        ClassRef type = reader.classes.get(method.cls);
        if (type == null) {
            return -1; // as Pyroscope: a frame whose class is unknown is left out
        }
        // As Pyroscope names frames: class + "." + method, also when the class name is empty (native frames).
        String raw = symbol(type.name) + "." + symbol(method.name);
        int function = slice.builder.function(raw);
        slice.functions.put(methodId, function);
        return function;
    }

    private String symbol(long id) {
        byte[] bytes = reader.symbols.get(id);
        return bytes == null ? "" : new String(bytes, StandardCharsets.UTF_8);
    }
}
