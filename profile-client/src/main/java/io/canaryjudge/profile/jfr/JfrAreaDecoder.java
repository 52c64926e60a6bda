package io.canaryjudge.profile.jfr;

import io.canaryjudge.profile.heap.HeapSeries;
import io.canaryjudge.profile.heap.MemoryAreaSeries;
import java.io.IOException;
import java.nio.ByteBuffer;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * Reads memory outside the Java heap from a checked recording, as {@link JfrHeapDecoder} reads the heap:
 * <ul>
 *   <li>{@code jdk.MetaspaceSummary} whose {@code when} is "After GC": {@code metaspace.used}, bytes (class
 *       unloading happens in collections, so after one is the level a class-loader leak keeps raising);</li>
 *   <li>{@code jdk.DirectBufferStatistics}: {@code memoryUsed}, bytes, every period (JDK 15+);</li>
 *   <li>{@code jdk.JavaThreadStatistics}: {@code activeCount}, live threads, every period;</li>
 * </ul>
 * and the JVM's start from {@code jdk.JVMInformation}. The JDK's {@code default.jfc} and {@code profile.jfc} enable all
 * three; async-profiler's own recordings hold none of them unless started with {@code jfrsync}. Chunks whose metadata
 * declares none of the three are not decoded.
 */
final class JfrAreaDecoder implements JfrProfileReader.SeriesDecoder<MemoryAreaSeries> {
    private static final String METASPACE_SUMMARY = "jdk.MetaspaceSummary";
    private static final String DIRECT_BUFFERS = "jdk.DirectBufferStatistics";
    private static final String THREAD_STATISTICS = "jdk.JavaThreadStatistics";
    private static final String JVM_INFORMATION = "jdk.JVMInformation";

    private final String source;
    private final JfrRecordingDecoder.ChunkBytes chunkBytes;
    private final List<JfrChunk> chunks;
    private final JfrConstantPools pools = new JfrConstantPools();
    private final Map<String, Points> points = new LinkedHashMap<>();
    private long jvmStartMillis = -1;
    private int position;
    private JfrChunk chunk;

    JfrAreaDecoder(String source, JfrRecordingDecoder.ChunkBytes chunkBytes, List<JfrChunk> chunks) {
        this.source = source;
        this.chunkBytes = chunkBytes;
        this.chunks = chunks;
        for (String area : MemoryAreaSeries.NAMES) {
            points.put(area, new Points());
        }
    }

    /** File offset of the event being decoded: where a failure is reported. */
    @Override
    public long position() {
        return chunk == null ? 0 : chunk.offset() + (long) position;
    }

    @Override
    public MemoryAreaSeries decode() throws IOException, JfrFormatException {
        for (JfrChunk c : chunks) {
            chunk = c;
            JfrMetadata metadata = c.metadata();
            if (metadata.classId(METASPACE_SUMMARY) < 0 && metadata.classId(DIRECT_BUFFERS) < 0
                    && metadata.classId(THREAD_STATISTICS) < 0) {
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
        Map<String, HeapSeries> areas = new LinkedHashMap<>();
        points.forEach((area, p) -> areas.put(area, p.series(source, jvmStartMillis)));
        return new MemoryAreaSeries(areas);
    }

    /** One event type's fields as paths of field indexes (a struct's field below its field). */
    private record Reader(int type, JfrMetadata.Layout layout, int[] time, int[] value, int when, String area) {
        static Reader of(JfrMetadata metadata, String event, String area, String... value) {
            int type = metadata.classId(event);
            JfrMetadata.Layout layout = type > JfrChunkScanner.EVENT_TYPE_CHECKPOINT ? metadata.layout(type) : null;
            if (layout == null) {
                return null;
            }
            int[] time = path(layout, "startTime");
            int[] values = path(layout, value);
            if (time == null || values == null) {
                return null; // a layout of another JDK version without the field: nothing to read, not an error
            }
            int when = layout.field("when");
            return new Reader(type, layout, time, values, when, area);
        }

        /** The field indexes to a varint field, through inline structs; null when there is none such. */
        private static int[] path(JfrMetadata.Layout layout, String... names) {
            int[] path = new int[names.length];
            JfrMetadata.Layout at = layout;
            for (int i = 0; i < names.length; i++) {
                if (at == null) {
                    return null;
                }
                int f = at.field(names[i]);
                if (f < 0 || at.arrays[f]) {
                    return null;
                }
                path[i] = f;
                if (i < names.length - 1) {
                    if (at.encodings[f] != JfrMetadata.STRUCT) {
                        return null;
                    }
                    at = at.structs[f];
                } else if (!at.isVarint(f)) {
                    return null;
                }
            }
            return path;
        }
    }

    private void decodeChunk(ByteBuffer buffer) throws JfrFormatException {
        JfrMetadata metadata = chunk.metadata();
        List<Reader> readers = new ArrayList<>();
        for (Reader reader : new Reader[] {
                Reader.of(metadata, METASPACE_SUMMARY, MemoryAreaSeries.METASPACE, "metaspace", "used"),
                Reader.of(metadata, DIRECT_BUFFERS, MemoryAreaSeries.DIRECT_BUFFERS, "memoryUsed"),
                Reader.of(metadata, THREAD_STATISTICS, MemoryAreaSeries.THREADS, "activeCount")}) {
            if (reader != null) {
                readers.add(reader);
            }
        }
        int infoType = metadata.classId(JVM_INFORMATION);
        JfrMetadata.Layout info = infoType > JfrChunkScanner.EVENT_TYPE_CHECKPOINT ? metadata.layout(infoType) : null;
        int startField = info == null ? -1 : info.field("jvmStartTime");
        long afterGc = pools.afterGcWhen();
        int end = chunk.size();
        JfrBytes in = new JfrBytes(buffer, JfrChunkScanner.CHUNK_HEADER_SIZE, end);
        for (int at = JfrChunkScanner.CHUNK_HEADER_SIZE; at < end; ) {
            in.region(at, end);
            int size = in.eventSize(at, "event size");
            int next = at + size;
            int type = in.varint();
            position = at;
            int body = in.position();
            if (info != null && type == infoType && info.isVarint(startField) && jvmStartMillis < 0) {
                in.region(body, next);
                long value = read(in, info, new int[] {startField});
                jvmStartMillis = value > 0 ? value : -1;
            }
            for (Reader reader : readers) {
                if (type != reader.type()) {
                    continue;
                }
                if (reader.when() >= 0 && !afterGc(in, reader, body, next, afterGc)) {
                    break; // the summary before a collection: garbage not yet unloaded
                }
                in.region(body, next);
                long ticks = read(in, reader.layout(), reader.time());
                in.region(body, next);
                long value = read(in, reader.layout(), reader.value());
                if (value < 0) {
                    throw new JfrFormatException(position, reader.area() + " with a negative value (" + value + ")");
                }
                if (reader.area().equals(MemoryAreaSeries.THREADS) && value > MemoryAreaSeries.MAX_THREADS) {
                    throw new JfrFormatException(position, reader.area() + " of " + value
                            + " threads: over 2^31, not a plausible count");
                }
                points.get(reader.area()).add(Math.floorDiv(chunk.ticksToEpochNanos(ticks), 1_000_000L), value);
            }
            at = next;
        }
    }

    /** Whether a summary's {@code when} is "After GC" (a GCWhen pool reference, or a string). */
    private boolean afterGc(JfrBytes in, Reader reader, int body, int next, long afterGc) throws JfrFormatException {
        JfrMetadata.Layout layout = reader.layout();
        int when = reader.when();
        in.region(body, next);
        for (int f = 0; f < when; f++) {
            layout.skipField(in, f, 0);
        }
        if (layout.isVarint(when)) {
            return afterGc >= 0 && in.varlong() == afterGc;
        }
        if (layout.encodings[when] == JfrMetadata.STRING && !layout.arrays[when]) {
            return JfrConstantPools.AFTER_GC.equals(pools.stringAt(in.position(), next));
        }
        return true; // a when of an unknown encoding: every summary counts
    }

    /** The varint at {@code path}, reading from the event body's start. */
    private static long read(JfrBytes in, JfrMetadata.Layout layout, int[] path) throws JfrFormatException {
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

    /** One area's points as they are decoded. */
    private static final class Points {
        private long[] times = new long[64];
        private long[] values = new long[64];
        private int size;

        void add(long time, long value) {
            if (size == times.length) {
                times = Arrays.copyOf(times, size * 2);
                values = Arrays.copyOf(values, size * 2);
            }
            times[size] = time;
            values[size] = value;
            size++;
        }

        /** In time order: chunks are in file order, but concatenated recordings need not be in time order. */
        HeapSeries series(String source, long jvmStartMillis) {
            long[][] sorted = new long[size][];
            for (int i = 0; i < size; i++) {
                sorted[i] = new long[] {times[i], values[i]};
            }
            Arrays.sort(sorted, (a, b) -> Long.compare(a[0], b[0]));
            long[] t = new long[size];
            long[] v = new long[size];
            for (int i = 0; i < size; i++) {
                t[i] = sorted[i][0];
                v[i] = sorted[i][1];
            }
            return new HeapSeries(source, jvmStartMillis, t, v);
        }
    }
}
