package io.canaryjudge.profile.jfr;

import io.canaryjudge.profile.heap.HeapSeries;
import io.canaryjudge.profile.heap.MemoryAreaSeries;
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
final class JfrAreaDecoder extends JfrSeriesDecoder<MemoryAreaSeries> {
    private static final String METASPACE_SUMMARY = "jdk.MetaspaceSummary";
    private static final String DIRECT_BUFFERS = "jdk.DirectBufferStatistics";
    private static final String THREAD_STATISTICS = "jdk.JavaThreadStatistics";

    private final Map<String, Points> points = new LinkedHashMap<>();
    /** This chunk's readers of the areas its metadata declares. */
    private final List<Reader> readers = new ArrayList<>();

    JfrAreaDecoder(String source, JfrRecordingDecoder.ChunkBytes chunkBytes, List<JfrChunk> chunks) {
        super(source, chunkBytes, chunks);
        for (String area : MemoryAreaSeries.NAMES) {
            points.put(area, new Points());
        }
    }

    @Override
    boolean holdsSeries(JfrChunk c) {
        JfrMetadata metadata = c.metadata();
        return metadata.classId(METASPACE_SUMMARY) >= 0 || metadata.classId(DIRECT_BUFFERS) >= 0
                || metadata.classId(THREAD_STATISTICS) >= 0;
    }

    @Override
    MemoryAreaSeries result() {
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

    @Override
    void startChunk(JfrMetadata metadata) {
        readers.clear();
        for (Reader reader : new Reader[] {
                Reader.of(metadata, METASPACE_SUMMARY, MemoryAreaSeries.METASPACE, "metaspace", "used"),
                Reader.of(metadata, DIRECT_BUFFERS, MemoryAreaSeries.DIRECT_BUFFERS, "memoryUsed"),
                Reader.of(metadata, THREAD_STATISTICS, MemoryAreaSeries.THREADS, "activeCount")}) {
            if (reader != null) {
                readers.add(reader);
            }
        }
    }

    @Override
    void event(JfrBytes in, int type, int body, int next) throws JfrFormatException {
        for (Reader reader : readers) {
            if (type != reader.type()) {
                continue;
            }
            if (reader.when() >= 0 && !afterGc(in, reader.layout(), reader.when(), body, next)) {
                return; // the summary before a collection: garbage not yet unloaded
            }
            in.region(body, next);
            long ticks = readField(in, reader.layout(), reader.time());
            in.region(body, next);
            long value = readField(in, reader.layout(), reader.value());
            if (value < 0) {
                throw new JfrFormatException(position, reader.area() + " with a negative value (" + value + ")");
            }
            if (reader.area().equals(MemoryAreaSeries.THREADS) && value > MemoryAreaSeries.MAX_THREADS) {
                throw new JfrFormatException(position, reader.area() + " of " + value
                        + " threads: over 2^31, not a plausible count");
            }
            points.get(reader.area()).add(epochMillis(ticks), value);
        }
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
