package io.canaryjudge.profile.pprof;

import io.canaryjudge.profile.GoAllocationCounts;
import io.canaryjudge.profile.InvalidProfileException;
import io.canaryjudge.profile.NodeFunctionNames;
import io.canaryjudge.profile.Profile;
import io.canaryjudge.profile.ProfileBuilder;
import io.canaryjudge.profile.ProfileFormat;
import io.canaryjudge.profile.ProfileType;
import io.canaryjudge.profile.ReadOptions;
import io.canaryjudge.profile.SampleType;
import io.canaryjudge.profile.SamplingSetting;
import io.canaryjudge.profile.StackDepthLimitException;
import java.nio.ByteBuffer;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.EnumMap;
import java.util.HashMap;
import java.util.List;
import java.util.Map;

/**
 * Decodes one pprof message. Field numbers follow profile.proto (see INTEGRATIONS.md):
 * Profile, ValueType, Sample, Label, Location, Line, Function. Mappings, drop/keep frames and
 * comments are skipped; unknown fields are skipped by wire type.
 *
 * <p>Pass 1 walks the top-level fields and keeps only offsets and indexes (the string table is
 * decoded lazily, entry by entry); pass 2 walks the samples. Tables grow geometrically from
 * what was actually read, never from a declared count.
 */
final class PprofDecoder {
    // Profile
    private static final int PROFILE_SAMPLE_TYPE = 1;
    private static final int PROFILE_SAMPLE = 2;
    private static final int PROFILE_MAPPING = 3;
    private static final int PROFILE_LOCATION = 4;
    private static final int PROFILE_FUNCTION = 5;
    private static final int PROFILE_STRING_TABLE = 6;
    private static final int PROFILE_DROP_FRAMES = 7;
    private static final int PROFILE_KEEP_FRAMES = 8;
    private static final int PROFILE_TIME_NANOS = 9;
    private static final int PROFILE_DURATION_NANOS = 10;
    private static final int PROFILE_PERIOD_TYPE = 11;
    private static final int PROFILE_PERIOD = 12;
    private static final int PROFILE_COMMENT = 13;
    private static final int PROFILE_DEFAULT_SAMPLE_TYPE = 14;

    private final ByteBuffer buffer;
    private final String source;
    private final ReadOptions options;

    // string_table: offsets of each entry's bytes
    private final IntList stringStarts = new IntList();
    private final IntList stringEnds = new IntList();
    private String[] strings;

    // sample_type: string indexes and where each was declared
    private final IntList sampleTypeNames = new IntList();
    private final IntList sampleTypeUnits = new IntList();
    private final IntList sampleTypeOffsets = new IntList();

    // function: id, name index, system_name index, offset
    private final LongList functionIds = new LongList();
    private final IntList functionNames = new IntList();
    private final IntList functionSystemNames = new IntList();
    private final IntList functionFileNames = new IntList();
    private Boolean javaScriptProfile;
    private final IntList functionOffsets = new IntList();
    private LongIndex functionById;
    private int[] functionIdsInBuilder;

    // location: id, address, lines [lineStart[i], lineStart[i+1]) in lineFunctions, offset
    private final LongList locationIds = new LongList();
    private final LongList locationAddresses = new LongList();
    private final IntList locationLineStarts = new IntList();
    private final LongList lineFunctions = new LongList();
    private final IntList locationOffsets = new IntList();
    private LongIndex locationById;
    /** Builder function ids of each location's frames, leaf (innermost inlined) first; resolved lazily. */
    private int[] locationFrameStart;
    private int[] locationFrameCount;
    private final IntList locationFrames = new IntList();

    private long sampleMessages;
    private long timeNanos;
    private long durationNanos;
    private int periodTypeName;
    private int periodTypeUnit;
    private int periodTypeOffset = -1;
    private long period;

    PprofDecoder(ByteBuffer buffer, String source, ReadOptions options) {
        this.buffer = buffer;
        this.source = source;
        this.options = options;
    }

    Profile decode() throws InvalidProfileException {
        readTables();
        checkTables();
        Columns columns = columns();
        ProfileBuilder builder = new ProfileBuilder(source, ProfileFormat.PPROF, columns.sampleTypes,
                options.maxStackDepth());
        builder.interval(Math.max(0, timeNanos), plausibleDuration());
        readSamples(builder, columns);
        builder.cpuSampling(cpuSampling(builder, columns));
        if (period > 0 && periodTypeOffset >= 0 && "bytes".equals(string(periodTypeUnit))) {
            builder.sampledHeapPeriod(period);
        }
        return GoAllocationCounts.counted(builder.build());
    }

    /**
     * The CPU sampling interval a profile declares: its {@code period} in nanoseconds, when every cpu sample weighs
     * exactly that (Go writes {@code samples/count} beside {@code cpu/nanoseconds} and a 10 ms period); pprof names
     * no engine. Pyroscope's merged profiles declare a period of 1 s and no sample count, which says nothing about
     * how the samples were taken: null then, as without a cpu column.
     */
    private SamplingSetting cpuSampling(ProfileBuilder builder, Columns columns) {
        if (period <= 0 || periodTypeOffset < 0 || !"nanoseconds".equals(string(periodTypeUnit))) {
            return null;
        }
        for (int c = 0; c < columns.sampleTypes.size(); c++) {
            if (columns.sampleTypes.get(c).profileType() == ProfileType.CPU) {
                long samples = builder.sampleCount(c);
                long total = builder.total(c);
                return samples > 0 && total / samples == period && total % samples == 0
                        ? new SamplingSetting(null, period) : null;
            }
        }
        return null;
    }

    // ---------------------------------------------------------------- pass 1: tables

    private void readTables() throws InvalidProfileException {
        ProtoInput in = new ProtoInput(buffer, source, "Profile", 0, buffer.limit());
        while (in.hasMore()) {
            int tag = in.readTag();
            switch (ProtoInput.fieldNumber(tag)) {
                case PROFILE_SAMPLE_TYPE -> {
                    in.expect(tag, ProtoInput.LEN);
                    sampleTypeOffsets.add(in.fieldStart());
                    long nameAndUnit = readValueType(in.message("ValueType"));
                    sampleTypeNames.add((int) (nameAndUnit >>> 32));
                    sampleTypeUnits.add((int) nameAndUnit);
                }
                case PROFILE_SAMPLE -> {
                    in.expect(tag, ProtoInput.LEN);
                    if (++sampleMessages > options.maxSamples()) {
                        throw in.error(in.fieldStart(), "more than " + options.maxSamples()
                                + " samples in one file: " + ReadOptions.TOO_MANY_SAMPLES_REMEDY);
                    }
                    in.skip(ProtoInput.LEN);
                }
                case PROFILE_LOCATION -> {
                    in.expect(tag, ProtoInput.LEN);
                    int offset = in.fieldStart();
                    readLocation(in.message("Location"), offset);
                }
                case PROFILE_FUNCTION -> {
                    in.expect(tag, ProtoInput.LEN);
                    int offset = in.fieldStart();
                    readFunction(in.message("Function"), offset);
                }
                case PROFILE_STRING_TABLE -> {
                    in.expect(tag, ProtoInput.LEN);
                    int end = in.readLengthEnd();
                    stringStarts.add(in.position());
                    stringEnds.add(end);
                    in.skipTo(end);
                }
                case PROFILE_MAPPING -> {
                    in.expect(tag, ProtoInput.LEN);
                    in.skip(ProtoInput.LEN);
                }
                case PROFILE_DROP_FRAMES, PROFILE_KEEP_FRAMES, PROFILE_DEFAULT_SAMPLE_TYPE -> {
                    in.expect(tag, ProtoInput.VARINT);
                    in.readVarint();
                }
                case PROFILE_TIME_NANOS -> {
                    in.expect(tag, ProtoInput.VARINT);
                    timeNanos = in.readVarint();
                }
                case PROFILE_DURATION_NANOS -> {
                    in.expect(tag, ProtoInput.VARINT);
                    durationNanos = in.readVarint();
                }
                case PROFILE_PERIOD_TYPE -> {
                    in.expect(tag, ProtoInput.LEN);
                    periodTypeOffset = in.fieldStart();
                    long nameAndUnit = readValueType(in.message("ValueType"));
                    periodTypeName = (int) (nameAndUnit >>> 32);
                    periodTypeUnit = (int) nameAndUnit;
                }
                case PROFILE_PERIOD -> {
                    in.expect(tag, ProtoInput.VARINT);
                    period = in.readVarint();
                }
                case PROFILE_COMMENT -> {
                    if (ProtoInput.wireType(tag) != ProtoInput.LEN) {
                        in.expect(tag, ProtoInput.VARINT);
                    }
                    in.skip(ProtoInput.wireType(tag));
                }
                default -> in.skip(ProtoInput.wireType(tag));
            }
        }
    }

    /** ValueType{type=1, unit=2} as {@code type << 32 | unit} string indexes. */
    private static long readValueType(ProtoInput in) throws InvalidProfileException {
        int type = 0;
        int unit = 0;
        while (in.hasMore()) {
            int tag = in.readTag();
            switch (ProtoInput.fieldNumber(tag)) {
                case 1 -> {
                    in.expect(tag, ProtoInput.VARINT);
                    type = in.readIndex("string index");
                }
                case 2 -> {
                    in.expect(tag, ProtoInput.VARINT);
                    unit = in.readIndex("string index");
                }
                default -> in.skip(ProtoInput.wireType(tag));
            }
        }
        return (long) type << 32 | unit;
    }

    /** Location{id=1, mapping_id=2, address=3, line=4 (Line{function_id=1, line=2}), is_folded=5}. */
    private void readLocation(ProtoInput in, int offset) throws InvalidProfileException {
        long id = 0;
        long address = 0;
        locationLineStarts.add(lineFunctions.size());
        while (in.hasMore()) {
            int tag = in.readTag();
            switch (ProtoInput.fieldNumber(tag)) {
                case 1 -> {
                    in.expect(tag, ProtoInput.VARINT);
                    id = in.readVarint();
                }
                case 3 -> {
                    in.expect(tag, ProtoInput.VARINT);
                    address = in.readVarint();
                }
                case 4 -> {
                    in.expect(tag, ProtoInput.LEN);
                    lineFunctions.add(readLineFunction(in.message("Line")));
                }
                default -> in.skip(ProtoInput.wireType(tag));
            }
        }
        if (id == 0) {
            throw in.error(offset, "location has id 0, which profile.proto reserves");
        }
        locationIds.add(id);
        locationAddresses.add(address);
        locationOffsets.add(offset);
    }

    private static long readLineFunction(ProtoInput in) throws InvalidProfileException {
        long functionId = 0;
        while (in.hasMore()) {
            int tag = in.readTag();
            if (ProtoInput.fieldNumber(tag) == 1) {
                in.expect(tag, ProtoInput.VARINT);
                functionId = in.readVarint();
            } else {
                in.skip(ProtoInput.wireType(tag));
            }
        }
        return functionId;
    }

    /** Function{id=1, name=2, system_name=3, filename=4, start_line=5}. */
    private void readFunction(ProtoInput in, int offset) throws InvalidProfileException {
        long id = 0;
        int name = 0;
        int systemName = 0;
        int fileName = 0;
        while (in.hasMore()) {
            int tag = in.readTag();
            switch (ProtoInput.fieldNumber(tag)) {
                case 1 -> {
                    in.expect(tag, ProtoInput.VARINT);
                    id = in.readVarint();
                }
                case 2 -> {
                    in.expect(tag, ProtoInput.VARINT);
                    name = in.readIndex("string index");
                }
                case 3 -> {
                    in.expect(tag, ProtoInput.VARINT);
                    systemName = in.readIndex("string index");
                }
                case 4 -> {
                    in.expect(tag, ProtoInput.VARINT);
                    fileName = in.readIndex("string index");
                }
                default -> in.skip(ProtoInput.wireType(tag));
            }
        }
        if (id == 0) {
            throw in.error(offset, "function has id 0, which profile.proto reserves");
        }
        functionIds.add(id);
        functionNames.add(name);
        functionSystemNames.add(systemName);
        functionFileNames.add(fileName);
        functionOffsets.add(offset);
    }

    private void checkTables() throws InvalidProfileException {
        int stringCount = stringStarts.size();
        if (stringCount == 0 || stringEnds.get(0) != stringStarts.get(0)) {
            throw new InvalidProfileException(source, ProfileFormat.PPROF, stringCount == 0 ? -1 : stringStarts.get(0),
                    "string_table[0] must be the empty string" + (stringCount == 0 ? " (the table is empty)" : ""));
        }
        strings = new String[stringCount];
        strings[0] = "";
        if (sampleTypeNames.size() == 0) {
            throw new InvalidProfileException(source, ProfileFormat.PPROF, -1, "profile declares no sample types");
        }
        for (int i = 0; i < sampleTypeNames.size(); i++) {
            checkString(sampleTypeNames.get(i), sampleTypeOffsets.get(i), "sample_type");
            checkString(sampleTypeUnits.get(i), sampleTypeOffsets.get(i), "sample_type");
        }
        if (periodTypeOffset >= 0) {
            checkString(periodTypeName, periodTypeOffset, "period_type");
            checkString(periodTypeUnit, periodTypeOffset, "period_type");
        }
        functionById = new LongIndex(functionIds.size());
        for (int i = 0; i < functionIds.size(); i++) {
            checkString(functionNames.get(i), functionOffsets.get(i), "function name");
            checkString(functionSystemNames.get(i), functionOffsets.get(i), "function system_name");
            checkString(functionFileNames.get(i), functionOffsets.get(i), "function filename");
            if (!functionById.put(functionIds.get(i), i)) {
                throw new InvalidProfileException(source, ProfileFormat.PPROF, functionOffsets.get(i),
                        "function id " + Long.toUnsignedString(functionIds.get(i)) + " is declared twice");
            }
        }
        functionIdsInBuilder = new int[functionIds.size()];
        Arrays.fill(functionIdsInBuilder, -1);
        int locations = locationIds.size();
        locationLineStarts.add(lineFunctions.size());
        locationById = new LongIndex(locations);
        for (int i = 0; i < locations; i++) {
            if (!locationById.put(locationIds.get(i), i)) {
                throw new InvalidProfileException(source, ProfileFormat.PPROF, locationOffsets.get(i),
                        "location id " + Long.toUnsignedString(locationIds.get(i)) + " is declared twice");
            }
            for (int line = locationLineStarts.get(i); line < locationLineStarts.get(i + 1); line++) {
                long functionId = lineFunctions.get(line);
                if (functionId != 0 && functionById.get(functionId) < 0) {
                    throw new InvalidProfileException(source, ProfileFormat.PPROF, locationOffsets.get(i),
                            "location " + Long.toUnsignedString(locationIds.get(i)) + " refers to function id "
                                    + Long.toUnsignedString(functionId) + ", which is not found");
                }
            }
        }
        locationFrameStart = new int[locations];
        locationFrameCount = new int[locations];
        Arrays.fill(locationFrameStart, -1);
    }

    private void checkString(int index, long offset, String what) throws InvalidProfileException {
        if (index >= strings.length) {
            throw new InvalidProfileException(source, ProfileFormat.PPROF, offset, what + " string index " + index
                    + " is out of range: the string table has " + strings.length + " entries");
        }
    }

    /** Sample type {@code k} as {@code type/unit}, e.g. {@code cpu/nanoseconds}. */
    private String sampleTypeName(int k) {
        return string(sampleTypeNames.get(k)) + "/" + string(sampleTypeUnits.get(k));
    }

    private String string(int index) {
        String s = strings[index];
        if (s == null) {
            int start = stringStarts.get(index);
            int length = stringEnds.get(index) - start;
            byte[] bytes = new byte[length];
            buffer.get(start, bytes, 0, length);
            s = new String(bytes, StandardCharsets.UTF_8);
            strings[index] = s;
        }
        return s;
    }

    /**
     * The profile's duration in nanoseconds, or 0 (unknown) when it cannot
     * be true: a duration at least as long as the time since the epoch at the profile's start.
     * Pyroscope's own converted Kafka recordings carry {@code duration_nanos == time_nanos}.
     */
    private long plausibleDuration() {
        if (durationNanos < 0 || timeNanos > 0 && durationNanos >= timeNanos) {
            return 0;
        }
        return durationNanos;
    }

    // ---------------------------------------------------------------- columns

    /** How pprof columns become profile columns: {@code target[k]} is the output column of pprof column k. */
    private record Columns(List<SampleType> sampleTypes, int[] target, int samplesColumn, int[] countColumn,
                           int[] periodColumn, HeapSampling heap) {
    }

    /**
     * The pprof columns of a heap profile sampled every {@code period} bytes on average (Go's runtime and V8's sampling
     * heap profiler as {@code @datadog/pprof} writes it: {@code inuse_objects/count} and {@code inuse_space/bytes}, a
     * period in bytes). Neither writes how many samples a row holds: both scale a row's k samples of objects of size s
     * up to k / (1 − e^(−s/period)) objects (runtime/pprof's {@code scaleHeapSample}, @datadog/pprof's heap
     * serializer), so k = objects · (1 − e^(−(bytes/objects)/period)) undoes it. A row of small objects holds one
     * sample of about {@code period} bytes (V8's shop heap: 9-22 rows of ~512 KiB per snapshot), which the sampled
     * total in bytes does not show.
     */
    private record HeapSampling(int objects, int bytes) {
    }

    private Columns columns() {
        int n = sampleTypeNames.size();
        String[] types = new String[n];
        String[] units = new String[n];
        Map<ProfileType, Integer> bestRank = new EnumMap<>(ProfileType.class);
        for (int k = 0; k < n; k++) {
            types[k] = string(sampleTypeNames.get(k));
            units[k] = string(sampleTypeUnits.get(k));
            ProfileType type = PprofSampleTypes.profileType(types[k], units[k]);
            if (type != null) {
                bestRank.merge(type, PprofSampleTypes.rank(types[k], units[k]), Math::min);
            }
        }
        List<String> names = new ArrayList<>();
        List<String> outUnits = new ArrayList<>();
        List<ProfileType> outTypes = new ArrayList<>();
        List<List<Integer>> members = new ArrayList<>();
        Map<ProfileType, Integer> columnOf = new EnumMap<>(ProfileType.class);
        int[] target = new int[n];
        for (int k = 0; k < n; k++) {
            ProfileType type = PprofSampleTypes.profileType(types[k], units[k]);
            boolean chosen = type != null && PprofSampleTypes.rank(types[k], units[k]) == bestRank.get(type);
            Integer existing = chosen ? columnOf.get(type) : null;
            if (existing != null && summableInto(members.get(existing), types, types[k])) {
                target[k] = existing;
                members.get(existing).add(k);
                names.set(existing, names.get(existing) + "+" + types[k]);
                continue;
            }
            target[k] = names.size();
            names.add(types[k]);
            outUnits.add(units[k]);
            boolean mapped = chosen && existing == null;
            outTypes.add(mapped ? type : null);
            members.add(new ArrayList<>(List.of(k)));
            if (mapped) {
                columnOf.put(type, target[k]);
            }
        }
        List<SampleType> sampleTypes = new ArrayList<>();
        for (int c = 0; c < names.size(); c++) {
            sampleTypes.add(new SampleType(names.get(c), outUnits.get(c), outTypes.get(c)));
        }
        int samplesColumn = -1;
        for (int k = 0; k < n && samplesColumn < 0; k++) {
            if (types[k].equals("samples") && units[k].equals("count")) {
                samplesColumn = k;
            }
        }
        // Per output column: a sibling "count" column of the same type (async-profiler writes
        // cpu/count beside cpu/nanoseconds), and the pprof column matching period_type.
        int[] countColumn = new int[names.size()];
        int[] periodColumn = new int[names.size()];
        Arrays.fill(countColumn, -1);
        Arrays.fill(periodColumn, -1);
        String periodName = periodTypeOffset >= 0 ? string(periodTypeName) : null;
        String periodUnit = periodTypeOffset >= 0 ? string(periodTypeUnit) : null;
        for (int c = 0; c < names.size(); c++) {
            if (members.get(c).size() != 1) {
                continue;
            }
            int k = members.get(c).get(0);
            for (int j = 0; j < n; j++) {
                if (j != k && countColumn[c] < 0 && types[j].equals(types[k]) && units[j].equals("count")
                        && !units[k].equals("count")) {
                    countColumn[c] = j;
                }
            }
            if (period > 0 && types[k].equals(periodName) && units[k].equals(periodUnit)) {
                periodColumn[c] = k;
            }
        }
        return new Columns(sampleTypes, target, samplesColumn, countColumn, periodColumn,
                heapSampling(types, units, bestRank));
    }

    /**
     * The sampled heap's column pair ({@link HeapSampling}): the in-use columns chosen for live objects and live bytes
     * ({@link PprofSampleTypes#heapSnapshot}, best rank), whichever names the producer gives them; null when the profile
     * has none or no period in bytes.
     */
    private HeapSampling heapSampling(String[] types, String[] units, Map<ProfileType, Integer> bestRank) {
        if (period <= 0 || periodTypeOffset < 0 || !"bytes".equals(string(periodTypeUnit))) {
            return null;
        }
        int objects = heapColumn(types, units, bestRank, ProfileType.LIVE_OBJECTS);
        int bytes = heapColumn(types, units, bestRank, ProfileType.LIVE_BYTES);
        return objects >= 0 && bytes >= 0 ? new HeapSampling(objects, bytes) : null;
    }

    /** The first pprof column that is a heap snapshot of {@code type} at the type's best rank, or -1. */
    private static int heapColumn(String[] types, String[] units, Map<ProfileType, Integer> bestRank,
                                  ProfileType type) {
        for (int k = 0; k < types.length; k++) {
            if (PprofSampleTypes.heapSnapshot(types[k], units[k])
                    && PprofSampleTypes.profileType(types[k], units[k]) == type
                    && PprofSampleTypes.rank(types[k], units[k]) == bestRank.get(type)) {
                return k;
            }
        }
        return -1;
    }

    private static boolean summableInto(List<Integer> group, String[] types, String type) {
        for (int member : group) {
            if (!PprofSampleTypes.summable(types[member], type)) {
                return false;
            }
        }
        return true;
    }

    // ---------------------------------------------------------------- pass 2: samples

    private void readSamples(ProfileBuilder builder, Columns columns) throws InvalidProfileException {
        int n = sampleTypeNames.size();
        long[] sums = new long[n];
        double[] squaresPerSample = new double[n]; // sum over rows of value^2 / samples: Kish's effective count
        boolean[] multipleOfPeriod = new boolean[n];
        Arrays.fill(multipleOfPeriod, true);
        double heapSamples = 0; // Σ samples behind the sampled heap's rows (HeapSampling), fractional
        double[] heapSquares = new double[n]; // per pprof column of the pair: Σ value² / samples over the rows
        LongList locationIdsOfSample = new LongList();
        LongList values = new LongList();
        Map<String, String> labels = new HashMap<>();
        int[] frames = new int[64];

        ProtoInput in = new ProtoInput(buffer, source, "Profile", 0, buffer.limit());
        while (in.hasMore()) {
            int tag = in.readTag();
            if (ProtoInput.fieldNumber(tag) != PROFILE_SAMPLE) {
                in.skip(ProtoInput.wireType(tag));
                continue;
            }
            int sampleOffset = in.fieldStart();
            ProtoInput sample = in.message("Sample");
            locationIdsOfSample.clear();
            values.clear();
            labels.clear();
            while (sample.hasMore()) {
                int field = sample.readTag();
                switch (ProtoInput.fieldNumber(field)) {
                    case 1 -> sample.readRepeatedVarint(field, locationIdsOfSample::add);
                    case 2 -> sample.readRepeatedVarint(field, values::add);
                    case 3 -> {
                        sample.expect(field, ProtoInput.LEN);
                        int labelOffset = sample.fieldStart();
                        readLabel(sample.message("Label"), labelOffset, labels);
                    }
                    default -> sample.skip(ProtoInput.wireType(field));
                }
            }
            if (values.size() != n) {
                throw in.error(sampleOffset, "sample has " + values.size() + " values, the profile declares "
                        + n + " sample types");
            }
            int depth = 0;
            for (int i = 0; i < locationIdsOfSample.size(); i++) {
                long locationId = locationIdsOfSample.get(i);
                int location = locationById.get(locationId);
                if (location < 0) {
                    throw in.error(sampleOffset, "sample refers to location id " + Long.toUnsignedString(locationId)
                            + ", which is not found");
                }
                int count = resolveFrames(builder, location);
                if (depth + count > options.maxStackDepth()) {
                    throw new StackDepthLimitException(source, ProfileFormat.PPROF, sampleOffset, "stack of more than "
                            + options.maxStackDepth() + " frames exceeds the limit", options.maxStackDepth());
                }
                if (depth + count > frames.length) {
                    frames = Arrays.copyOf(frames, Math.max(frames.length * 2, depth + count));
                }
                int start = locationFrameStart[location];
                for (int f = 0; f < count; f++) {
                    frames[depth++] = locationFrames.get(start + f);
                }
            }
            int stack = builder.stack(frames, depth, labels.isEmpty() ? 0 : builder.labelSet(labels));
            for (int k = 0; k < n; k++) {
                long value = values.get(k);
                if (value < 0) {
                    // A diff profile (pprof -diff_base) holds differences, not costs; a share of a negative total
                    // means nothing, and summed with the rest it would silently erase the profile.
                    throw in.error(sampleOffset, "sample value " + value + " of " + sampleTypeName(k)
                            + " is negative: a profile's values are costs (a diff profile cannot be judged)");
                }
                try {
                    sums[k] = Math.addExact(sums[k], value);
                } catch (ArithmeticException e) {
                    throw in.error(sampleOffset, "sample value " + value + " of " + sampleTypeName(k)
                            + " brings the profile's total above " + Long.MAX_VALUE + " (the most a 64-bit total holds)");
                }
                builder.add(stack, columns.target[k], value);
                if (columns.samplesColumn >= 0 && values.get(columns.samplesColumn) > 0) {
                    squaresPerSample[k] += (double) value * value / values.get(columns.samplesColumn);
                }
                if (period > 0 && value % period != 0) {
                    multipleOfPeriod[k] = false;
                }
            }
            if (columns.heap != null) {
                long objects = values.get(columns.heap.objects());
                long bytes = values.get(columns.heap.bytes());
                if (objects > 0 && bytes > 0) {
                    double rowSamples = EffectiveSamples.ofSampledHeapRow(objects, bytes, period);
                    heapSamples += rowSamples;
                    heapSquares[columns.heap.objects()] += (double) objects * objects / rowSamples;
                    heapSquares[columns.heap.bytes()] += (double) bytes * bytes / rowSamples;
                }
            }
        }
        for (int c = 0; c < columns.sampleTypes.size(); c++) {
            if (columns.sampleTypes.get(c).profileType() == null) {
                continue;
            }
            if (columns.samplesColumn >= 0) {
                builder.addSampleCount(c, samplesBehind(c, columns, sums, squaresPerSample));
            } else if (columns.countColumn[c] >= 0) {
                builder.addSampleCount(c, sums[columns.countColumn[c]]);
            } else if (columns.periodColumn[c] >= 0 && multipleOfPeriod[columns.periodColumn[c]]) {
                // Only when every value is a whole number of periods: otherwise period is not the
                // sampling interval (Pyroscope's Kafka conversions say 1 s for 10 ms samples).
                builder.addSampleCount(c, sums[columns.periodColumn[c]] / period);
            } else if (columns.heap != null && heapSamples > 0) {
                int k = columns.target[columns.heap.objects()] == c ? columns.heap.objects()
                        : columns.target[columns.heap.bytes()] == c ? columns.heap.bytes() : -1;
                if (k >= 0 && heapSquares[k] > 0) {
                    // Kish's effective number: a 3.6 MB object is one sample carrying seven periods' bytes
                    builder.addSampleCount(c, Math.max(1, EffectiveSamples.of(Math.round(Math.max(1, heapSamples)),
                            sums[k], heapSquares[k])));
                }
            }
        }
    }

    /**
     * The samples behind column {@code c} of a profile with a {@code samples/count} column: Kish's effective number
     * (Σv)² / Σ(v²/k) over its rows (v the row's value, k its samples), which is the count itself when every sample
     * weighs the same (Go's CPU: each a 10 ms period) but leaves out samples that carry nothing in this column and
     * counts unequal ones as fewer. {@code @datadog/pprof}'s wall profile counts the event loop's idle samples in
     * {@code samples} with no wall time (4 of 5 samples in the qa75 pods: counted, the binomial noise of a 15 % share
     * read 5 times too small), and its CPU column gives each sample the thread's CPU time since the previous one, from
     * 0 to several periods.
     */
    private static long samplesBehind(int c, Columns columns, long[] sums, double[] squaresPerSample) {
        long samples = sums[columns.samplesColumn];
        double total = 0;
        double squares = 0;
        for (int k = 0; k < columns.target.length; k++) {
            if (columns.target[k] == c) {
                total += sums[k];
                squares += squaresPerSample[k];
            }
        }
        if (squares <= 0) {
            return samples;
        }
        return EffectiveSamples.of(samples, total, squares);
    }

    /** Label{key=1, str=2, num=3, num_unit=4}: string labels as they are, numeric ones as "num unit". */
    private void readLabel(ProtoInput in, int offset, Map<String, String> labels) throws InvalidProfileException {
        int key = 0;
        int str = 0;
        long num = 0;
        boolean hasNum = false;
        int numUnit = 0;
        while (in.hasMore()) {
            int tag = in.readTag();
            switch (ProtoInput.fieldNumber(tag)) {
                case 1 -> {
                    in.expect(tag, ProtoInput.VARINT);
                    key = in.readIndex("string index");
                }
                case 2 -> {
                    in.expect(tag, ProtoInput.VARINT);
                    str = in.readIndex("string index");
                }
                case 3 -> {
                    in.expect(tag, ProtoInput.VARINT);
                    num = in.readVarint();
                    hasNum = true;
                }
                case 4 -> {
                    in.expect(tag, ProtoInput.VARINT);
                    numUnit = in.readIndex("string index");
                }
                default -> in.skip(ProtoInput.wireType(tag));
            }
        }
        checkString(key, offset, "label key");
        checkString(str, offset, "label value");
        checkString(numUnit, offset, "label num_unit");
        if (key == 0) {
            return;
        }
        String value;
        if (str != 0 || !hasNum) {
            value = string(str);
        } else {
            value = numUnit == 0 ? Long.toString(num) : num + " " + string(numUnit);
        }
        labels.putIfAbsent(string(key), value);
    }

    /** Builder function ids of a location's frames (innermost inlined first); returns their count. */
    private int resolveFrames(ProfileBuilder builder, int location) {
        if (locationFrameStart[location] >= 0) {
            return locationFrameCount[location];
        }
        int start = locationFrames.size();
        int firstLine = locationLineStarts.get(location);
        int lastLine = locationLineStarts.get(location + 1);
        if (firstLine == lastLine) {
            long address = locationAddresses.get(location);
            locationFrames.add(builder.function(address == 0 ? "" : "0x" + Long.toHexString(address)));
        }
        for (int line = firstLine; line < lastLine; line++) {
            long functionId = lineFunctions.get(line);
            locationFrames.add(functionId == 0 ? builder.function("") : builderFunction(builder, functionById.get(functionId)));
        }
        locationFrameStart[location] = start;
        locationFrameCount[location] = locationFrames.size() - start;
        return locationFrameCount[location];
    }

    private int builderFunction(ProfileBuilder builder, int function) {
        int id = functionIdsInBuilder[function];
        if (id < 0) {
            String name = string(functionNames.get(function));
            if (name.isEmpty()) {
                name = string(functionSystemNames.get(function));
            }
            name = withScript(name, string(functionFileNames.get(function)), javaScriptProfile());
            id = builder.function(name);
            functionIdsInBuilder[function] = id;
        }
        return id;
    }

    /**
     * A JavaScript function's name with its script in front, as Pyroscope's Node SDK writes it
     * ({@code /app/server.js:priceOrder}): {@code @datadog/pprof} by itself (Datadog's agent, a profile saved with
     * {@code pprof.encode}) keeps the script in the function's filename only, and without it an application function
     * and a library's could not be told apart ({@link io.canaryjudge.profile.NodeFunctionNames}); a function without a
     * script there (V8's native functions, {@code Garbage Collection}) gets the SDK's empty one ({@code :writev}). Only in
     * a profile with JavaScript scripts: other producers' names (Go's, with {@code .go} files; the JVM's) are as before.
     */
    static String withScript(String name, String fileName, boolean javaScriptProfile) {
        if (!javaScriptProfile || NodeFunctionNames.split(name) != null) {
            return name; // another language's profile, or a name that holds its script already (the Node SDK's)
        }
        if (fileName.isEmpty()) {
            return ":" + name; // V8's and Node's native functions, GC: the SDK's empty script (":writev")
        }
        return javaScript(fileName) ? fileName + ":" + name : name;
    }

    /** Whether any function of this profile is in a JavaScript script (computed once). */
    private boolean javaScriptProfile() {
        if (javaScriptProfile == null) {
            boolean any = false;
            for (int i = 0; i < functionFileNames.size() && !any; i++) {
                any = javaScript(string(functionFileNames.get(i)));
            }
            javaScriptProfile = any;
        }
        return javaScriptProfile;
    }

    private static boolean javaScript(String fileName) {
        if (fileName.startsWith("node:")) {
            return true;
        }
        int dot = fileName.lastIndexOf('.');
        return switch (dot < 0 ? "" : fileName.substring(dot + 1)) {
            case "js", "mjs", "cjs", "jsx", "ts", "mts", "cts", "tsx" -> true;
            default -> false;
        };
    }

    // ---------------------------------------------------------------- small primitive collections

    /** A growable {@code int[]}; grows from what was read, never from a declared size. */
    static final class IntList {
        private int[] items = new int[16];
        private int size;

        void add(int value) {
            if (size == items.length) {
                items = Arrays.copyOf(items, size * 2);
            }
            items[size++] = value;
        }

        int get(int index) {
            return items[index];
        }

        int size() {
            return size;
        }
    }

    /** A growable {@code long[]}. */
    static final class LongList {
        private long[] items = new long[16];
        private int size;

        void add(long value) {
            if (size == items.length) {
                items = Arrays.copyOf(items, size * 2);
            }
            items[size++] = value;
        }

        long get(int index) {
            return items[index];
        }

        int size() {
            return size;
        }

        void clear() {
            size = 0;
        }
    }

    /** Open-addressing map from a nonzero {@code long} id to an index; sized once for a known count. */
    static final class LongIndex {
        private final long[] keys;
        private final int[] values;
        private final int mask;

        LongIndex(int count) {
            int capacity = Integer.highestOneBit(Math.max(4, count)) * 4; // load factor <= 1/2
            keys = new long[capacity];
            values = new int[capacity];
            mask = capacity - 1;
        }

        /** @return false when {@code key} is present already */
        boolean put(long key, int value) {
            for (int slot = hash(key) & mask; ; slot = (slot + 1) & mask) {
                if (keys[slot] == 0) {
                    keys[slot] = key;
                    values[slot] = value;
                    return true;
                }
                if (keys[slot] == key) {
                    return false;
                }
            }
        }

        /** The index for {@code key}, or -1. */
        int get(long key) {
            if (key == 0) {
                return -1;
            }
            for (int slot = hash(key) & mask; ; slot = (slot + 1) & mask) {
                if (keys[slot] == key) {
                    return values[slot];
                }
                if (keys[slot] == 0) {
                    return -1;
                }
            }
        }

        private static int hash(long key) {
            long h = key * 0x9E3779B97F4A7C15L;
            return (int) (h ^ (h >>> 32));
        }
    }
}
