package io.canaryjudge.profile.jfr;

import io.canaryjudge.profile.heap.HeapSeries;
import io.canaryjudge.profile.heap.HeapSettings;
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
 *
 * <p>The same collection names say which collector the JVM ran, and {@code jdk.GCHeapConfiguration}'s {@code maxSize}
 * (written at each chunk's start) its heap's maximum ({@link HeapSettings}): what the memory check names when baseline
 * and canary pods differ in them.
 */
final class JfrHeapDecoder extends JfrSeriesDecoder<HeapSeries> {
    /**
     * {@code jdk.GarbageCollection} names of collections that collect the whole heap, old generation included
     * (HotSpot's {@code GCName}: Serial's and Parallel's full collections, G1's full collection, ZGC without
     * generations (JDK 11–23), generational ZGC's major collection (JDK 21+)).
     */
    static final Set<String> WHOLE_HEAP = Set.of("SerialOld", "ParallelOld", "PSMarkSweep",
            "G1Full", "Z", "ZGC Major");

    private long[] times = new long[64];
    private long[] bytes = new long[64];
    private long[] gcIds = new long[64];
    /** Collector name per gcId, from jdk.GarbageCollection. */
    private final Map<Long, String> collections = new HashMap<>();
    private int points;
    /** jdk.GCHeapConfiguration's maxSize, bytes; -1 until one is read. */
    private long maxHeapBytes = -1;
    private JfrMetadata.Layout heapConfiguration;
    private int heapConfigurationType;
    private int maxSizeField;
    /** This chunk's layouts (null: the chunk declares no such event) and their fields' indexes (-1: none). */
    private JfrMetadata.Layout heap;
    private JfrMetadata.Layout gc;
    private int heapType;
    private int gcType;
    private int heapTime;
    private int heapWhen;
    private int heapUsed;
    private int heapGcId;
    private int gcIdOfCollection;
    private int gcNameField;

    private static final String HEAP_CONFIGURATION = "jdk.GCHeapConfiguration";

    JfrHeapDecoder(String source, JfrRecordingDecoder.ChunkBytes chunkBytes, List<JfrChunk> chunks) {
        super(source, chunkBytes, chunks);
    }

    @Override
    boolean holdsSeries(JfrChunk c) {
        return c.count(JfrEventKind.GC_HEAP_SUMMARY) > 0 || c.count(JfrEventKind.GARBAGE_COLLECTION) > 0
                || c.count(JfrEventKind.JVM_INFORMATION) > 0 && jvmStartMillis < 0;
    }

    @Override
    HeapSeries result() {
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
        return new HeapSeries(source, jvmStartMillis, t, b, whole, jvmPid, new HeapSettings(collector(), maxHeapBytes));
    }

    /** The one collector every named collection was run by; unknown when none was named, or names disagree. */
    private HeapSettings.Collector collector() {
        HeapSettings.Collector found = HeapSettings.Collector.UNKNOWN;
        for (String name : collections.values()) {
            HeapSettings.Collector c = HeapSettings.Collector.ofJfrName(name);
            if (c == HeapSettings.Collector.UNKNOWN || found != HeapSettings.Collector.UNKNOWN && found != c) {
                return HeapSettings.Collector.UNKNOWN;
            }
            found = c;
        }
        return found;
    }

    @Override
    void startChunk(JfrMetadata metadata) throws JfrFormatException {
        heapType = chunk.typeIds()[JfrEventKind.GC_HEAP_SUMMARY.ordinal()];
        gcType = chunk.typeIds()[JfrEventKind.GARBAGE_COLLECTION.ordinal()];
        gc = gcType > JfrChunkScanner.EVENT_TYPE_CHECKPOINT ? metadata.layout(gcType) : null;
        gcIdOfCollection = varintField(gc, "gcId");
        gcNameField = gc == null ? -1 : gc.field("name");
        heap = heapType > JfrChunkScanner.EVENT_TYPE_CHECKPOINT ? metadata.layout(heapType) : null;
        heapConfigurationType = metadata.classId(HEAP_CONFIGURATION);
        heapConfiguration = heapConfigurationType > JfrChunkScanner.EVENT_TYPE_CHECKPOINT
                ? metadata.layout(heapConfigurationType) : null;
        maxSizeField = varintField(heapConfiguration, "maxSize");
        heapTime = varintField(heap, "startTime");
        heapWhen = heap == null ? -1 : heap.field("when");
        heapUsed = varintField(heap, "heapUsed");
        heapGcId = varintField(heap, "gcId");
        if (heap != null && (heapTime < 0 || heapUsed < 0 || heapWhen < 0)) {
            throw new JfrFormatException(0, "jdk.GCHeapSummary has no numeric startTime and heapUsed and no when field");
        }
    }

    @Override
    void event(JfrBytes in, int type, int body, int next) throws JfrFormatException {
        if (heap != null && type == heapType) {
            readHeapSummary(in, body, next);
        } else if (gc != null && type == gcType && gcIdOfCollection >= 0 && gcNameField >= 0) {
            in.region(body, next);
            readCollection(in, next);
        } else if (heapConfiguration != null && type == heapConfigurationType && maxSizeField >= 0
                && maxHeapBytes < 0) {
            in.region(body, next);
            long max = readField(in, heapConfiguration, maxSizeField);
            maxHeapBytes = max > 0 ? max : -1;
        }
    }

    /** A {@code jdk.GarbageCollection}: its gcId and collector name (a GCName pool reference, or a string). */
    private void readCollection(JfrBytes in, int next) throws JfrFormatException {
        long id = -1;
        String name = null;
        int last = Math.max(gcIdOfCollection, gcNameField);
        for (int f = 0; f <= last; f++) {
            if (f == gcIdOfCollection) {
                id = in.varlong();
            } else if (f == gcNameField) {
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

    /** A {@code jdk.GCHeapSummary} after a collection: a point (the summary before one is left out). */
    private void readHeapSummary(JfrBytes in, int body, int next) throws JfrFormatException {
        if (!afterGc(in, heap, heapWhen, body, next)) {
            return;
        }
        in.region(body, next);
        long ticks = 0;
        long used = -1;
        long gcId = -1;
        int last = Math.max(heapTime, Math.max(heapGcId, heapUsed));
        for (int f = 0; f <= last; f++) {
            if (f == heapTime) {
                ticks = in.varlong();
            } else if (f == heapUsed) {
                used = in.varlong();
            } else if (f == heapGcId) {
                gcId = in.varlong();
            } else {
                heap.skipField(in, f, 0);
            }
        }
        if (used < 0) {
            throw new JfrFormatException(position, "a heap summary with a negative heapUsed (" + used + ")");
        }
        if (points == times.length) {
            times = Arrays.copyOf(times, points * 2);
            bytes = Arrays.copyOf(bytes, points * 2);
            gcIds = Arrays.copyOf(gcIds, points * 2);
        }
        times[points] = epochMillis(ticks);
        bytes[points] = used;
        gcIds[points] = gcId;
        points++;
    }
}
