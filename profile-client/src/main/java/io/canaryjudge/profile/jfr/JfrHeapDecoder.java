package io.canaryjudge.profile.jfr;

import io.canaryjudge.profile.heap.HeapSeries;
import java.io.IOException;
import java.nio.ByteBuffer;
import java.util.Arrays;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;

/**
 * Reads the heap used after each garbage collection from a checked recording:
 * {@code jdk.GCHeapSummary} events whose {@code when} is {@code "After GC"} ({@code heapUsed}, bytes,
 * at the event's time), and the JVM's start from {@code jdk.JVMInformation} ({@code jvmStartTime}).
 * The JDK writes a summary before and after every collection; async-profiler writes one "After GC"
 * summary per collection it notices, with the heap used at that moment (its monitor runs about once a
 * second, so a value may include what was allocated since the collection). Chunks without such
 * events are not decoded.
 *
 * <p>Each point is marked when its collection ({@code jdk.GarbageCollection} of the same {@code gcId}) collected the
 * whole heap, by the collector's name ({@link #WHOLE_HEAP}): after such a collection the heap holds the live set (and,
 * for a concurrent collector, what was allocated during the cycle), while after a young collection it also holds the
 * garbage promoted since the last old collection. A recording whose every collection is such (ZGC without generations)
 * has no saw-tooth to look through; generational ZGC's major collections show the live set among its minor ones.
 * G1's {@code G1Old} is a concurrent marking cycle whose summary comes before the mixed collections reclaim anything:
 * not a whole-heap collection. Shenandoah names every cycle {@code Shenandoah}, young ones too in its generational
 * mode (JDK 25 {@code -XX:ShenandoahGCMode=generational}: 23 of 23 in a 25 s recording), so its points stay unmarked.
 */
final class JfrHeapDecoder implements JfrProfileReader.SeriesDecoder<HeapSeries> {
    /**
     * {@code jdk.GarbageCollection} names of collections that collect the whole heap, old generation included
     * (HotSpot's {@code GCName}: Serial's and Parallel's full collections, G1's full collection, ZGC without
     * generations (JDK 11–23), generational ZGC's major collection (JDK 21+)).
     */
    static final Set<String> WHOLE_HEAP = Set.of("SerialOld", "ParallelOld", "PSMarkSweep",
            "G1Full", "Z", "ZGC Major");

    private final String source;
    private final JfrRecordingDecoder.ChunkBytes chunkBytes;
    private final List<JfrChunk> chunks;
    private final JfrConstantPools pools = new JfrConstantPools();
    private long[] times = new long[64];
    private long[] bytes = new long[64];
    private long[] gcIds = new long[64];
    /** Collector name per gcId, from jdk.GarbageCollection. */
    private final Map<Long, String> collections = new HashMap<>();
    private int points;
    private long jvmStartMillis = -1;
    /** jdk.JVMInformation's pid; -1 when the recording has none. */
    private long jvmPid = -1;
    private int position;
    private JfrChunk chunk;

    JfrHeapDecoder(String source, JfrRecordingDecoder.ChunkBytes chunkBytes, List<JfrChunk> chunks) {
        this.source = source;
        this.chunkBytes = chunkBytes;
        this.chunks = chunks;
    }

    /** File offset of the event being decoded: where a failure is reported. */
    @Override
    public long position() {
        return chunk == null ? 0 : chunk.offset() + (long) position;
    }

    @Override
    public HeapSeries decode() throws IOException, JfrFormatException {
        for (JfrChunk c : chunks) {
            chunk = c;
            if (c.count(JfrEventKind.GC_HEAP_SUMMARY) == 0 && c.count(JfrEventKind.GARBAGE_COLLECTION) == 0
                    && (c.count(JfrEventKind.JVM_INFORMATION) == 0 || jvmStartMillis >= 0)) {
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
        // Chunks are in file order, but concatenated recordings need not be in time order.
        long[][] sorted = new long[points][];
        for (int i = 0; i < points; i++) {
            sorted[i] = new long[] {times[i], bytes[i], gcIds[i]};
        }
        Arrays.sort(sorted, (a, b) -> Long.compare(a[0], b[0]));
        long[] t = new long[points];
        long[] b = new long[points];
        boolean[] whole = new boolean[points];
        for (int i = 0; i < points; i++) {
            t[i] = sorted[i][0];
            b[i] = sorted[i][1];
            String name = sorted[i][2] < 0 ? null : collections.get(sorted[i][2]);
            whole[i] = name != null && WHOLE_HEAP.contains(name);
        }
        return new HeapSeries(source, jvmStartMillis, t, b, whole, jvmPid);
    }

    private void decodeChunk(ByteBuffer buffer) throws JfrFormatException {
        JfrMetadata metadata = chunk.metadata();
        int heapType = chunk.typeIds()[JfrEventKind.GC_HEAP_SUMMARY.ordinal()];
        int infoType = chunk.typeIds()[JfrEventKind.JVM_INFORMATION.ordinal()];
        int gcType = chunk.typeIds()[JfrEventKind.GARBAGE_COLLECTION.ordinal()];
        JfrMetadata.Layout gc = gcType > JfrChunkScanner.EVENT_TYPE_CHECKPOINT ? metadata.layout(gcType) : null;
        int gcIdOfCollection = field(gc, "gcId");
        int gcNameField = gc == null ? -1 : gc.field("name");
        JfrMetadata.Layout heap = heapType > JfrChunkScanner.EVENT_TYPE_CHECKPOINT ? metadata.layout(heapType) : null;
        JfrMetadata.Layout info = infoType > JfrChunkScanner.EVENT_TYPE_CHECKPOINT ? metadata.layout(infoType) : null;
        int heapTime = field(heap, "startTime");
        int heapWhen = heap == null ? -1 : heap.field("when");
        int heapUsed = field(heap, "heapUsed");
        int heapGcId = field(heap, "gcId");
        int startTime = field(info, "jvmStartTime");
        int pidField = field(info, "pid");
        if (heap != null && (heapTime < 0 || heapUsed < 0 || heapWhen < 0)) {
            throw new JfrFormatException(0, "jdk.GCHeapSummary has no numeric startTime and heapUsed and no when field");
        }
        long afterGc = pools.afterGcWhen();
        int end = chunk.size();
        JfrBytes in = new JfrBytes(buffer, JfrChunkScanner.CHUNK_HEADER_SIZE, end);
        for (int at = JfrChunkScanner.CHUNK_HEADER_SIZE; at < end; ) {
            in.region(at, end);
            int size = in.eventSize(at, "event size");
            int next = at + size;
            int type = in.varint();
            position = at;
            if (heap != null && type == heapType) {
                in.region(in.position(), next);
                readHeapSummary(in, heap, heapTime, heapWhen, heapUsed, heapGcId, afterGc, next);
            } else if (gc != null && type == gcType && gcIdOfCollection >= 0 && gcNameField >= 0) {
                in.region(in.position(), next);
                readCollection(in, gc, gcIdOfCollection, gcNameField, next);
            } else if (info != null && type == infoType && startTime >= 0 && jvmStartMillis < 0) {
                int body = in.position();
                in.region(body, next);
                long value = readField(in, info, startTime);
                jvmStartMillis = value > 0 ? value : -1;
                if (pidField >= 0) {
                    in.region(body, next);
                    long pid = readField(in, info, pidField);
                    jvmPid = pid > 0 ? pid : -1;
                }
            }
            at = next;
        }
    }

    /** A {@code jdk.GarbageCollection}: its gcId and collector name (a GCName pool reference, or a string). */
    private void readCollection(JfrBytes in, JfrMetadata.Layout gc, int idField, int nameField, int next)
            throws JfrFormatException {
        long id = -1;
        String name = null;
        int last = Math.max(idField, nameField);
        for (int f = 0; f <= last; f++) {
            if (f == idField) {
                id = in.varlong();
            } else if (f == nameField) {
                int at = in.position();
                if (gc.isVarint(f)) {
                    name = pools.gcName(in.varlong());
                } else if (gc.encodings[f] == JfrMetadata.STRING && !gc.arrays[f]) {
                    name = pools.stringAt(at, next);
                    in.seek(at);
                    gc.skipField(in, f, 0);
                } else {
                    gc.skipField(in, f, 0);
                }
            } else {
                gc.skipField(in, f, 0);
            }
        }
        if (id >= 0 && name != null) {
            collections.put(id, name);
        }
    }

    private void readHeapSummary(JfrBytes in, JfrMetadata.Layout heap, int timeField, int whenField, int usedField,
                                 int gcIdField, long afterGc, int next) throws JfrFormatException {
        long ticks = 0;
        long used = -1;
        long gcId = -1;
        boolean after = false;
        int last = Math.max(Math.max(timeField, gcIdField), Math.max(whenField, usedField));
        for (int f = 0; f <= last; f++) {
            if (f == whenField) {
                int at = in.position();
                if (heap.isVarint(f)) {
                    after = afterGc >= 0 && in.varlong() == afterGc;
                } else if (heap.encodings[f] == JfrMetadata.STRING && !heap.arrays[f]) {
                    after = JfrConstantPools.AFTER_GC.equals(pools.stringAt(at, next));
                    in.seek(at);
                    heap.skipField(in, f, 0);
                } else {
                    heap.skipField(in, f, 0);
                }
            } else if (f == timeField) {
                ticks = in.varlong();
            } else if (f == usedField) {
                used = in.varlong();
            } else if (f == gcIdField) {
                gcId = in.varlong();
            } else {
                heap.skipField(in, f, 0);
            }
        }
        if (!after) {
            return;
        }
        if (used < 0) {
            throw new JfrFormatException(position, "a heap summary with a negative heapUsed (" + used + ")");
        }
        if (points == times.length) {
            times = Arrays.copyOf(times, points * 2);
            bytes = Arrays.copyOf(bytes, points * 2);
            gcIds = Arrays.copyOf(gcIds, points * 2);
        }
        times[points] = Math.floorDiv(chunk.ticksToEpochNanos(ticks), 1_000_000L);
        bytes[points] = used;
        gcIds[points] = gcId;
        points++;
    }

    /** Reads an event's fields up to {@code wanted}, a varint, and returns it. */
    private static long readField(JfrBytes in, JfrMetadata.Layout layout, int wanted) throws JfrFormatException {
        for (int f = 0; f < wanted; f++) {
            layout.skipField(in, f, 0);
        }
        return in.varlong();
    }

    /** Index of a varint field, or -1 when the layout is absent or the field is not one number. */
    private static int field(JfrMetadata.Layout layout, String name) {
        if (layout == null) {
            return -1;
        }
        int f = layout.field(name);
        return layout.isVarint(f) ? f : -1;
    }
}
