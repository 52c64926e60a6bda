package io.canaryjudge.profile.jfr;

import io.canaryjudge.profile.jfr.JfrMetadata.Layout;
import java.nio.ByteBuffer;
import java.util.HashMap;
import java.util.HashSet;
import java.util.Map;
import java.util.Set;

/**
 * One chunk's constant pools, indexed rather than decoded: for the pools a profile needs (stack
 * traces, methods, classes, symbols, strings) the position of each entry's value in the chunk,
 * by key. An entry is decoded when an event first refers to it, and then only the fields a
 * frame name needs. Every other pool is skipped by its metadata layout, which also checks it.
 *
 * <p>The checkpoint chain is followed from the chunk header's offset by each checkpoint's delta
 * until a delta of 0; a link outside the chunk or back to a visited checkpoint is an error.
 * Reused from chunk to chunk.
 */
final class JfrConstantPools {
    private final LongIntMap stackTraces = new LongIntMap();
    private final LongIntMap methods = new LongIntMap();
    private final LongIntMap classes = new LongIntMap();
    private final LongIntMap symbols = new LongIntMap();
    private final LongIntMap strings = new LongIntMap();
    private JfrBytes in;
    private int chunkEnd;
    /** Key of the thread state {@code STATE_SLEEPING}, or -1. */
    private long sleepingState;
    /** Key of the {@code jdk.types.GCWhen} entry {@code "After GC"}, or -1. */
    private long afterGcWhen;
    /** The chunk's {@code jdk.types.GCName} entries: key to collector name ({@code "ZGC Major"}). */
    private final Map<Long, String> gcNames = new HashMap<>();
    /** The chunk's {@code jdk.types.DeoptimizationReason} and {@code …Action} entries: key to name ("unstable_if"). */
    private final Map<Long, String> deoptimizationReasons = new HashMap<>();
    private final Map<Long, String> deoptimizationActions = new HashMap<>();

    private Layout stackTrace;
    private int framesField;
    private Layout stackFrame;
    private int frameMethodField;
    /** Sizes of the scalar fields before and after the frames ({@link Layout#scalarSizes(int, int)}), or null. */
    private byte[] stackTraceHead;
    private byte[] stackTraceTail;
    private Layout method;
    private int methodTypeField;
    private int methodNameField;
    private Layout type;
    private int typeNameField;
    private Layout symbol;
    private int symbolStringField;

    /**
     * Indexes the pools of {@code info}'s chunk.
     *
     * @param chunk the chunk's bytes from position 0 (positions in errors are chunk-relative)
     */
    void read(ByteBuffer chunk, JfrChunk info) throws JfrFormatException {
        this.chunkEnd = info.size();
        this.in = new JfrBytes(chunk, 0, chunkEnd);
        stackTraces.clear();
        methods.clear();
        classes.clear();
        symbols.clear();
        strings.clear();
        sleepingState = -1;
        afterGcWhen = -1;
        gcNames.clear();
        deoptimizationReasons.clear();
        deoptimizationActions.clear();
        JfrMetadata metadata = info.metadata();
        layouts(metadata);

        Set<Integer> visited = new HashSet<>();
        long offset = info.constantPoolOffset();
        while (true) {
            if (offset < JfrChunkScanner.CHUNK_HEADER_SIZE || offset >= chunkEnd) {
                throw new JfrFormatException((int) Math.max(0, Math.min(offset, chunkEnd)),
                        "checkpoint chain leads outside the chunk (offset " + offset + ")");
            }
            int at = (int) offset;
            if (!visited.add(at)) {
                throw new JfrFormatException(at, "checkpoint chain loops back to byte " + at + " of the chunk");
            }
            in.region(at, chunkEnd);
            int size = in.eventSize(at, "checkpoint size");
            in.region(in.position(), at + size);
            int eventType = in.varint();
            if (eventType != JfrChunkScanner.EVENT_TYPE_CHECKPOINT) {
                throw new JfrFormatException(at, "the constant pool offset points at an event of type " + eventType
                        + ", not a checkpoint");
            }
            in.varlong(); // start time
            in.varlong(); // duration
            long delta = in.varlong();
            in.varint(); // flush / type mask
            readPools(metadata);
            if (delta == 0) {
                return;
            }
            offset += delta;
        }
    }

    private void layouts(JfrMetadata metadata) throws JfrFormatException {
        stackTrace = layoutOf(metadata, "jdk.types.StackTrace");
        framesField = stackTrace == null ? -1 : stackTrace.field("frames");
        stackFrame = null;
        frameMethodField = -1;
        if (framesField >= 0) {
            stackFrame = stackTrace.structs[framesField];
            if (!stackTrace.arrays[framesField] || stackFrame == null || !stackFrame.isVarint(stackFrame.field("method"))) {
                throw new JfrFormatException(0, "jdk.types.StackTrace's frames are not an array of frames with a method");
            }
            frameMethodField = stackFrame.field("method");
        }
        stackTraceHead = null;
        stackTraceTail = null;
        if (framesField >= 0 && stackFrame.allVarints) {
            byte[] head = stackTrace.scalarSizes(0, framesField);
            byte[] tail = stackTrace.scalarSizes(framesField + 1, stackTrace.fieldCount);
            if (head != null && tail != null) {
                stackTraceHead = head;
                stackTraceTail = tail;
            }
        }
        method = layoutOf(metadata, "jdk.types.Method");
        methodTypeField = varintFieldIndex(method, "type");
        methodNameField = varintFieldIndex(method, "name");
        type = layoutOf(metadata, "java.lang.Class");
        typeNameField = varintFieldIndex(type, "name");
        symbol = layoutOf(metadata, "jdk.types.Symbol");
        symbolStringField = symbol == null ? -1 : symbol.field("string");
    }

    private static Layout layoutOf(JfrMetadata metadata, String name) {
        int id = metadata.classId(name);
        return id < 0 ? null : metadata.layout(id);
    }

    /** Index of {@code layout}'s field {@code name} when it holds one varint, else -1. */
    private static int varintFieldIndex(Layout layout, String name) {
        int field = layout == null ? -1 : layout.field(name);
        return layout != null && layout.isVarint(field) ? field : -1;
    }

    private void readPools(JfrMetadata metadata) throws JfrFormatException {
        int poolCount = in.count("constant pool count");
        for (int p = 0; p < poolCount; p++) {
            int at = in.position();
            int typeId = in.varint();
            Layout layout = metadata.layout(typeId);
            if (layout == null || layout.type.name == null) {
                throw new JfrFormatException(at, "constant pool of undeclared type " + typeId);
            }
            if (layout == stackTrace && stackTraceHead != null) {
                indexStackTraces(in.count("jdk.types.StackTrace pool size"));
                continue;
            }
            LongIntMap index = index(layout);
            boolean threadStates = "jdk.types.ThreadState".equals(layout.type.name);
            boolean gcWhen = "jdk.types.GCWhen".equals(layout.type.name);
            Map<Long, String> names = "jdk.types.GCName".equals(layout.type.name) ? gcNames
                    : "jdk.types.DeoptimizationReason".equals(layout.type.name) ? deoptimizationReasons
                    : "jdk.types.DeoptimizationAction".equals(layout.type.name) ? deoptimizationActions : null;
            boolean isString = "java.lang.String".equals(layout.type.name);
            int count = in.count(layout.type.name + " pool size"); // every entry's key takes a byte at least
            // One call per entry, for the JIT (see JfrChunkScanner.countEvents).
            for (int n = 0; n < count; n++) {
                indexEntry(layout, index, threadStates, gcWhen, names, isString);
            }
        }
    }

    /** Indexes the pool entry at the cursor (key, then value) and skips its value. */
    private void indexEntry(Layout layout, LongIntMap index, boolean threadStates, boolean gcWhen,
                            Map<Long, String> names, boolean isString) throws JfrFormatException {
        long key = in.varlong();
        int value = in.position();
        if (index != null) {
            index.put(key, value);
        }
        if (threadStates && sleepingState < 0 && layout.fieldCount == 1 && layout.encodings[0] == JfrMetadata.STRING) {
            if ("STATE_SLEEPING".equals(in.string())) {
                sleepingState = key;
            }
            in.seek(value);
        }
        if (gcWhen && afterGcWhen < 0 && layout.fieldCount == 1 && layout.encodings[0] == JfrMetadata.STRING) {
            if (AFTER_GC.equals(in.string())) {
                afterGcWhen = key;
            }
            in.seek(value);
        }
        if (names != null && layout.fieldCount == 1 && layout.encodings[0] == JfrMetadata.STRING) {
            String name = in.string();
            if (name != null) {
                names.put(key, name);
            }
            in.seek(value);
        }
        if (isString) {
            in.skipString(); // the String pool's values are strings; the class declares no fields
        } else {
            layout.skip(in);
        }
    }

    /**
     * The stack-trace pool, the bulk of a chunk's pools (a third of an async-profiler recording):
     * its own loop, so that the JIT compiles it alone. Each entry: its key, the fields before the
     * frames (numbers), the frames (an array of varint-only frames: one skip over count × fields
     * varints), the fields after them (numbers).
     */
    private void indexStackTraces(int count) throws JfrFormatException {
        byte[] head = stackTraceHead;
        byte[] tail = stackTraceTail;
        long frameFields = stackFrame.fieldCount;
        for (int n = 0; n < count; n++) {
            indexStackTrace(head, tail, frameFields); // one call per entry, as in readPools
        }
    }

    private void indexStackTrace(byte[] head, byte[] tail, long frameFields) throws JfrFormatException {
        long key = in.varlong();
        stackTraces.put(key, in.position());
        in.skipScalars(head);
        in.skipVarlongs(in.count("jdk.types.StackTrace.frames length") * frameFields);
        in.skipScalars(tail);
    }

    private LongIntMap index(Layout layout) {
        if (layout == stackTrace) {
            return stackTraces;
        }
        if (layout == method) {
            return methods;
        }
        if (layout == type) {
            return classes;
        }
        if (layout == symbol) {
            return symbols;
        }
        return "java.lang.String".equals(layout.type.name) ? strings : null;
    }

    /** The {@code when} of a heap summary taken after a collection (JDK and async-profiler spell it so). */
    static final String AFTER_GC = "After GC";

    /** The key of the {@code jdk.types.GCWhen} entry {@code "After GC"}, or -1 when the chunk declares none. */
    long afterGcWhen() {
        return afterGcWhen;
    }

    /** The collector name of {@code jdk.types.GCName} entry {@code key}, or null. */
    String gcName(long key) {
        return gcNames.get(key);
    }

    /** The name of {@code jdk.types.DeoptimizationReason} entry {@code key} ("unstable_if"), or null. */
    String deoptimizationReason(long key) {
        return deoptimizationReasons.get(key);
    }

    /** The name of {@code jdk.types.DeoptimizationAction} entry {@code key} ("reinterpret"), or null. */
    String deoptimizationAction(long key) {
        return deoptimizationActions.get(key);
    }

    /** The name of class {@code key} as the recording spells it, or null when the chunk does not define it. */
    String className(long key) throws JfrFormatException {
        int at = classes.get(key);
        if (at < 0 || typeNameField < 0) {
            return null;
        }
        in.region(at, chunkEnd);
        return symbol(lookUpVarintField(type, typeNameField));
    }

    /**
     * The string value at chunk position {@code at} (an event's inline {@code String} field, or a
     * reference into the string pool), or null.
     */
    String stringAt(int at, int end) throws JfrFormatException {
        in.region(at, end);
        return stringAtCursor(true);
    }

    /** The key of the thread state {@code STATE_SLEEPING}, or -1 when the chunk declares none. */
    long sleepingState() {
        return sleepingState;
    }

    /**
     * Finds stack trace {@code key} and stands before its frames: their number, or -1 when the
     * chunk has no such stack trace. Then {@link #readFrames} reads them.
     */
    int stackDepth(long key) throws JfrFormatException {
        int at = stackTraces.get(key);
        if (at < 0 || framesField < 0) {
            return -1;
        }
        in.region(at, chunkEnd);
        skipFieldsBefore(stackTrace, framesField);
        return in.count("stack depth"); // each frame takes a byte at least: bounded by the chunk
    }

    /** The method keys of the {@code depth} frames {@link #stackDepth} found, leaf first, into {@code methods}. */
    void readFrames(long[] methods, int depth) throws JfrFormatException {
        Layout frame = stackFrame;
        int methodField = frameMethodField;
        if (frame.allVarints) {
            int fields = frame.fieldCount;
            for (int d = 0; d < depth; d++) {
                for (int f = 0; f < fields; f++) {
                    long value = in.varlong();
                    if (f == methodField) {
                        methods[d] = value;
                    }
                }
            }
        } else {
            for (int d = 0; d < depth; d++) {
                methods[d] = varintField(frame, methodField);
            }
        }
    }

    /**
     * The frame name of method {@code key} as Pyroscope spells it: class + "." + method, also when
     * the class name is empty (native frames); {@code null} when the chunk does not define the
     * method or its class.
     */
    String frameName(long key) throws JfrFormatException {
        int at = methods.get(key);
        if (at < 0 || methodTypeField < 0 || methodNameField < 0) {
            return null;
        }
        in.region(at, chunkEnd);
        long classKey = lookUpVarintField(method, methodTypeField);
        in.region(at, chunkEnd);
        long nameKey = lookUpVarintField(method, methodNameField);
        int classAt = classes.get(classKey);
        if (classAt < 0 || typeNameField < 0) {
            return null; // as Pyroscope: a frame whose class is unknown is left out
        }
        in.region(classAt, chunkEnd);
        long classNameKey = lookUpVarintField(type, typeNameField);
        return symbol(classNameKey) + "." + symbol(nameKey);
    }

    /**
     * Reads a whole value of {@code layout} at the cursor and returns its field {@code wanted}, a
     * varint: for values that follow one another (a stack trace's frames).
     */
    private long varintField(Layout layout, int wanted) throws JfrFormatException {
        long value = lookUpVarintField(layout, wanted);
        skipFields(layout, wanted + 1, layout.fieldCount);
        return value;
    }

    /**
     * Reads field {@code wanted}, a varint, of the pool entry at the cursor, skipping only the fields
     * before it: a look-up re-positions the cursor for the next one, and the entry was checked whole
     * when the pool was indexed.
     */
    private long lookUpVarintField(Layout layout, int wanted) throws JfrFormatException {
        skipFieldsBefore(layout, wanted);
        return in.varlong();
    }

    /** Skips the fields of the {@code layout} value at the cursor that come before field {@code field}. */
    private void skipFieldsBefore(Layout layout, int field) throws JfrFormatException {
        skipFields(layout, 0, field);
    }

    /** Skips fields {@code from} (inclusive) to {@code to} (exclusive) of the {@code layout} value at the cursor. */
    private void skipFields(Layout layout, int from, int to) throws JfrFormatException {
        for (int f = from; f < to; f++) {
            layout.skipField(in, f, 0);
        }
    }

    /** The text of symbol {@code key}, "" when the chunk does not define it. */
    private String symbol(long key) throws JfrFormatException {
        int at = symbols.get(key);
        if (at < 0 || symbolStringField < 0) {
            return "";
        }
        in.region(at, chunkEnd);
        skipFieldsBefore(symbol, symbolStringField);
        String text = stringAtCursor(true);
        return text == null ? "" : text;
    }

    /** The string at the cursor; a reference into the string pool is followed once, when {@code follow}. */
    private String stringAtCursor(boolean follow) throws JfrFormatException {
        long reference = in.stringReference();
        if (reference < 0) {
            return in.string();
        }
        int at = strings.get(reference);
        if (!follow || at < 0) {
            return null;
        }
        in.region(at, chunkEnd);
        return stringAtCursor(false);
    }
}
