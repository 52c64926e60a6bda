package io.canaryjudge.profile.jfr;

import java.io.IOException;
import java.nio.ByteBuffer;
import java.util.List;

/**
 * Decodes one series a checked recording holds besides its samples (the heap after GC, the memory areas outside it):
 * the chunks that hold its events, each loaded once, its constant pools read, then every event handed to
 * {@link #event}; and the JVM's start and pid from {@code jdk.JVMInformation}, which every series is dated by.
 */
abstract class JfrSeriesDecoder<T> {
    private static final String JVM_INFORMATION = "jdk.JVMInformation";

    final String source;
    final JfrConstantPools pools = new JfrConstantPools();
    private final JfrRecordingDecoder.ChunkBytes chunkBytes;
    private final List<JfrChunk> chunks;
    /** The JVM's start, ms since the epoch; -1 when no jdk.JVMInformation says it. */
    long jvmStartMillis = -1;
    /** jdk.JVMInformation's pid; -1 when the recording has none. */
    long jvmPid = -1;
    /** The chunk being decoded and its event's offset in it: where a failure is reported. */
    JfrChunk chunk;
    int position;

    JfrSeriesDecoder(String source, JfrRecordingDecoder.ChunkBytes chunkBytes, List<JfrChunk> chunks) {
        this.source = source;
        this.chunkBytes = chunkBytes;
        this.chunks = chunks;
    }

    /** Whether a chunk may hold this series (else it is not even loaded). */
    abstract boolean holdsSeries(JfrChunk c);

    /** Before a chunk's events: its layouts of the series' events. */
    abstract void startChunk(JfrMetadata metadata) throws JfrFormatException;

    /** One event of {@code type} whose body is {@code [body, next)} of the chunk; {@code in} may be moved freely. */
    abstract void event(JfrBytes in, int type, int body, int next) throws JfrFormatException;

    /** The series decoded. */
    abstract T result();

    /** File offset of the event being decoded: where a failure is reported. */
    final long position() {
        return chunk == null ? 0 : chunk.offset() + (long) position;
    }

    final T decode() throws IOException, JfrFormatException {
        for (JfrChunk c : chunks) {
            chunk = c;
            if (!holdsSeries(c)) {
                continue;
            }
            ByteBuffer buffer = chunkBytes.load(c);
            try {
                pools.read(buffer, c);
                decodeChunk(buffer);
            } catch (JfrFormatException e) {
                throw new JfrFormatException(c.offset() + e.offset(), e.getMessage());
            }
        }
        return result();
    }

    private void decodeChunk(ByteBuffer buffer) throws JfrFormatException {
        JfrMetadata metadata = chunk.metadata();
        int infoType = metadata.classId(JVM_INFORMATION);
        JfrMetadata.Layout info = infoType > JfrChunkScanner.EVENT_TYPE_CHECKPOINT ? metadata.layout(infoType) : null;
        int startField = varintField(info, "jvmStartTime");
        int pidField = varintField(info, "pid");
        startChunk(metadata);
        int end = chunk.size();
        JfrBytes in = new JfrBytes(buffer, JfrChunkScanner.CHUNK_HEADER_SIZE, end);
        for (int at = JfrChunkScanner.CHUNK_HEADER_SIZE; at < end; ) {
            in.region(at, end);
            int size = in.eventSize(at, "event size");
            int next = at + size;
            int type = in.varint();
            position = at;
            int body = in.position();
            if (info != null && type == infoType) {
                if (startField >= 0 && jvmStartMillis < 0) {
                    in.region(body, next);
                    long start = readField(in, info, startField);
                    jvmStartMillis = start > 0 ? start : -1;
                    if (pidField >= 0) {
                        in.region(body, next);
                        long pid = readField(in, info, pidField);
                        jvmPid = pid > 0 ? pid : -1;
                    }
                }
            } else {
                event(in, type, body, next);
            }
            at = next;
        }
    }

    /** An event's time in ms since the epoch, from its ticks in the chunk being decoded. */
    final long epochMillis(long ticks) {
        return Math.floorDiv(chunk.ticksToEpochNanos(ticks), 1_000_000L);
    }

    /**
     * Whether a summary's {@code when} field is "After GC" (a GCWhen pool reference, or a string); true for a when of
     * an unknown encoding, so that every summary counts. Leaves {@code in} anywhere in the body.
     */
    final boolean afterGc(JfrBytes in, JfrMetadata.Layout layout, int when, int body, int next)
            throws JfrFormatException {
        in.region(body, next);
        for (int f = 0; f < when; f++) {
            layout.skipField(in, f, 0);
        }
        if (layout.isVarint(when)) {
            long afterGc = pools.afterGcWhen();
            return afterGc >= 0 && in.varlong() == afterGc;
        }
        if (layout.encodings[when] == JfrMetadata.STRING && !layout.arrays[when]) {
            return JfrConstantPools.AFTER_GC.equals(pools.stringAt(in.position(), next));
        }
        return true;
    }

    /** The varint at {@code path} (a field, then a field of that inline struct, …), reading from the body's start. */
    static long readField(JfrBytes in, JfrMetadata.Layout layout, int... path) throws JfrFormatException {
        JfrMetadata.Layout at = layout;
        for (int depth = 0; depth < path.length; depth++) {
            for (int f = 0; f < path[depth]; f++) {
                at.skipField(in, f, 0);
            }
            if (depth == path.length - 1) {
                return in.varlong();
            }
            at = at.structs[path[depth]];
        }
        throw new IllegalStateException("empty field path");
    }

    /** Index of a varint field, or -1 when the layout is absent or the field is not one number. */
    static int varintField(JfrMetadata.Layout layout, String name) {
        if (layout == null) {
            return -1;
        }
        int f = layout.field(name);
        return f >= 0 && layout.isVarint(f) ? f : -1;
    }
}
