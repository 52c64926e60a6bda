package io.canaryjudge.profile.heap;

import io.canaryjudge.profile.RegularFile;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Arrays;
import java.util.List;
import java.util.Locale;

/**
 * {@code heap.csv}: the heap one instance used after each garbage collection, beside its profiles.
 * <pre>
 * timestamp_ms,heap_after_gc_bytes
 * 1764583200123,83886080
 * 1764583207871,84213760
 * </pre>
 * The header is required (first non-blank line, case-insensitive); each row is a time in Unix epoch
 * milliseconds and a whole number of bytes ≥ 0, one row per collection, in time order. An optional third column,
 * {@code whole_heap} ({@code true} or {@code false}), says whether the collection took in the whole heap, old
 * generation included (a full GC, a ZGC major cycle): as JDK recordings name their collections
 * ({@link HeapSeries#wholeHeap()}). Blank lines
 * and lines starting with {@code #} are ignored, except {@code # jvm_start_ms=T}, which gives the
 * JVM's start time (for young-canary handling). Anything else — a missing or wrong header, a row
 * without as many fields as the header, a value that is not a whole number, a negative value, a time earlier
 * than the row before, a time that cannot be Unix milliseconds, a JVM start after the first row, a
 * heap over 1 PiB — is an error naming the file and the line. A row of 0 bytes is read but kept as no point: a running
 * JVM's heap is never empty after a collection (its class mirrors and interned strings alone take megabytes), while
 * ZGC's pause notifications (JMX {@code GarbageCollectionNotificationInfo} of {@code ZGC Pauses}, {@code ZGC Major
 * Pauses}, {@code ZGC Minor Pauses}) report every pool at 0, and a heap.csv written from every notification holds one
 * such row per pause, 3-5 per cycle: their troughs made a leak on generational ZGC a flat heap (docs/EVALUATION.md
 * "(qa63)").
 */
public final class HeapCsv {
    /** The file name looked for in each instance directory. */
    public static final String FILE_NAME = "heap.csv";
    /** Largest heap.csv read, bytes: a row per collection, a few hundred thousand rows at most. */
    public static final long MAX_BYTES = 64L << 20;
    private static final String JVM_START = "# jvm_start_ms=";
    /**
     * Earliest plausible time, Unix milliseconds (2001-09-09): anything smaller is not a JVM's clock in
     * milliseconds — times in seconds (~1.7e9 today) would make pods "-29908590 min old" and every point warm-up.
     */
    static final long MIN_EPOCH_MILLIS = 1_000_000_000_000L;
    /** Largest plausible heap after GC, bytes (1 PiB): a bigger value is a unit or overflow error, not a heap. */
    static final long MAX_HEAP_BYTES = 1L << 50;

    private HeapCsv() {
    }

    /**
     * @throws InvalidHeapCsvException naming the file, line and problem
     * @throws IOException             the file cannot be read, or is not a regular file
     */
    public static HeapSeries read(Path csv) throws IOException, InvalidHeapCsvException {
        if (RegularFile.size(csv) > MAX_BYTES) {
            throw new InvalidHeapCsvException(csv + ": larger than " + MAX_BYTES + " bytes");
        }
        return parse(Files.readAllLines(csv, StandardCharsets.UTF_8), csv.toString());
    }

    /** Parses the lines of a heap.csv; {@code source} names it in messages. */
    public static HeapSeries parse(List<String> lines, String source) throws InvalidHeapCsvException {
        long[] times = new long[Math.max(16, lines.size())];
        long[] bytes = new long[times.length];
        boolean[] whole = new boolean[times.length];
        boolean wholeColumn = false;
        int n = 0;
        long jvmStart = -1;
        String jvmStartWhere = null;
        boolean header = false;
        for (int i = 0; i < lines.size(); i++) {
            String where = source + " line " + (i + 1) + ": ";
            String line = lines.get(i);
            if (i == 0 && line.startsWith("\uFEFF")) {
                line = line.substring(1);
            }
            line = line.strip();
            if (line.startsWith(JVM_START)) {
                jvmStart = epochMillis(number(line.substring(JVM_START.length()).strip(), where, "jvm_start_ms"),
                        where, "jvm_start_ms");
                jvmStartWhere = where;
                continue;
            }
            if (line.isEmpty() || line.startsWith("#")) {
                continue;
            }
            String[] fields = line.split(",", -1);
            if (!header) {
                if (fields.length < 2 || fields.length > 3 || !fields[0].strip().toLowerCase(Locale.ROOT).equals("timestamp_ms")
                        || !fields[1].strip().toLowerCase(Locale.ROOT).equals("heap_after_gc_bytes")
                        || fields.length == 3 && !fields[2].strip().toLowerCase(Locale.ROOT).equals("whole_heap")) {
                    throw new InvalidHeapCsvException(where + "expected the header \"timestamp_ms,heap_after_gc_bytes\", was \""
                            + line + "\"");
                }
                header = true;
                wholeColumn = fields.length == 3;
                continue;
            }
            if (fields.length != (wholeColumn ? 3 : 2)) {
                throw new InvalidHeapCsvException(where + "expected " + (wholeColumn
                        ? "3 fields \"timestamp_ms,heap_after_gc_bytes,whole_heap\"" : "2 fields \"timestamp_ms,heap_after_gc_bytes\"")
                        + ", was \"" + line + "\"");
            }
            if (wholeColumn) {
                String value = fields[2].strip().toLowerCase(Locale.ROOT);
                if (!value.equals("true") && !value.equals("false")) {
                    throw new InvalidHeapCsvException(where + "whole_heap \"" + fields[2].strip() + "\" must be true or false");
                }
                whole[n] = value.equals("true");
            }
            long time = epochMillis(number(fields[0].strip(), where, "timestamp_ms"), where, "timestamp_ms");
            long heap = number(fields[1].strip(), where, "heap_after_gc_bytes");
            if (heap > MAX_HEAP_BYTES) {
                throw new InvalidHeapCsvException(where + "heap_after_gc_bytes " + heap
                        + " is over 1 PiB (2^50 bytes): not a plausible heap");
            }
            if (n > 0 && time < times[n - 1]) {
                throw new InvalidHeapCsvException(where + "timestamp_ms " + time + " is earlier than the row before ("
                        + times[n - 1] + "); rows must be in time order");
            }
            if (heap == 0) {
                continue; // no measurement (a ZGC pause notification), see the class comment
            }
            times[n] = time;
            bytes[n] = heap;
            n++;
        }
        if (!header) {
            throw new InvalidHeapCsvException(source + " line 1: expected the header \"timestamp_ms,heap_after_gc_bytes\","
                    + " the file is empty");
        }
        // a JVM cannot collect before it started: a later start would make every point "warm-up" of a negative age
        if (jvmStart >= 0 && n > 0 && jvmStart > times[0]) {
            throw new InvalidHeapCsvException(jvmStartWhere + "jvm_start_ms " + jvmStart
                    + " is after the first row's timestamp_ms (" + times[0] + "); the JVM must start before its first collection");
        }
        return new HeapSeries(source, jvmStart, Arrays.copyOf(times, n), Arrays.copyOf(bytes, n),
                Arrays.copyOf(whole, n));
    }

    /** {@code value} when it can be Unix milliseconds, else an error (saying "seconds" when it looks like them). */
    static long epochMillis(long value, String where, String field) throws InvalidHeapCsvException {
        if (value < MIN_EPOCH_MILLIS) {
            throw new InvalidHeapCsvException(where + field + " " + value + " is before 2001-09-09 as Unix milliseconds"
                    + (value >= MIN_EPOCH_MILLIS / 1000 ? "; it looks like seconds (write milliseconds)" : ""));
        }
        return value;
    }

    static long number(String text, String where, String field) throws InvalidHeapCsvException {
        long value;
        try {
            value = Long.parseLong(text);
        } catch (NumberFormatException e) {
            value = -1;
        }
        if (value < 0) {
            throw new InvalidHeapCsvException(where + field + " \"" + text + "\" must be a whole number >= 0");
        }
        return value;
    }
}
