package io.canaryjudge.memory;

import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.OutputStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.zip.Deflater;
import java.util.zip.GZIPOutputStream;
import jdk.jfr.consumer.RecordedEvent;
import jdk.jfr.consumer.RecordedFrame;
import jdk.jfr.consumer.RecordingFile;

/**
 * Re-encodes async-profiler's live objects ({@code profiler.LiveObject}) of one or more consecutive
 * recordings of a pod as one gzipped pprof profile with Go's heap-profile columns
 * {@code inuse_objects/count} (one per sampled live object) and {@code inuse_space/bytes} (each sample
 * weighing max(allocationSize, the {@code alloc} interval), what one sample stands for), frames named
 * as Pyroscope names them ({@code java/lang/String.equals}). Read with the JDK's own JFR parser, not
 * the project's reader, so the committed profiles are an independent encoding of the recordings.
 */
final class LivePprofWriter {
    private LivePprofWriter() {
    }

    /**
     * @return the number of live-object samples written
     */
    static long convert(List<Path> recordings, long allocIntervalBytes, long startEpochNanos, long durationNanos,
                        Path pprof) throws IOException {
        Map<List<String>, long[]> stacks = new LinkedHashMap<>();
        long samples = 0;
        for (Path jfr : recordings) {
            try (RecordingFile recording = new RecordingFile(jfr)) {
                while (recording.hasMoreEvents()) {
                    RecordedEvent event = recording.readEvent();
                    if (!event.getEventType().getName().equals("profiler.LiveObject") || event.getStackTrace() == null) {
                        continue;
                    }
                    List<String> frames = new ArrayList<>();
                    for (RecordedFrame frame : event.getStackTrace().getFrames()) {
                        frames.add(frame.getMethod().getType().getName().replace('.', '/') + "." + frame.getMethod().getName());
                    }
                    long[] values = stacks.computeIfAbsent(frames, f -> new long[2]);
                    values[0]++;
                    values[1] += Math.max(event.getLong("allocationSize"), allocIntervalBytes);
                    samples++;
                }
            }
        }
        byte[] encoded = encode(stacks, startEpochNanos, durationNanos);
        try (OutputStream out = new GZIPOutputStream(Files.newOutputStream(pprof), 1 << 16) {
            {
                def.setLevel(Deflater.BEST_COMPRESSION);
            }
        }) {
            out.write(encoded);
        }
        return samples;
    }

    private static byte[] encode(Map<List<String>, long[]> stacks, long startEpochNanos, long durationNanos) {
        List<String> table = new ArrayList<>(List.of(""));
        Map<String, Integer> strings = new HashMap<>(Map.of("", 0));
        java.util.function.ToIntFunction<String> intern = s -> strings.computeIfAbsent(s, k -> {
            table.add(k);
            return table.size() - 1;
        });
        Proto profile = new Proto();
        for (String[] type : new String[][] {{"inuse_objects", "count"}, {"inuse_space", "bytes"}}) {
            Proto valueType = new Proto();
            valueType.varint(1, intern.applyAsInt(type[0]));
            valueType.varint(2, intern.applyAsInt(type[1]));
            profile.message(1, valueType);
        }
        Map<String, Integer> functions = new LinkedHashMap<>();
        for (Map.Entry<List<String>, long[]> stack : stacks.entrySet()) {
            Proto locations = new Proto();
            for (String frame : stack.getKey()) { // leaf first, as pprof and JFR both store them
                locations.raw(functions.computeIfAbsent(frame, f -> functions.size() + 1));
            }
            Proto values = new Proto();
            values.raw(stack.getValue()[0]);
            values.raw(stack.getValue()[1]);
            Proto sample = new Proto();
            sample.bytes(1, locations.toByteArray());
            sample.bytes(2, values.toByteArray());
            profile.message(2, sample);
        }
        for (Map.Entry<String, Integer> function : functions.entrySet()) {
            Proto line = new Proto();
            line.varint(1, function.getValue());
            Proto location = new Proto();
            location.varint(1, function.getValue());
            location.message(4, line);
            profile.message(4, location);
        }
        for (Map.Entry<String, Integer> function : functions.entrySet()) {
            Proto fn = new Proto();
            fn.varint(1, function.getValue());
            int name = intern.applyAsInt(function.getKey());
            fn.varint(2, name);
            fn.varint(3, name);
            profile.message(5, fn);
        }
        Proto periodType = new Proto();
        periodType.varint(1, intern.applyAsInt("space"));
        periodType.varint(2, intern.applyAsInt("bytes"));
        for (String s : table) {
            profile.bytes(6, s.getBytes(StandardCharsets.UTF_8));
        }
        profile.varint(9, startEpochNanos);
        profile.varint(10, durationNanos);
        profile.message(11, periodType);
        return profile.toByteArray();
    }

    /** Just enough protobuf: varints and length-delimited fields. */
    private static final class Proto {
        private final ByteArrayOutputStream out = new ByteArrayOutputStream();

        void raw(long value) {
            while ((value & ~0x7FL) != 0) {
                out.write((int) ((value & 0x7F) | 0x80));
                value >>>= 7;
            }
            out.write((int) value);
        }

        void varint(int field, long value) {
            raw((long) field << 3);
            raw(value);
        }

        void bytes(int field, byte[] bytes) {
            raw((long) field << 3 | 2);
            raw(bytes.length);
            out.writeBytes(bytes);
        }

        void message(int field, Proto message) {
            bytes(field, message.toByteArray());
        }

        byte[] toByteArray() {
            return out.toByteArray();
        }
    }
}
