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
    private final ByteBuffer file;
    private final ByteBuffer readerBuffer;
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
    private final long sliceNanos;
    private final Map<Long, Slice> slices = new TreeMap<>();
    private Slice lastSlice;
    private long lastSliceIndex = Long.MIN_VALUE;

    private JfrReader reader;
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

    JfrRecordingDecoder(String source, ByteBuffer file, ByteBuffer readerBuffer, List<JfrChunk> chunks,
                        ReadOptions options) throws InvalidProfileException {
        this.source = source;
        this.file = file;
        this.readerBuffer = readerBuffer;
        this.chunks = chunks;
        this.options = options;

        long[] totals = new long[JfrEventKind.values().length];
        boolean wallMode = false;
        long origin = Long.MAX_VALUE;
        long end = Long.MIN_VALUE;
        for (JfrChunk c : chunks) {
            for (int k = 0; k < totals.length; k++) {
                totals[k] += c.eventCounts()[k];
            }
            wallMode |= c.settings().wallMode() && c.count(JfrEventKind.EXECUTION_SAMPLE) > 0;
            origin = Math.min(origin, c.startNanos());
            end = Math.max(end, c.endNanos());
        }
        this.originNanos = origin;
        this.endNanos = end;
        long events = 0;
        for (long t : totals) {
            events += t;
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
        if (totals[JfrEventKind.EXECUTION_SAMPLE.ordinal()] > 0) {
            cpu = column(ProfileType.CPU);
        }
        if (totals[JfrEventKind.WALL_CLOCK_SAMPLE.ordinal()] > 0 || wallMode) {
            wall = column(ProfileType.WALL);
        }
        if (alloc) {
            allocBytes = column(ProfileType.ALLOC_BYTES);
            allocObjects = column(ProfileType.ALLOC_OBJECTS);
        }
        if (lock) {
            lockDelay = column(ProfileType.LOCK_DELAY);
            lockCount = column(ProfileType.LOCK_COUNT);
        }
        if (sampleTypes.isEmpty()) {
            // A valid recording without profiling events: an empty CPU profile, so callers see "no samples".
            cpu = column(ProfileType.CPU);
        }
        this.sliceNanos = options.slice() == null ? 0 : Math.max(1, options.slice().toNanos());
    }

    private int column(ProfileType type) {
        sampleTypes.add(SampleType.of(type));
        return sampleTypes.size() - 1;
    }

    List<Profile> decode() throws IOException, InvalidProfileException, JfrFormatException {
        reader = new JfrReader(readerBuffer);
        reader.stopAtNewChunk = true;
        for (chunkIndex = 0; chunkIndex < chunks.size(); chunkIndex++) {
            chunk = chunks.get(chunkIndex);
            if (chunkIndex > 0 && !reader.hasMoreChunks()) {
                throw new JfrFormatException(chunk.offset(), "async-profiler's reader stopped before chunk " + (chunkIndex + 1));
            }
            if (reader.chunkStartNanos != chunk.startNanos()) {
                throw new JfrFormatException(chunk.offset(), "async-profiler's reader lost track of the chunks");
            }
            decodeChunk(JfrChunkScanner.kindSequence(file, chunk));
        }
        if (slices.isEmpty()) {
            slice(originNanos);
        }
        List<Profile> profiles = new ArrayList<>(slices.size());
        for (Map.Entry<Long, Slice> entry : slices.entrySet()) {
            ProfileBuilder builder = entry.getValue().builder;
            if (sliceNanos == 0) {
                builder.interval(originNanos, Math.max(0, endNanos - originNanos));
            } else {
                long start = originNanos + entry.getKey() * sliceNanos;
                long length = Math.min(sliceNanos, Math.max(endNanos - start, 1));
                builder.interval(start, length);
            }
            profiles.add(builder.build());
        }
        return profiles;
    }

    private void decodeChunk(byte[] kinds) throws IOException, InvalidProfileException, JfrFormatException {
        sleepingState = reader.getEnumKey("jdk.types.ThreadState", "STATE_SLEEPING");
        JfrSamplingSettings settings = chunk.settings();
        long cpuInterval = settings.cpuIntervalNanos();
        long wallInterval = settings.wallIntervalNanos();
        boolean wallMode = settings.wallMode();
        int next = 0;
        for (Event event; (event = reader.readEvent()) != null; ) {
            Class<?> type = event.getClass();
            JfrEventKind.Family family;
            if (type == ExecutionSample.class) {
                family = JfrEventKind.Family.EXECUTION;
            } else if (type == AllocationSample.class) {
                family = JfrEventKind.Family.ALLOCATION;
            } else if (type == ContendedLock.class) {
                family = JfrEventKind.Family.LOCK;
            } else {
                continue;
            }
            if (next >= kinds.length || JfrEventKind.of(kinds[next]).family() != family) {
                throw new JfrFormatException(readerBuffer.position(),
                        "events decoded out of step with the chunk's structure");
            }
            JfrEventKind kind = JfrEventKind.of(kinds[next++]);
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
                    // native-method and CPU-time samples: decoded to stay in step, not profiled.
                    break;
            }
        }
    }

    /** Adds one event to up to two columns of its slice's profile; column -1 is skipped. */
    private void add(Event event, int column, long value, int secondColumn, long secondValue)
            throws InvalidProfileException, JfrFormatException {
        if (value < 0) {
            throw new JfrFormatException(readerBuffer.position(), "an event with a negative weight (" + value + ")");
        }
        Slice slice = slice(chunk.ticksToEpochNanos(event.time));
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
