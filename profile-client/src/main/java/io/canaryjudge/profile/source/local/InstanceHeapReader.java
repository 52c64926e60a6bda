package io.canaryjudge.profile.source.local;

import io.canaryjudge.profile.InvalidProfileException;
import io.canaryjudge.profile.ProfileFiles;
import io.canaryjudge.profile.ReadOptions;
import io.canaryjudge.profile.heap.AreaCsv;
import io.canaryjudge.profile.heap.HeapCsv;
import io.canaryjudge.profile.heap.HeapSeries;
import io.canaryjudge.profile.heap.InvalidHeapCsvException;
import io.canaryjudge.profile.heap.MemoryAreaSeries;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Collection;
import java.util.List;
import java.util.Map;

/**
 * One instance's heap after GC from the files beside its profiles: its {@code heap.csv}, else the
 * {@code jdk.GCHeapSummary} "After GC" events of its JFR recordings, merged; the JVM's start from the csv's
 * {@code # jvm_start_ms} line, else from a recording ({@code jdk.JVMInformation}). pprof and collapsed files
 * hold no heap.
 *
 * <p>One rule for every reader of instance files — {@code compare}'s PATHs, the local directory source and
 * uploads — so that the service judges a pod's memory from exactly what the command line judges.
 */
public final class InstanceHeapReader {
    private InstanceHeapReader() {
    }

    /**
     * An instance directory's heap.
     *
     * @param instance names the series when there is no heap data at all
     * @param heapCsv  the instance's {@code heap.csv}, or null
     * @param files    its other files (profiles; files of other formats add nothing)
     * @throws InvalidHeapCsvException the heap.csv is invalid (naming the file and line)
     * @throws InvalidProfileException a recording's heap summaries cannot be read
     * @throws IOException             a file cannot be read; the message names it ({@code FILE: cannot read: WHY})
     */
    public static HeapSeries read(String instance, Path heapCsv, Collection<Path> files, ReadOptions options)
            throws IOException, InvalidHeapCsvException, InvalidProfileException {
        HeapSeries csv = csv(heapCsv);
        if (csv != null && csv.jvmStartMillis() >= 0) {
            return csv; // the recordings could add nothing: no second parse of every JFR file
        }
        List<HeapSeries> recorded = new ArrayList<>();
        for (Path file : files) {
            recorded.add(recorded(file, options));
        }
        return combine(instance, csv, recorded);
    }

    /**
     * One file's after-GC heap summaries (empty for formats that hold none).
     *
     * @throws IOException the file cannot be read; the message names it ({@code FILE: cannot read: WHY})
     */
    public static HeapSeries recorded(Path file, ReadOptions options) throws IOException, InvalidProfileException {
        try {
            return ProfileFiles.readHeap(file, options);
        } catch (IOException e) {
            throw new IOException(file + ": cannot read: " + LocalDirectorySource.describe(e), e);
        }
    }

    /**
     * An instance's heap from its {@code heap.csv} (or null) and what each of its files recorded
     * ({@link #recorded}), for a caller that read the files' heaps already.
     */
    public static HeapSeries combine(String instance, Path heapCsv, Collection<HeapSeries> recordedPerFile)
            throws IOException, InvalidHeapCsvException {
        return combine(instance, csv(heapCsv), recordedPerFile);
    }

    /** The instance's heap.csv read, or null without one. */
    private static HeapSeries csv(Path heapCsv) throws IOException, InvalidHeapCsvException {
        if (heapCsv == null) {
            return null;
        }
        try {
            return HeapCsv.read(heapCsv);
        } catch (IOException e) {
            throw new IOException(heapCsv + ": cannot read: " + LocalDirectorySource.describe(e), e);
        }
    }

    private static HeapSeries combine(String instance, HeapSeries csv, Collection<HeapSeries> recordedPerFile) {
        if (csv != null && csv.jvmStartMillis() >= 0) {
            return csv;
        }
        HeapSeries recorded = HeapSeries.empty(instance);
        for (HeapSeries file : recordedPerFile) {
            recorded = recorded.plus(file);
        }
        return csv == null ? recorded : withRecordedStart(csv, recorded);
    }

    /**
     * An uploaded instance's heap.
     *
     * @param instance names the series when there is no heap data at all
     * @param heapCsv  the instance's {@code heap.csv} bytes, or null
     * @param files    its other files by the name messages give them ({@code canary: pod-1/slice-1.jfr})
     * @throws InvalidHeapCsvException the heap.csv is invalid (naming {@code heapCsvSource} and the line)
     * @throws InvalidProfileException a recording's heap summaries cannot be read
     */
    public static HeapSeries read(String instance, byte[] heapCsv, String heapCsvSource, Map<String, byte[]> files,
                                  ReadOptions options) throws InvalidHeapCsvException, InvalidProfileException {
        HeapSeries csv = null;
        if (heapCsv != null) {
            if (heapCsv.length > HeapCsv.MAX_BYTES) {
                throw new InvalidHeapCsvException(heapCsvSource + ": larger than " + HeapCsv.MAX_BYTES + " bytes");
            }
            csv = HeapCsv.parse(new String(heapCsv, StandardCharsets.UTF_8).lines().toList(), heapCsvSource);
            if (csv.jvmStartMillis() >= 0) {
                return csv; // the recordings could add nothing
            }
        }
        HeapSeries recorded = HeapSeries.empty(instance);
        for (Map.Entry<String, byte[]> file : files.entrySet()) {
            recorded = recorded.plus(ProfileFiles.readHeap(file.getValue(), file.getKey(), options));
        }
        return csv == null ? recorded : withRecordedStart(csv, recorded);
    }

    /**
     * An instance's memory outside the heap: its {@code areas.csv} ({@link AreaCsv}) when it has one, else what its
     * JFR recordings hold ({@code jdk.MetaspaceSummary}, {@code jdk.DirectBufferStatistics},
     * {@code jdk.JavaThreadStatistics}), merged; every area with the JVM's start ({@code jvmStartMillis}, the heap's)
     * where its own points do not say it.
     *
     * @param areasCsv the instance's {@code areas.csv}, or null
     * @throws InvalidHeapCsvException the areas.csv is invalid (naming the file and line)
     * @throws InvalidProfileException a recording cannot be read
     * @throws IOException             a file cannot be read; the message names it
     */
    public static MemoryAreaSeries areas(Path areasCsv, Collection<Path> files, ReadOptions options, long jvmStartMillis)
            throws IOException, InvalidHeapCsvException, InvalidProfileException {
        if (areasCsv != null) {
            try {
                return AreaCsv.read(areasCsv).withJvmStartMillis(jvmStartMillis);
            } catch (IOException e) {
                throw new IOException(areasCsv + ": cannot read: " + LocalDirectorySource.describe(e), e);
            }
        }
        MemoryAreaSeries recorded = MemoryAreaSeries.empty();
        for (Path file : files) {
            try {
                recorded = recorded.plus(ProfileFiles.readAreas(file, options));
            } catch (IOException e) {
                throw new IOException(file + ": cannot read: " + LocalDirectorySource.describe(e), e);
            }
        }
        return recorded.withJvmStartMillis(jvmStartMillis);
    }

    /** {@link #areas(Path, Collection, ReadOptions, long)} of an upload: {@code areasCsv} bytes or null, files by name. */
    public static MemoryAreaSeries areas(byte[] areasCsv, String areasCsvSource, Map<String, byte[]> files,
                                         ReadOptions options, long jvmStartMillis)
            throws InvalidHeapCsvException, InvalidProfileException {
        if (areasCsv != null) {
            if (areasCsv.length > HeapCsv.MAX_BYTES) {
                throw new InvalidHeapCsvException(areasCsvSource + ": larger than " + HeapCsv.MAX_BYTES + " bytes");
            }
            return AreaCsv.parse(new String(areasCsv, StandardCharsets.UTF_8).lines().toList(), areasCsvSource)
                    .withJvmStartMillis(jvmStartMillis);
        }
        MemoryAreaSeries recorded = MemoryAreaSeries.empty();
        for (Map.Entry<String, byte[]> file : files.entrySet()) {
            recorded = recorded.plus(ProfileFiles.readAreas(file.getValue(), file.getKey(), options));
        }
        return recorded.withJvmStartMillis(jvmStartMillis);
    }

    /** The csv's points; its JVM start, else the recordings'. */
    private static HeapSeries withRecordedStart(HeapSeries csv, HeapSeries recorded) {
        HeapSeries dated = csv.jvmStartMillis() < 0 && recorded.jvmStartMillis() >= 0
                ? csv.withJvmStartMillis(recorded.jvmStartMillis()) : csv;
        return dated.withSettings(csv.settings().or(recorded.settings()));
    }
}
