package io.canaryjudge.profile.jfr;

import java.nio.ByteBuffer;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.HashMap;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;

/**
 * Checks the structure of a JFR file before async-profiler's reader sees it, because that reader
 * trusts its input: an event of size 0 makes it loop forever, a checkpoint chain that points
 * back to itself re-reads pools forever, a chunk size past the end makes it stop silently.
 *
 * <p>For every chunk: magic, version 2.x, size within the file, constant-pool and metadata
 * offsets inside the chunk, a positive tick frequency; the metadata event (string table and
 * element tree bounded by the event's own length, nesting depth bounded); the checkpoint chain
 * (every link inside the chunk, no link visited twice) and every constant pool in it, walked the
 * way the library will parse it, so that no declared count, stack depth or string length exceeds
 * the bytes that could hold it (the library preallocates from those counts); and every event's
 * size (positive and inside the chunk). Varints are decoded exactly as the library decodes them.
 * It also reads what the reader needs and the library does not expose: the type ids of the
 * events and the sampling settings.
 */
final class JfrChunkScanner {
    static final int CHUNK_HEADER_SIZE = 68;
    static final int CHUNK_MAGIC = 0x464c5200; // "FLR\0"
    private static final int METADATA_MAX_DEPTH = 32;
    private static final int EVENT_TYPE_METADATA = 0;
    private static final int EVENT_TYPE_CHECKPOINT = 1;
    /**
     * Sample events of dd-trace-java's native profiler (ddprof, an async-profiler fork), which
     * async-profiler's reader does not decode. dd-trace-java's JFR-based profiler writes the JDK's
     * events instead (as in the shared dd-trace-java recording) and is read normally.
     */
    static final List<String> FOREIGN_SAMPLE_EVENTS = List.of(
            "datadog.ExecutionSample", "datadog.MethodSample", "datadog.ObjectSample", "datadog.HeapLiveObject");

    private JfrChunkScanner() {
    }

    /**
     * @param buf the whole file, absolute positions from 0 to {@code limit()}
     * @return the chunks in file order; at least one
     */
    static List<JfrChunk> scan(ByteBuffer buf) throws JfrFormatException {
        List<JfrChunk> chunks = new ArrayList<>();
        JfrSamplingSettings settings = JfrSamplingSettings.NONE;
        int limit = buf.limit();
        int pos = 0;
        while (pos < limit) {
            JfrChunk chunk = scanChunk(buf, pos, limit, settings, chunks.size(), 0);
            chunks.add(chunk);
            settings = chunk.settings();
            pos += chunk.size();
        }
        if (chunks.isEmpty()) {
            throw new JfrFormatException(0, "empty file");
        }
        return chunks;
    }

    /**
     * Checks the chunk at {@code pos} of {@code buf}.
     *
     * @param limit one past the file's last byte, in {@code buf}'s positions (the buffer may hold
     *              less when the header already shows the chunk is bad: the header is checked first)
     * @param base  the file offset of {@code buf}'s position 0 (0 for a whole file, the chunk's
     *              offset when the file is read one chunk at a time); the returned chunk's offset
     *              and the byte positions in messages are file offsets, the exception's offset is
     *              a position in {@code buf}
     */
    static JfrChunk scanChunk(ByteBuffer buf, int pos, int limit, JfrSamplingSettings inherited, int index, int base)
            throws JfrFormatException {
        String which = "chunk " + (index + 1) + " at byte " + (base + pos);
        if (limit - pos < CHUNK_HEADER_SIZE) {
            throw new JfrFormatException(pos, "truncated: " + (limit - pos) + " bytes after the last chunk are too few for a chunk header (" + CHUNK_HEADER_SIZE + ")");
        }
        if (buf.getInt(pos) != CHUNK_MAGIC) {
            throw new JfrFormatException(pos, which + " does not start with the JFR magic FLR\\0");
        }
        int major = buf.getShort(pos + 4) & 0xffff;
        int minor = buf.getShort(pos + 6) & 0xffff;
        if (major != 2) {
            throw new JfrFormatException(pos + 4, which + " has JFR format version " + major + "." + minor
                    + "; only 2.x (JDK 11 and later, async-profiler) is supported");
        }
        long size = buf.getLong(pos + 8);
        if (size == 0) {
            throw new JfrFormatException(pos + 8, which + " is unfinished (size 0): the recording was still being written");
        }
        if (size < CHUNK_HEADER_SIZE) {
            throw new JfrFormatException(pos + 8, which + " declares an impossible size of " + size + " bytes");
        }
        if (size > limit - pos) {
            throw new JfrFormatException(pos + 8, "truncated: " + which + " declares " + size + " bytes but only "
                    + (limit - pos) + " remain");
        }
        int chunkSize = (int) size;
        int end = pos + chunkSize;
        long cpOffset = buf.getLong(pos + 16);
        long metaOffset = buf.getLong(pos + 24);
        if (cpOffset < CHUNK_HEADER_SIZE || cpOffset >= chunkSize) {
            throw new JfrFormatException(pos + 16, which + ": constant pool offset " + cpOffset + " lies outside the chunk"
                    + (cpOffset == 0 ? " (unfinished recording)" : ""));
        }
        if (metaOffset < CHUNK_HEADER_SIZE || metaOffset >= chunkSize) {
            throw new JfrFormatException(pos + 24, which + ": metadata offset " + metaOffset + " lies outside the chunk"
                    + (metaOffset == 0 ? " (unfinished recording)" : ""));
        }
        long startNanos = buf.getLong(pos + 32);
        long durationNanos = buf.getLong(pos + 40);
        long startTicks = buf.getLong(pos + 48);
        long ticksPerSecond = buf.getLong(pos + 56);
        if (ticksPerSecond <= 0) {
            throw new JfrFormatException(pos + 56, which + " declares a tick frequency of " + ticksPerSecond);
        }
        if (durationNanos < 0 || startNanos < 0) {
            throw new JfrFormatException(pos + 32, which + " declares a negative start or duration");
        }

        Metadata metadata = readMetadata(buf, pos + (int) metaOffset, end);
        checkCheckpointChain(buf, pos, (int) cpOffset, end, metadata, base);

        int[] typeIds = new int[JfrEventKind.values().length];
        for (JfrEventKind kind : JfrEventKind.values()) {
            Integer id = metadata.classIds.get(kind.eventName());
            typeIds[kind.ordinal()] = id == null ? -1 : id;
        }
        long[] counts = new long[typeIds.length];
        int[] foreignTypeIds = foreignTypeIds(metadata);
        long foreign = 0;
        JfrSamplingSettings settings = inherited;
        Integer activeSetting = metadata.classIds.get("jdk.ActiveSetting");
        int activeSettingId = activeSetting == null ? -1 : activeSetting;
        int executionSampleId = typeIds[JfrEventKind.EXECUTION_SAMPLE.ordinal()];

        JfrBytes events = new JfrBytes(buf, pos + CHUNK_HEADER_SIZE, end);
        int eventStart = pos + CHUNK_HEADER_SIZE;
        String eventSizeName = which + ": event size"; // once per chunk: per event it was 100+ MB of garbage on 64 MiB
        while (eventStart < end) {
            events.seek(eventStart);
            int eventSize = events.eventSize(eventStart, eventSizeName);
            int type = events.varint();
            if (type < 0) {
                throw new JfrFormatException(eventStart, which + ": negative event type " + type);
            }
            if (type == 'L' && buf.getInt(eventStart) == CHUNK_MAGIC) {
                throw new JfrFormatException(eventStart, which + ": a chunk header inside the chunk");
            }
            int kind = kindOf(typeIds, type);
            if (kind >= 0) {
                counts[kind]++;
            } else if (foreignTypeIds.length > 0 && contains(foreignTypeIds, type)) {
                foreign++;
            } else if (type == activeSettingId && type > EVENT_TYPE_CHECKPOINT) {
                settings = readActiveSetting(buf, eventStart, eventSize, metadata.activeSettingFields, executionSampleId, settings);
            }
            eventStart += eventSize;
        }
        return new JfrChunk(base + pos, chunkSize, startNanos, durationNanos, startTicks, ticksPerSecond, typeIds, counts, settings, foreign);
    }

    /** Type ids of the other producers' sample events this chunk declares (plain loop: no stream set-up at start-up). */
    private static int[] foreignTypeIds(Metadata metadata) {
        int[] ids = new int[FOREIGN_SAMPLE_EVENTS.size()];
        int n = 0;
        for (String name : FOREIGN_SAMPLE_EVENTS) {
            Integer id = metadata.classIds.get(name);
            if (id != null && id > EVENT_TYPE_CHECKPOINT) {
                ids[n++] = id;
            }
        }
        return Arrays.copyOf(ids, n);
    }

    private static boolean contains(int[] values, int value) {
        for (int v : values) {
            if (v == value) {
                return true;
            }
        }
        return false;
    }

    static int kindOf(int[] typeIds, int type) {
        if (type <= EVENT_TYPE_CHECKPOINT) {
            return -1;
        }
        for (int k = 0; k < typeIds.length; k++) {
            if (typeIds[k] == type) {
                return k;
            }
        }
        return -1;
    }

    /** Fields of jdk.ActiveSetting up to {@code id} are numbers; then come name and value strings. */
    private static JfrSamplingSettings readActiveSetting(ByteBuffer buf, int eventStart, int eventSize,
                                                         List<String> fields, int executionSampleId,
                                                         JfrSamplingSettings settings) throws JfrFormatException {
        JfrBytes event = new JfrBytes(buf, eventStart, eventStart + eventSize);
        event.varint();
        event.varint();
        long settingOf = -1;
        for (String field : fields) {
            long value = event.varlong();
            if (field.equals("id")) {
                settingOf = value;
                break;
            }
        }
        String name = event.string();
        String value = event.string();
        if (name == null) {
            return settings;
        }
        if (name.equals("period") && settingOf == executionSampleId && executionSampleId >= 0) {
            return settings.withJdkPeriod(value);
        }
        return settings.withAsyncProfilerSetting(name, value);
    }

    /** A field of a metadata class, as async-profiler's reader sees it. */
    private record Field(String name, int typeId, boolean constantPool) {
    }

    /** A metadata class, as async-profiler's reader sees it. */
    private static final class TypeInfo {
        final String name;
        final boolean simpleType;
        final List<Field> fields = new ArrayList<>();

        TypeInfo(String name, boolean simpleType) {
            this.name = name;
            this.simpleType = simpleType;
        }
    }

    /** The parts of the metadata event the scan needs. */
    private static final class Metadata {
        final Map<String, Integer> classIds = new HashMap<>();
        /** Classes without a super type, by id: the ones constant pools may hold (as the library keys them). */
        final Map<Integer, TypeInfo> poolTypes = new HashMap<>();
        final List<String> activeSettingFields = new ArrayList<>();
        int stringTypeId = -1;
    }

    private static Metadata readMetadata(ByteBuffer buf, int at, int chunkEnd) throws JfrFormatException {
        JfrBytes header = new JfrBytes(buf, at, chunkEnd);
        int size = header.eventSize(at, "metadata event size");
        int type = header.varint();
        if (type != EVENT_TYPE_METADATA) {
            throw new JfrFormatException(at, "the metadata offset points at an event of type " + type + ", not metadata");
        }
        JfrBytes meta = new JfrBytes(buf, header.position(), at + size);
        meta.varlong(); // start time
        meta.varlong(); // duration
        meta.varlong(); // metadata id
        int stringCount = meta.count("metadata string count");
        String[] strings = new String[stringCount];
        for (int i = 0; i < stringCount; i++) {
            strings[i] = meta.string();
        }
        Metadata metadata = new Metadata();
        readElement(meta, strings, metadata, null, 0);
        Integer stringType = metadata.classIds.get("java.lang.String");
        metadata.stringTypeId = stringType == null ? -1 : stringType;
        return metadata;
    }

    private static void readElement(JfrBytes meta, String[] strings, Metadata metadata, TypeInfo enclosing, int depth)
            throws JfrFormatException {
        if (depth > METADATA_MAX_DEPTH) {
            throw new JfrFormatException(meta.position(), "metadata nested deeper than " + METADATA_MAX_DEPTH + " levels");
        }
        int at = meta.position();
        String name = stringAt(meta, strings);
        int attributeCount = meta.count("metadata attribute count");
        Map<String, String> attributes = new HashMap<>();
        for (int i = 0; i < attributeCount; i++) {
            String key = stringAt(meta, strings);
            attributes.put(key, stringAt(meta, strings));
        }
        TypeInfo childContext = null;
        if ("class".equals(name)) {
            String className = attributes.get("name");
            int id = parseId(attributes.get("id"), at, "class " + className);
            TypeInfo type = new TypeInfo(className, "true".equals(attributes.get("simpleType")));
            if (className != null) {
                metadata.classIds.put(className, id);
            }
            if (!attributes.containsKey("superType")) {
                metadata.poolTypes.put(id, type);
            }
            childContext = type;
        } else if ("field".equals(name) && enclosing != null) {
            Field field = new Field(attributes.get("name"), parseId(attributes.get("class"), at, "field " + attributes.get("name")),
                    "true".equals(attributes.get("constantPool")));
            enclosing.fields.add(field);
            if ("jdk.ActiveSetting".equals(enclosing.name)) {
                metadata.activeSettingFields.add(field.name());
            }
        }
        int children = meta.count("metadata child count");
        for (int i = 0; i < children; i++) {
            readElement(meta, strings, metadata, childContext, depth + 1);
        }
    }

    private static int parseId(String value, int at, String what) throws JfrFormatException {
        try {
            return Integer.parseInt(value);
        } catch (NumberFormatException e) {
            throw new JfrFormatException(at, "metadata " + what + " has no numeric id (" + value + ")");
        }
    }

    private static String stringAt(JfrBytes meta, String[] strings) throws JfrFormatException {
        int at = meta.position();
        int index = meta.varint();
        if (index < 0 || index >= strings.length) {
            throw new JfrFormatException(at, "metadata string index " + Integer.toUnsignedString(index)
                    + " outside the table of " + strings.length);
        }
        return strings[index];
    }

    /**
     * Walks the checkpoint chain the way async-profiler's reader will: from the header's
     * constant-pool offset, following each checkpoint's delta until it is 0.
     */
    private static void checkCheckpointChain(ByteBuffer buf, int chunkStart, int cpOffset, int chunkEnd, Metadata metadata,
                                             int base) throws JfrFormatException {
        Set<Integer> visited = new HashSet<>();
        long offset = cpOffset;
        while (true) {
            if (offset < CHUNK_HEADER_SIZE || offset >= chunkEnd - chunkStart) {
                throw new JfrFormatException(chunkStart + Math.max(0, Math.min(offset, chunkEnd - chunkStart)),
                        "checkpoint chain leads outside the chunk (offset " + offset + ")");
            }
            int at = chunkStart + (int) offset;
            if (!visited.add(at)) {
                throw new JfrFormatException(at, "checkpoint chain loops back to byte " + (base + at));
            }
            JfrBytes checkpoint = new JfrBytes(buf, at, chunkEnd);
            int size = checkpoint.eventSize(at, "checkpoint size");
            int type = checkpoint.varint();
            if (type != EVENT_TYPE_CHECKPOINT) {
                throw new JfrFormatException(at, "the constant pool offset points at an event of type " + type
                        + ", not a checkpoint");
            }
            checkpoint.varlong(); // start time
            checkpoint.varlong(); // duration
            long delta = checkpoint.varlong();
            JfrBytes pools = new JfrBytes(buf, checkpoint.position(), at + size);
            checkPools(pools, metadata);
            if (delta == 0) {
                return;
            }
            offset += delta;
        }
    }


    /**
     * Walks one checkpoint's constant pools exactly as async-profiler's reader (4.2) will parse
     * them, checking every count and length against the bytes left in the checkpoint before
     * the library allocates from it (its dictionaries preallocate from declared counts).
     */
    private static void checkPools(JfrBytes in, Metadata metadata) throws JfrFormatException {
        in.varint(); // flush / type mask
        int poolCount = in.count("constant pool count");
        for (int p = 0; p < poolCount; p++) {
            int at = in.position();
            int typeId = in.varint();
            TypeInfo type = metadata.poolTypes.get(typeId);
            if (type == null || type.name == null) {
                throw new JfrFormatException(at, "constant pool of undeclared type " + typeId);
            }
            int fields = type.fields.size();
            switch (type.name) {
                case "jdk.types.ChunkHeader":
                    in.skip(CHUNK_HEADER_SIZE + 3);
                    break;
                case "java.lang.Thread":
                    for (int n = entries(in, 5, type.name); n > 0; n--) {
                        in.varlong();
                        in.skipString();
                        in.varint();
                        in.skipString();
                        in.varlong();
                        varlongs(in, fields - 4);
                    }
                    break;
                case "java.lang.Class":
                    for (int n = entries(in, 5, type.name); n > 0; n--) {
                        varlongs(in, 4);
                        in.varint();
                        varlongs(in, fields - 4);
                    }
                    break;
                case "java.lang.String":
                    for (int n = entries(in, 2, type.name); n > 0; n--) {
                        in.varlong();
                        in.skipString();
                    }
                    break;
                case "jdk.types.Symbol":
                    for (int n = entries(in, 3, type.name); n > 0; n--) {
                        in.varlong();
                        int encodingAt = in.position();
                        if (in.get() != 3) {
                            throw new JfrFormatException(encodingAt, "symbol not encoded as UTF-8");
                        }
                        in.skip(in.count("symbol length"));
                    }
                    break;
                case "jdk.types.Method":
                    for (int n = entries(in, 6, type.name); n > 0; n--) {
                        varlongs(in, 4);
                        in.varint();
                        in.varint();
                    }
                    break;
                case "jdk.types.StackTrace":
                    for (int n = entries(in, 3, type.name); n > 0; n--) {
                        in.varlong();
                        in.varint();
                        int depth = in.count("stack depth");
                        for (int d = 0; d < depth; d++) {
                            in.varlong();
                            in.varint();
                            in.varint();
                            in.get();
                        }
                    }
                    break;
                default:
                    if (type.simpleType && fields == 1) {
                        for (int n = entries(in, 2, type.name); n > 0; n--) {
                            in.varlong();
                            in.skipString();
                        }
                    } else {
                        boolean[] numeric = new boolean[fields];
                        for (int f = 0; f < fields; f++) {
                            Field field = type.fields.get(f);
                            numeric[f] = field.constantPool() || field.typeId() != metadata.stringTypeId;
                        }
                        for (int n = entries(in, 1 + fields, type.name); n > 0; n--) {
                            in.varlong();
                            for (boolean isNumber : numeric) {
                                if (isNumber) {
                                    in.varlong();
                                } else {
                                    in.skipString();
                                }
                            }
                        }
                    }
            }
        }
    }

    /** A pool's entry count, at most the bytes left divided by the smallest size of one entry. */
    private static int entries(JfrBytes in, int minEntryBytes, String type) throws JfrFormatException {
        int at = in.position();
        int count = in.varint();
        if (count < 0 || (long) count * minEntryBytes > in.remaining()) {
            throw new JfrFormatException(at, "constant pool " + type + " declares " + Integer.toUnsignedString(count)
                    + " entries, more than its " + in.remaining() + " bytes can hold");
        }
        return count;
    }

    private static void varlongs(JfrBytes in, int count) throws JfrFormatException {
        for (int i = 0; i < count; i++) {
            in.varlong();
        }
    }
}
