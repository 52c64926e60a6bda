package io.canaryjudge.profile.heap;

import io.canaryjudge.profile.RegularFile;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Arrays;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;

/**
 * {@code areas.csv}: one instance's memory outside the Java heap, beside its profiles and {@code heap.csv}, for
 * recordings that do not carry it (async-profiler without {@code jfrsync}, pprof, collapsed stacks):
 * <pre>
 * # jvm_start_ms=1764583190000
 * timestamp_ms,area,value
 * 1764583200123,metaspace,52428800
 * 1764583200123,direct-buffers,1048576
 * 1764583200123,threads,41
 * 1764583200123,goroutines,118
 * </pre>
 * {@code area} is one of {@link MemoryAreaSeries#NAMES}; {@code value} is bytes used ({@code metaspace},
 * {@code direct-buffers}, {@code native}) or live threads ({@code threads}) or goroutines ({@code goroutines}, a Go process's), counts, a whole number ≥ 0. Each area's rows are in time
 * order; areas may interleave. The rest as {@link HeapCsv}: the header is required, blank lines and {@code #} lines
 * are ignored except {@code # jvm_start_ms=T}, times are Unix epoch milliseconds, and any other line is an error
 * naming the file and the line.
 */
public final class AreaCsv {
    /** The file name looked for in each instance directory. */
    public static final String FILE_NAME = "areas.csv";
    /** The header, in the order of the fields. */
    public static final String HEADER = "timestamp_ms,area,value";
    private static final String JVM_START = "# jvm_start_ms=";

    private AreaCsv() {
    }

    /**
     * @throws InvalidHeapCsvException naming the file, line and problem
     * @throws IOException             the file cannot be read, or is not a regular file
     */
    public static MemoryAreaSeries read(Path csv) throws IOException, InvalidHeapCsvException {
        if (RegularFile.size(csv) > HeapCsv.MAX_BYTES) {
            throw new InvalidHeapCsvException(csv + ": larger than " + HeapCsv.MAX_BYTES + " bytes");
        }
        return parse(Files.readAllLines(csv, StandardCharsets.UTF_8), csv.toString());
    }

    /** Parses the lines of an areas.csv; {@code source} names it in messages. */
    public static MemoryAreaSeries parse(List<String> lines, String source) throws InvalidHeapCsvException {
        Map<String, long[][]> points = new LinkedHashMap<>();
        Map<String, Integer> sizes = new LinkedHashMap<>();
        long jvmStart = -1;
        String jvmStartWhere = null;
        long first = Long.MAX_VALUE;
        boolean header = false;
        for (int i = 0; i < lines.size(); i++) {
            String where = source + " line " + (i + 1) + ": ";
            String line = lines.get(i);
            if (i == 0 && line.startsWith("\uFEFF")) {
                line = line.substring(1);
            }
            line = line.strip();
            if (line.startsWith(JVM_START)) {
                jvmStart = epochMillis(HeapCsv.number(line.substring(JVM_START.length()).strip(), where, "jvm_start_ms"),
                        where, "jvm_start_ms");
                jvmStartWhere = where;
                continue;
            }
            if (line.isEmpty() || line.startsWith("#")) {
                continue;
            }
            String[] fields = line.split(",", -1);
            if (!header) {
                if (!String.join(",", Arrays.stream(fields).map(f -> f.strip().toLowerCase(Locale.ROOT)).toList())
                        .equals(HEADER)) {
                    throw new InvalidHeapCsvException(where + "expected the header \"" + HEADER + "\", was \"" + line + "\"");
                }
                header = true;
                continue;
            }
            if (fields.length != 3) {
                throw new InvalidHeapCsvException(where + "expected 3 fields \"" + HEADER + "\", was \"" + line + "\"");
            }
            String area = fields[1].strip().toLowerCase(Locale.ROOT);
            if (!MemoryAreaSeries.NAMES.contains(area)) {
                throw new InvalidHeapCsvException(where + "area \"" + fields[1].strip() + "\" is not one of "
                        + String.join(", ", MemoryAreaSeries.NAMES));
            }
            long time = epochMillis(HeapCsv.number(fields[0].strip(), where, "timestamp_ms"), where, "timestamp_ms");
            long value = HeapCsv.number(fields[2].strip(), where, "value");
            String count = area.equals(MemoryAreaSeries.THREADS) ? "thread count" : "goroutine count";
            if (MemoryAreaSeries.counted(area) && value > MemoryAreaSeries.MAX_THREADS) {
                throw new InvalidHeapCsvException(where + "value " + value + " is over 2^31: not a plausible " + count);
            }
            if (value > HeapCsv.MAX_HEAP_BYTES) {
                throw new InvalidHeapCsvException(where + "value " + value + " is over 2^50: not a plausible "
                        + (MemoryAreaSeries.counted(area) ? count : "size in bytes"));
            }
            long[][] series = points.computeIfAbsent(area, a -> new long[][] {new long[16], new long[16]});
            int n = sizes.getOrDefault(area, 0);
            if (n > 0 && time < series[0][n - 1]) {
                throw new InvalidHeapCsvException(where + "timestamp_ms " + time + " is earlier than the " + area
                        + " row before (" + series[0][n - 1] + "); each area's rows must be in time order");
            }
            if (n == series[0].length) {
                series[0] = Arrays.copyOf(series[0], n * 2);
                series[1] = Arrays.copyOf(series[1], n * 2);
            }
            series[0][n] = time;
            series[1][n] = value;
            sizes.put(area, n + 1);
            first = Math.min(first, time);
        }
        if (!header) {
            throw new InvalidHeapCsvException(source + " line 1: expected the header \"" + HEADER + "\", the file is empty");
        }
        if (jvmStart >= 0 && first != Long.MAX_VALUE && jvmStart > first) {
            throw new InvalidHeapCsvException(jvmStartWhere + "jvm_start_ms " + jvmStart + " is after the first row's"
                    + " timestamp_ms (" + first + "); the JVM must start before it is measured");
        }
        Map<String, HeapSeries> areas = new LinkedHashMap<>();
        for (Map.Entry<String, long[][]> area : points.entrySet()) {
            int n = sizes.get(area.getKey());
            areas.put(area.getKey(), new HeapSeries(source, jvmStart, Arrays.copyOf(area.getValue()[0], n),
                    Arrays.copyOf(area.getValue()[1], n)));
        }
        return new MemoryAreaSeries(areas);
    }

    private static long epochMillis(long value, String where, String field) throws InvalidHeapCsvException {
        return HeapCsv.epochMillis(value, where, field);
    }
}
