package io.canaryjudge.scenario;

import jdk.jfr.consumer.RecordedEvent;
import jdk.jfr.consumer.RecordedFrame;
import jdk.jfr.consumer.RecordedMethod;
import jdk.jfr.consumer.RecordedStackTrace;
import jdk.jfr.consumer.RecordingFile;

import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.zip.Deflater;
import java.util.zip.GZIPInputStream;
import java.util.zip.GZIPOutputStream;

/**
 * Re-encodes one async-profiler JFR slice as one gzipped pprof profile, the shape Grafana
 * Pyroscope stores for Java: identical stacks aggregated, frames named {@code java/lang/String.equals}
 * (slashes, no signature, no line), columns {@code cpu/nanoseconds} (one sampling interval per
 * {@code jdk.ExecutionSample}), {@code alloc_in_new_tlab_bytes/bytes} (weight {@code tlabSize}) and
 * {@code alloc_outside_tlab_bytes/bytes} (weight {@code allocationSize}), and the number of
 * allocation events as {@code alloc_in_new_tlab_objects/count} and
 * {@code alloc_outside_tlab_objects/count} (what async-profiler's JFR gives as object counts).
 *
 * <p>Why: a JFR slice stores every event with its timestamp and thread; aggregated pprof of the
 * same slice is about a third of the size (measured in {@code scenarios/README.md}), which keeps
 * the committed scenarios small. The samples are the profiler's own; only the container changes.
 * {@code RecordedScenarioTest} checks that both files give the same per-function totals.
 */
public final class SlicePprofWriter {
    private static final int CPU = 0;
    private static final int ALLOC_NEW_TLAB = 1;
    private static final int ALLOC_OUTSIDE_TLAB = 2;
    /** Allocation events, new-TLAB and outside-TLAB: the samples behind the bytes columns. */
    private static final int ALLOC_NEW_TLAB_EVENTS = 3;
    private static final int ALLOC_OUTSIDE_TLAB_EVENTS = 4;

    private SlicePprofWriter() {
    }

    /**
     * {@link #convert} of a gzipped JFR slice, as the recordings are committed ({@code slice-N.jfr.gz}): inflated beside
     * {@code pprof}, converted, and the inflated copy deleted.
     */
    public static void convertGzipped(Path jfrGz, Path pprof, long cpuIntervalNanos, boolean withAllocation,
                                      long startEpochNanos, long durationNanos) throws IOException {
        Path jfr = pprof.resolveSibling(pprof.getFileName() + ".jfr");
        try (InputStream in = new GZIPInputStream(Files.newInputStream(jfrGz))) {
            Files.copy(in, jfr, StandardCopyOption.REPLACE_EXISTING);
        }
        try {
            convert(jfr, pprof, cpuIntervalNanos, withAllocation, startEpochNanos, durationNanos);
        } finally {
            Files.deleteIfExists(jfr);
        }
    }

    /**
     * Converts {@code jfr} to gzipped pprof at {@code pprof}.
     *
     * @param cpuIntervalNanos the sampling interval the recording used, nanoseconds: the CPU
     *                         time one execution sample stands for
     * @param withAllocation   whether to write the allocation columns
     * @param startEpochNanos  start of the slice, nanoseconds since the epoch
     * @param durationNanos    length of the slice, nanoseconds
     */
    public static void convert(Path jfr, Path pprof, long cpuIntervalNanos, boolean withAllocation, long startEpochNanos,
                        long durationNanos) throws IOException {
        Map<List<String>, long[]> stacks = new LinkedHashMap<>();
        try (RecordingFile recording = new RecordingFile(jfr)) {
            while (recording.hasMoreEvents()) {
                RecordedEvent event = recording.readEvent();
                String name = event.getEventType().getName();
                int column;
                long value;
                switch (name) {
                    case "jdk.ExecutionSample" -> {
                        column = CPU;
                        value = cpuIntervalNanos;
                    }
                    case "jdk.ObjectAllocationInNewTLAB" -> {
                        column = ALLOC_NEW_TLAB;
                        value = event.getLong("tlabSize");
                    }
                    case "jdk.ObjectAllocationOutsideTLAB" -> {
                        column = ALLOC_OUTSIDE_TLAB;
                        value = event.getLong("allocationSize");
                    }
                    default -> {
                        continue;
                    }
                }
                if (column != CPU && !withAllocation) {
                    continue;
                }
                RecordedStackTrace trace = event.getStackTrace();
                if (trace == null) {
                    continue;
                }
                List<String> frames = new ArrayList<>(trace.getFrames().size());
                for (RecordedFrame frame : trace.getFrames()) {
                    frames.add(frameName(frame));
                }
                long[] values = stacks.computeIfAbsent(frames, f -> new long[5]);
                values[column] += value;
                if (column != CPU) {
                    values[column == ALLOC_NEW_TLAB ? ALLOC_NEW_TLAB_EVENTS : ALLOC_OUTSIDE_TLAB_EVENTS]++;
                }
            }
        }
        byte[] encoded = encode(stacks, withAllocation, cpuIntervalNanos, startEpochNanos, durationNanos);
        try (OutputStream out = new GZIPOutputStream(Files.newOutputStream(pprof), 1 << 16) {
            {
                def.setLevel(Deflater.BEST_COMPRESSION);
            }
        }) {
            out.write(encoded);
        }
    }

    /**
     * Re-encodes a gzipped collapsed CPU slice ({@code root;…;leaf nanoseconds}, as {@code collapse --profile-type cpu}
     * writes it) as gzipped pprof with the slice's time, {@code cpu/nanoseconds} at one sampling interval a sample: the
     * shape a time-aware local directory or Pyroscope holds, for the service to judge slices recorded as collapsed.
     *
     * @param periodNanos the sampling interval of the recording, nanoseconds
     */
    public static void convertCollapsedCpu(Path collapsedGz, Path pprof, long periodNanos, long startEpochNanos,
                                           long durationNanos) throws IOException {
        Map<List<String>, long[]> stacks = new LinkedHashMap<>();
        String text;
        try (InputStream in = new GZIPInputStream(Files.newInputStream(collapsedGz))) {
            text = new String(in.readAllBytes(), java.nio.charset.StandardCharsets.UTF_8);
        }
        for (String line : text.split("\n")) {
            int space = line.lastIndexOf(' ');
            if (line.isBlank() || space < 0) {
                continue;
            }
            List<String> frames = new ArrayList<>(List.of(line.substring(0, space).split(";")));
            java.util.Collections.reverse(frames); // pprof lists a sample's locations leaf first
            stacks.computeIfAbsent(frames, f -> new long[5])[CPU] += Long.parseLong(line.substring(space + 1).strip());
        }
        byte[] encoded = encode(stacks, false, periodNanos, startEpochNanos, durationNanos);
        try (OutputStream out = new GZIPOutputStream(Files.newOutputStream(pprof))) {
            out.write(encoded);
        }
    }

    /**
     * Java frames as {@code java/lang/String.equals}; native, VM and kernel frames as their library
     * and symbol, {@code libjvm.so.os::javaTimeNanos}, with an empty library when the profiler
     * knows none ({@code .itable stub}, {@code .do_syscall_64}) — as Pyroscope's jfr-parser names
     * them, and as the project's JFR reader does.
     */
    static String frameName(RecordedFrame frame) {
        RecordedMethod method = frame.getMethod();
        if (method == null) {
            return "[unknown]";
        }
        String type = method.getType() == null || method.getType().getName() == null
                ? "" : method.getType().getName();
        boolean javaFrame = switch (String.valueOf(frame.getType())) {
            case "Native", "C++", "Kernel" -> false;
            default -> true;
        };
        return (javaFrame ? type.replace('.', '/') : type) + "." + method.getName();
    }

    private static byte[] encode(Map<List<String>, long[]> stacks, boolean withAllocation, long periodNanos,
                                 long startEpochNanos, long durationNanos) {
        Map<String, Integer> strings = new HashMap<>();
        List<String> table = new ArrayList<>();
        ProtoWriter profile = new ProtoWriter();
        java.util.function.ToIntFunction<String> intern = s -> strings.computeIfAbsent(s, k -> {
            table.add(k);
            return table.size() - 1;
        });
        intern.applyAsInt("");
        String[][] types = withAllocation
                ? new String[][] {{"cpu", "nanoseconds"}, {"alloc_in_new_tlab_bytes", "bytes"},
                                  {"alloc_outside_tlab_bytes", "bytes"}, {"alloc_in_new_tlab_objects", "count"},
                                  {"alloc_outside_tlab_objects", "count"}}
                : new String[][] {{"cpu", "nanoseconds"}};
        for (String[] type : types) {
            ProtoWriter valueType = new ProtoWriter();
            valueType.varint(1, intern.applyAsInt(type[0]));
            valueType.varint(2, intern.applyAsInt(type[1]));
            profile.message(1, valueType);
        }
        // One function and one location per distinct frame name; ids start at 1.
        Map<String, Integer> functionIds = new LinkedHashMap<>();
        for (Map.Entry<List<String>, long[]> stack : stacks.entrySet()) {
            ProtoWriter sample = new ProtoWriter();
            ProtoWriter locations = new ProtoWriter();
            for (String frame : stack.getKey()) {
                locations.rawVarint(functionIds.computeIfAbsent(frame, f -> functionIds.size() + 1));
            }
            sample.bytes(1, locations.toByteArray());
            ProtoWriter values = new ProtoWriter();
            for (int column = 0; column < types.length; column++) {
                values.rawVarint(stack.getValue()[column]);
            }
            sample.bytes(2, values.toByteArray());
            profile.message(2, sample);
        }
        for (Map.Entry<String, Integer> function : functionIds.entrySet()) {
            ProtoWriter line = new ProtoWriter();
            line.varint(1, function.getValue());
            ProtoWriter location = new ProtoWriter();
            location.varint(1, function.getValue());
            location.message(4, line);
            profile.message(4, location);
        }
        for (Map.Entry<String, Integer> function : functionIds.entrySet()) {
            ProtoWriter fn = new ProtoWriter();
            fn.varint(1, function.getValue());
            int name = intern.applyAsInt(function.getKey());
            fn.varint(2, name);
            fn.varint(3, name);
            profile.message(5, fn);
        }
        ProtoWriter periodType = new ProtoWriter();
        periodType.varint(1, intern.applyAsInt("cpu"));
        periodType.varint(2, intern.applyAsInt("nanoseconds"));
        for (String s : table) {
            profile.string(6, s);
        }
        profile.varint(9, startEpochNanos);
        profile.varint(10, durationNanos);
        profile.message(11, periodType);
        profile.varint(12, periodNanos);
        return profile.toByteArray();
    }

    /** Just enough protobuf: varints, length-delimited fields. */
    private static final class ProtoWriter {
        private final ByteArrayOutputStream out = new ByteArrayOutputStream();

        void rawVarint(long value) {
            while ((value & ~0x7FL) != 0) {
                out.write((int) ((value & 0x7F) | 0x80));
                value >>>= 7;
            }
            out.write((int) value);
        }

        void varint(int field, long value) {
            rawVarint((long) field << 3);
            rawVarint(value);
        }

        void bytes(int field, byte[] bytes) {
            rawVarint((long) field << 3 | 2);
            rawVarint(bytes.length);
            out.writeBytes(bytes);
        }

        void string(int field, String value) {
            bytes(field, value.getBytes(java.nio.charset.StandardCharsets.UTF_8));
        }

        void message(int field, ProtoWriter message) {
            bytes(field, message.toByteArray());
        }

        byte[] toByteArray() {
            return out.toByteArray();
        }
    }
}
