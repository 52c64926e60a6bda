package io.canaryjudge.profile.testing;

import java.io.ByteArrayInputStream;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.zip.GZIPInputStream;

/**
 * A pprof {@code Profile} message decoded into plain values and encoded again, for the Pyroscope
 * stand-in to answer queries the way Pyroscope does: keep only the asked-for column
 * ({@link #project}), merge the profiles of a query ({@link #merge}), collapse small call-tree nodes
 * into {@code other} ({@link #truncate}), stamp the profile type ({@link #withProfileType}).
 *
 * <p>Field numbers from profile.proto (INTEGRATIONS.md). Mappings, locations, functions and labels are
 * kept (ids renumbered on merge); drop/keep frames and comments are dropped, as Pyroscope drops them.
 */
final class PprofMessage {
    record ValueType(String type, String unit) {
    }

    record Label(String key, String str, long num, String numUnit) {
    }

    record Sample(long[] locationIds, long[] values, List<Label> labels) {
    }

    record Line(long functionId, long line) {
    }

    record Location(long id, long mappingId, long address, List<Line> lines, boolean folded) {
    }

    record Function(long id, String name, String systemName, String filename, long startLine) {
    }

    record Mapping(long id, long memoryStart, long memoryLimit, long fileOffset, String filename, String buildId) {
    }

    final List<ValueType> sampleTypes = new ArrayList<>();
    final List<Sample> samples = new ArrayList<>();
    final Map<Long, Location> locations = new LinkedHashMap<>();
    final Map<Long, Function> functions = new LinkedHashMap<>();
    final Map<Long, Mapping> mappings = new LinkedHashMap<>();
    ValueType periodType;
    long period;
    long timeNanos;
    long durationNanos;

    /** Decodes pprof, raw or gzipped. */
    static PprofMessage decode(byte[] pprof) {
        byte[] raw = pprof.length >= 2 && (pprof[0] & 0xFF) == 0x1f && (pprof[1] & 0xFF) == 0x8b ? gunzip(pprof) : pprof;
        List<String> strings = new ArrayList<>();
        // Pass 1: the string table (it may come last).
        Protobuf.Reader in = new Protobuf.Reader(raw);
        while (in.more()) {
            int tag = in.tag();
            if (tag >>> 3 == 6) {
                strings.add(in.string());
            } else {
                in.skip(tag & 7);
            }
        }
        PprofMessage m = new PprofMessage();
        in = new Protobuf.Reader(raw);
        while (in.more()) {
            int tag = in.tag();
            int wire = tag & 7;
            switch (tag >>> 3) {
                case 1 -> m.sampleTypes.add(valueType(in.message(), strings));
                case 2 -> m.samples.add(sample(in.message(), strings));
                case 3 -> {
                    Mapping mapping = mapping(in.message(), strings);
                    m.mappings.put(mapping.id(), mapping);
                }
                case 4 -> {
                    Location location = location(in.message());
                    m.locations.put(location.id(), location);
                }
                case 5 -> {
                    Function function = function(in.message(), strings);
                    m.functions.put(function.id(), function);
                }
                case 9 -> m.timeNanos = in.varint();
                case 10 -> m.durationNanos = in.varint();
                case 11 -> m.periodType = valueType(in.message(), strings);
                case 12 -> m.period = in.varint();
                default -> in.skip(wire);
            }
        }
        return m;
    }

    /** The index of column {@code type/unit}, or -1. */
    int column(String type, String unit) {
        for (int i = 0; i < sampleTypes.size(); i++) {
            if (sampleTypes.get(i).type().equals(type) && sampleTypes.get(i).unit().equals(unit)) {
                return i;
            }
        }
        return -1;
    }

    long total(int column) {
        long total = 0;
        for (Sample sample : samples) {
            total += sample.values()[column];
        }
        return total;
    }

    /** Only column {@code column}; samples without a value in it dropped, tables pruned to what is used. */
    PprofMessage project(int column) {
        PprofMessage out = new PprofMessage();
        out.sampleTypes.add(sampleTypes.get(column));
        out.periodType = periodType;
        out.period = period;
        out.timeNanos = timeNanos;
        out.durationNanos = durationNanos;
        for (Sample sample : samples) {
            long value = sample.values()[column];
            if (value != 0) {
                out.samples.add(new Sample(sample.locationIds(), new long[] {value}, sample.labels()));
            }
        }
        out.copyUsedTables(this);
        return out;
    }

    private void copyUsedTables(PprofMessage from) {
        for (Sample sample : samples) {
            for (long id : sample.locationIds()) {
                Location location = from.locations.get(id);
                if (location != null && locations.putIfAbsent(id, location) == null) {
                    for (Line line : location.lines()) {
                        Function function = from.functions.get(line.functionId());
                        if (function != null) {
                            functions.putIfAbsent(function.id(), function);
                        }
                    }
                    Mapping mapping = from.mappings.get(location.mappingId());
                    if (mapping != null) {
                        mappings.putIfAbsent(mapping.id(), mapping);
                    }
                }
            }
        }
    }

    /** One profile of all {@code parts} (each with the same single column); ids renumbered, samples appended. */
    static PprofMessage merge(List<PprofMessage> parts) {
        PprofMessage out = new PprofMessage();
        out.sampleTypes.addAll(parts.get(0).sampleTypes);
        out.periodType = parts.get(0).periodType;
        out.period = parts.get(0).period;
        long nextMapping = 1;
        long nextFunction = 1;
        long nextLocation = 1;
        for (PprofMessage part : parts) {
            Map<Long, Long> mappingIds = new HashMap<>();
            for (Mapping m : part.mappings.values()) {
                long id = nextMapping++;
                mappingIds.put(m.id(), id);
                out.mappings.put(id, new Mapping(id, m.memoryStart(), m.memoryLimit(), m.fileOffset(), m.filename(), m.buildId()));
            }
            Map<Long, Long> functionIds = new HashMap<>();
            for (Function f : part.functions.values()) {
                long id = nextFunction++;
                functionIds.put(f.id(), id);
                out.functions.put(id, new Function(id, f.name(), f.systemName(), f.filename(), f.startLine()));
            }
            Map<Long, Long> locationIds = new HashMap<>();
            for (Location l : part.locations.values()) {
                long id = nextLocation++;
                locationIds.put(l.id(), id);
                List<Line> lines = new ArrayList<>();
                l.lines().forEach(line -> lines.add(new Line(functionIds.getOrDefault(line.functionId(), 0L), line.line())));
                out.locations.put(id, new Location(id, mappingIds.getOrDefault(l.mappingId(), 0L), l.address(), lines, l.folded()));
            }
            for (Sample s : part.samples) {
                long[] ids = new long[s.locationIds().length];
                for (int i = 0; i < ids.length; i++) {
                    ids[i] = locationIds.getOrDefault(s.locationIds()[i], 0L);
                }
                out.samples.add(new Sample(ids, s.values().clone(), s.labels()));
            }
        }
        return out;
    }

    /** Pyroscope's {@code maxNodes}: see {@link NodeLimit#truncate}. */
    PprofMessage truncate(long maxNodes) {
        return NodeLimit.truncate(this, maxNodes);
    }

    /** Function names of a sample, root first (pprof lists locations leaf first, a location's lines callee first). */
    List<String> framesRootFirst(Sample sample) {
        List<String> frames = new ArrayList<>();
        long[] ids = sample.locationIds();
        for (int i = ids.length - 1; i >= 0; i--) {
            Location location = locations.get(ids[i]);
            if (location == null || location.lines().isEmpty()) {
                frames.add("0x" + Long.toHexString(location == null ? 0 : location.address()));
                continue;
            }
            for (int j = location.lines().size() - 1; j >= 0; j--) {
                Function function = functions.get(location.lines().get(j).functionId());
                frames.add(function == null ? "?" : function.name());
            }
        }
        return frames;
    }

    /**
     * The metadata Pyroscope's {@code SetProfileMetadata} puts on an answer: the one sample type and
     * the period type from the profile type ID, its guessed period ({@code process_cpu} 1 s,
     * {@code memory} 512 KiB, else 1), the query's end as the time.
     */
    PprofMessage withProfileType(String profileTypeId, long startMs, long endMs) {
        String[] parts = profileTypeId.split(":");
        sampleTypes.clear();
        sampleTypes.add(new ValueType(parts[1], parts[2]));
        periodType = new ValueType(parts[3], parts[4]);
        period = switch (parts[0]) {
            case "process_cpu" -> 1_000_000_000L;
            case "memory" -> 512 * 1024;
            default -> 1;
        };
        timeNanos = endMs * 1_000_000L;
        durationNanos = (endMs - startMs) * 1_000_000L;
        return this;
    }

    byte[] encode() {
        Map<String, Integer> strings = new LinkedHashMap<>();
        strings.put("", 0);
        Protobuf.Writer out = new Protobuf.Writer();
        for (ValueType t : sampleTypes) {
            out.message(1, valueType(t, strings));
        }
        for (Sample s : samples) {
            Protobuf.Writer sample = new Protobuf.Writer().packed(1, s.locationIds()).packed(2, s.values());
            for (Label l : s.labels()) {
                Protobuf.Writer label = new Protobuf.Writer().varint(1, index(l.key(), strings));
                if (l.str() != null) {
                    label.varintIfSet(2, index(l.str(), strings));
                } else {
                    label.varint(3, l.num());
                    if (l.numUnit() != null) {
                        label.varintIfSet(4, index(l.numUnit(), strings));
                    }
                }
                sample.message(3, label);
            }
            out.message(2, sample);
        }
        for (Mapping m : mappings.values()) {
            out.message(3, new Protobuf.Writer().varint(1, m.id()).varintIfSet(2, m.memoryStart())
                    .varintIfSet(3, m.memoryLimit()).varintIfSet(4, m.fileOffset())
                    .varintIfSet(5, index(m.filename(), strings)).varintIfSet(6, index(m.buildId(), strings)));
        }
        for (Location l : locations.values()) {
            Protobuf.Writer location = new Protobuf.Writer().varint(1, l.id()).varintIfSet(2, l.mappingId())
                    .varintIfSet(3, l.address());
            for (Line line : l.lines()) {
                location.message(4, new Protobuf.Writer().varint(1, line.functionId()).varintIfSet(2, line.line()));
            }
            if (l.folded()) {
                location.varint(5, 1);
            }
            out.message(4, location);
        }
        for (Function f : functions.values()) {
            out.message(5, new Protobuf.Writer().varint(1, f.id()).varintIfSet(2, index(f.name(), strings))
                    .varintIfSet(3, index(f.systemName(), strings)).varintIfSet(4, index(f.filename(), strings))
                    .varintIfSet(5, f.startLine()));
        }
        out.varintIfSet(9, timeNanos).varintIfSet(10, durationNanos);
        if (periodType != null) {
            out.message(11, valueType(periodType, strings));
        }
        out.varintIfSet(12, period);
        // The string table last: every index above is known by now.
        Protobuf.Writer table = new Protobuf.Writer();
        for (String s : strings.keySet()) {
            table.string(6, s);
        }
        byte[] body = out.toByteArray();
        byte[] tail = table.toByteArray();
        byte[] all = new byte[body.length + tail.length];
        System.arraycopy(body, 0, all, 0, body.length);
        System.arraycopy(tail, 0, all, body.length, tail.length);
        return all;
    }

    private static Protobuf.Writer valueType(ValueType t, Map<String, Integer> strings) {
        return new Protobuf.Writer().varintIfSet(1, index(t.type(), strings)).varintIfSet(2, index(t.unit(), strings));
    }

    private static int index(String s, Map<String, Integer> strings) {
        return strings.computeIfAbsent(s == null ? "" : s, k -> strings.size());
    }

    private static String string(long index, List<String> strings) {
        if (index < 0 || index >= strings.size()) {
            throw new IllegalArgumentException("string index " + index + " outside a table of " + strings.size());
        }
        return strings.get((int) index);
    }

    private static ValueType valueType(Protobuf.Reader in, List<String> strings) {
        long type = 0;
        long unit = 0;
        while (in.more()) {
            int tag = in.tag();
            switch (tag >>> 3) {
                case 1 -> type = in.varint();
                case 2 -> unit = in.varint();
                default -> in.skip(tag & 7);
            }
        }
        return new ValueType(string(type, strings), string(unit, strings));
    }

    private static Sample sample(Protobuf.Reader in, List<String> strings) {
        List<Long> locationIds = new ArrayList<>();
        List<Long> values = new ArrayList<>();
        List<Label> labels = new ArrayList<>();
        while (in.more()) {
            int tag = in.tag();
            switch (tag >>> 3) {
                case 1 -> in.varints(tag & 7, locationIds::add);
                case 2 -> in.varints(tag & 7, values::add);
                case 3 -> labels.add(label(in.message(), strings));
                default -> in.skip(tag & 7);
            }
        }
        return new Sample(locationIds.stream().mapToLong(Long::longValue).toArray(),
                values.stream().mapToLong(Long::longValue).toArray(), List.copyOf(labels));
    }

    private static Label label(Protobuf.Reader in, List<String> strings) {
        long key = 0;
        long str = 0;
        long num = 0;
        long numUnit = 0;
        while (in.more()) {
            int tag = in.tag();
            switch (tag >>> 3) {
                case 1 -> key = in.varint();
                case 2 -> str = in.varint();
                case 3 -> num = in.varint();
                case 4 -> numUnit = in.varint();
                default -> in.skip(tag & 7);
            }
        }
        return str != 0 || num == 0
                ? new Label(string(key, strings), string(str, strings), 0, null)
                : new Label(string(key, strings), null, num, numUnit == 0 ? null : string(numUnit, strings));
    }

    private static Mapping mapping(Protobuf.Reader in, List<String> strings) {
        long[] f = new long[7];
        while (in.more()) {
            int tag = in.tag();
            int field = tag >>> 3;
            if (field >= 1 && field <= 6 && (tag & 7) == Protobuf.VARINT) {
                f[field] = in.varint();
            } else {
                in.skip(tag & 7);
            }
        }
        return new Mapping(f[1], f[2], f[3], f[4], string(f[5], strings), string(f[6], strings));
    }

    private static Location location(Protobuf.Reader in) {
        long id = 0;
        long mappingId = 0;
        long address = 0;
        boolean folded = false;
        List<Line> lines = new ArrayList<>();
        while (in.more()) {
            int tag = in.tag();
            switch (tag >>> 3) {
                case 1 -> id = in.varint();
                case 2 -> mappingId = in.varint();
                case 3 -> address = in.varint();
                case 4 -> {
                    Protobuf.Reader line = in.message();
                    long function = 0;
                    long number = 0;
                    while (line.more()) {
                        int t = line.tag();
                        switch (t >>> 3) {
                            case 1 -> function = line.varint();
                            case 2 -> number = line.varint();
                            default -> line.skip(t & 7);
                        }
                    }
                    lines.add(new Line(function, number));
                }
                case 5 -> folded = in.varint() != 0;
                default -> in.skip(tag & 7);
            }
        }
        return new Location(id, mappingId, address, List.copyOf(lines), folded);
    }

    private static Function function(Protobuf.Reader in, List<String> strings) {
        long[] f = new long[6];
        while (in.more()) {
            int tag = in.tag();
            int field = tag >>> 3;
            if (field >= 1 && field <= 5 && (tag & 7) == Protobuf.VARINT) {
                f[field] = in.varint();
            } else {
                in.skip(tag & 7);
            }
        }
        return new Function(f[1], string(f[2], strings), string(f[3], strings), string(f[4], strings), f[5]);
    }

    private static byte[] gunzip(byte[] gzip) {
        try (GZIPInputStream in = new GZIPInputStream(new ByteArrayInputStream(gzip))) {
            return in.readAllBytes();
        } catch (IOException e) {
            throw new UncheckedIOException("not a readable gzip pprof", e);
        }
    }
}
